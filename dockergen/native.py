"""Native system dependencies: which locked packages must be compiled, and what Debian packages
the builder and the runner need for them.

A package pulls build-time packages only when no wheel the lock records fits the target CPython
and platforms; run-time packages follow from data/native_deps.toml. Locks that record no files
(Pipfile.lock, requirements.txt) fall back to the table's `sdist-only` flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from .facts import LockedPackage
from .project import tomllib

# glibc of each Debian release decides which manylinux wheels it can run.
GLIBC = {"bookworm": (2, 36), "trixie": (2, 41)}
ARCHES = {"linux/amd64": "x86_64", "linux/arm64": "aarch64"}
DEFAULT_PLATFORMS = ("linux/amd64", "linux/arm64")


@dataclass(frozen=True)
class NativeNeed:
    package: str
    version: str | None
    built: bool  # compiled from its sdist in the builder
    build: tuple[str, ...]
    run: tuple[str, ...]
    reason: str

    def describe(self) -> str:
        parts = []
        if self.build:
            parts.append("build: " + " ".join(self.build))
        if self.run:
            parts.append("run: " + " ".join(self.run))
        return f"{self.package} {self.version or ''}: {self.reason} -> {'; '.join(parts) or 'nothing'}".replace(
            "  ", " "
        )


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    text = resources.files("dockergen").joinpath("data/native_deps.toml").read_text()
    return tomllib.loads(text)


@lru_cache(maxsize=16)
def target_tags(python: str, debian: str, arch: str) -> frozenset[Tag]:
    major, minor = (int(x) for x in python.split("."))
    glibc_major, glibc_minor = GLIBC[debian]
    platforms = [f"manylinux_{glibc_major}_{m}_{arch}" for m in range(glibc_minor, 4, -1)]
    platforms += [f"manylinux2014_{arch}"] + (
        [f"manylinux2010_{arch}", f"manylinux1_{arch}"] if arch == "x86_64" else []
    )
    tags = set(cpython_tags((major, minor), platforms=platforms))
    tags |= set(compatible_tags((major, minor), f"cp{major}{minor}", platforms))
    return frozenset(tags)


def has_wheel(package: LockedPackage, python: str, debian: str, arch: str) -> bool:
    wanted = target_tags(python, debian, arch)
    for filename in package.wheels:
        try:
            _, _, _, tags = parse_wheel_filename(filename)
        except InvalidWheelFilename:
            continue
        if tags & wanted:
            return True
    return False


def _entry_lists(entry: dict[str, Any], debian: str) -> dict[str, list[str]]:
    lists = {key: list(entry.get(key, [])) for key in ("build", "run", "run-always")}
    override = entry.get(debian, {})
    lists.update({key: list(value) for key, value in override.items() if key in lists})
    return lists


def must_build(package: LockedPackage, python: str, debian: str, platforms: tuple[str, ...]) -> tuple[bool, str]:
    """Whether the builder compiles this package from its sdist, and why."""
    entry = table().get(package.name, {})
    if package.source.kind in ("git", "path", "directory", "url"):
        return True, f"installed from {package.source.kind} source"
    if not package.files:
        if entry.get("sdist-only"):
            return True, "the lock records no files and PyPI publishes no Linux wheels for it"
        return False, "the lock records no files; assuming a wheel exists"
    missing = [p for p in platforms if not has_wheel(package, python, debian, ARCHES[p])]
    if not missing:
        return False, "a wheel fits every target platform"
    cp = "cp" + python.replace(".", "")
    return True, f"no wheel for {cp} {' '.join(ARCHES[p] for p in missing)}"


def covered_platforms(packages: tuple[LockedPackage, ...], platforms: tuple[str, ...]) -> tuple[str, ...]:
    """The target platforms the lock speaks for.

    Universal locks (uv, poetry, pdm) record wheels for every architecture; `pip lock` and other
    single-platform locks record only the one they were made on. A lock with no wheel at all for
    an architecture says nothing about PyPI's wheels for it, so that architecture is not judged.
    """
    arch_wheels = {arch: False for arch in ARCHES.values()}
    any_platform_wheel = False
    for package in packages:
        for wheel in package.wheels:
            if "linux" in wheel:
                any_platform_wheel = True
                for arch in arch_wheels:
                    arch_wheels[arch] |= arch in wheel
    if not any_platform_wheel:
        return platforms
    return tuple(p for p in platforms if arch_wheels[ARCHES[p]])


def native_needs(
    packages: tuple[LockedPackage, ...], python: str, debian: str, platforms: tuple[str, ...] = DEFAULT_PLATFORMS
) -> list[NativeNeed]:
    platforms = covered_platforms(packages, platforms)
    needs = []
    for package in packages:
        built, reason = must_build(package, python, debian, platforms)
        entry = table().get(package.name)
        if entry is None:
            if built and package.source.kind == "registry" and package.files:
                needs.append(
                    NativeNeed(
                        package.name,
                        package.version,
                        True,
                        ("gcc",),
                        (),
                        reason + " (not in the table: a compiler only)",
                    )
                )
            continue
        lists = _entry_lists(entry, debian)
        build = tuple(lists["build"]) if built else ()
        run = tuple(dict.fromkeys(lists["run-always"] + (lists["run"] if built else [])))
        if build or run:
            needs.append(NativeNeed(package.name, package.version, built, build, run, reason))
    return needs
