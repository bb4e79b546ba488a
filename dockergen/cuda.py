"""GPU needs read from the lock, and the CUDA strategy that follows from them.

Two strategies: `wheels` (the wheels bundle the CUDA runtime, as PyPI's torch, jax[cuda] and
cupy do: a slim Python runner and the host's driver are enough) and `toolkit` (something
compiles CUDA code at install time or the user asked for a CUDA version: an nvidia/cuda devel
builder and the matching runtime runner). The facts live in data/cuda.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from .facts import InspectError, LockedPackage
from .project import data_toml

LOCAL_CUDA = re.compile(r"\+cu([0-9]+)([0-9])$")  # torch==2.5.1+cu121 -> 12.1
INDEX_CUDA = re.compile(r"download\.pytorch\.org/whl/cu([0-9]+)([0-9])/?$")  # PyTorch's per-CUDA indexes


@lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    return data_toml("cuda.toml")


@dataclass(frozen=True)
class GpuNeed:
    strategy: Literal["wheels", "toolkit"]
    cuda: str | None  # "12.8"
    reasons: tuple[str, ...]
    gpu_only: tuple[str, ...]  # locked packages the cpu variant leaves out
    torch_family: tuple[tuple[str, str], ...]  # (name, version) the cpu variant installs as CPU builds

    def images(self) -> tuple[str, str]:
        """(builder, runner) nvidia/cuda images for the toolkit strategy."""
        entry = data()["images"].get(self.cuda or "")
        if entry is None:
            known = ", ".join(data()["images"])
            raise InspectError(
                "pyproject.toml", f"[tool.dockergen] cuda = {self.cuda!r}: no nvidia/cuda image known (known: {known})"
            )
        prefix = f"nvidia/cuda:{entry['tag']}-cudnn"
        return f"{prefix}-devel-{entry['os']}", f"{prefix}-runtime-{entry['os']}"


def _minor(version: str | None) -> str | None:
    if not version:
        return None
    parts = version.split("+")[0].split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else None


def _cuda_from_packages(packages: dict[str, LockedPackage]) -> tuple[str | None, str]:
    torch = packages.get("torch")
    if torch and torch.version and (match := LOCAL_CUDA.search(torch.version)):
        major, minor = match.groups()
        return f"{major}.{minor}", f"torch {torch.version} is a +cu build"
    if torch and torch.source.url and (match := INDEX_CUDA.search(torch.source.url)):
        major, minor = match.groups()
        return f"{major}.{minor}", f"torch comes from PyTorch's CUDA {major}.{minor} index"
    for prefix, major in data()["gpu-packages"].items():
        for name, package in packages.items():
            if name == prefix or (name.startswith(prefix) and major):
                if not major:
                    return _minor(package.version), f"{name} {package.version} in the lock"
                if torch and _minor(torch.version) in data()["torch-pypi-cuda"]:
                    cuda = data()["torch-pypi-cuda"][_minor(torch.version)]
                    if cuda.startswith(major + "."):
                        return cuda, f"{name} in the lock; torch {torch.version} from PyPI bundles CUDA {cuda}"
                return f"{major}.x", f"{name} in the lock"
    return None, ""


def detect_gpu(packages: tuple[LockedPackage, ...], cuda_setting: str | None, built: set[str]) -> GpuNeed | None:
    """built: the locked packages the builder compiles from source (no usable wheel)."""
    by_name = {p.name: p for p in packages}
    cuda, why = _cuda_from_packages(by_name)
    compilers = [n for n in data()["compiles-cuda"]["packages"] if n in by_name and n in built]
    if not cuda and not compilers and not cuda_setting:
        return None
    prefixes = tuple(data()["cpu-variant"]["gpu-only-prefixes"])
    gpu_only = tuple(sorted(n for n in by_name if n.startswith(prefixes)))
    family = tuple((n, by_name[n].version or "") for n in data()["cpu-variant"]["torch-family"] if n in by_name)
    reasons = [why] if why else []
    if cuda_setting or compilers:
        target = cuda_setting or (cuda if cuda and "x" not in cuda else None)
        if target is None:
            raise InspectError(
                "pyproject.toml", f'{", ".join(compilers)} compiles CUDA code: set [tool.dockergen] cuda = "12.8"'
            )
        if compilers:
            reasons.append(
                f"{', '.join(compilers)} compile CUDA code at install time: nvcc from an nvidia/cuda devel builder"
            )
        else:
            reasons.append(f"cuda setting {cuda_setting}: nvidia/cuda builder and runtime images")
        return GpuNeed("toolkit", target, tuple(reasons), gpu_only, family)
    reasons.append("the wheels bundle the CUDA runtime: slim Python runner, the host driver does the rest")
    return GpuNeed("wheels", cuda, tuple(reasons), gpu_only, family)
