"""GPU detection and the CUDA strategies, from real and crafted lock entries."""

from __future__ import annotations

import pytest

from dockergen.api import generate, inspect
from dockergen.cuda import data, detect_gpu
from dockergen.facts import InspectError, LockedPackage, Source

from .conftest import SAMPLES


def test_pypi_torch_bundles_cuda_in_its_wheels():
    gpu = detect_gpu(inspect(SAMPLES / "uv-torch").runtime_packages, None, set())
    assert gpu is not None and gpu.strategy == "wheels" and gpu.cuda == "12.8"
    assert "nvidia-cudnn-cu12" in gpu.gpu_only and "triton" in gpu.gpu_only
    assert gpu.torch_family == (("torch", "2.9.1"),)


def test_local_version_names_the_cuda():
    torch = LockedPackage("torch", "2.5.1+cu121")
    gpu = detect_gpu((torch,), None, set())
    assert gpu is not None and gpu.cuda == "12.1" and gpu.strategy == "wheels"


def test_pytorch_cuda_index_names_the_cuda():
    torch = LockedPackage("torch", "2.6.0", source=Source("registry", "https://download.pytorch.org/whl/cu126"))
    gpu = detect_gpu((torch,), None, set())
    assert gpu is not None and gpu.cuda == "12.6"
    assert "CUDA 12.6 index" in gpu.reasons[0]


def test_cpu_torch_is_no_gpu_need():
    assert detect_gpu((LockedPackage("torch", "2.5.1+cpu"), LockedPackage("numpy", "2.1.0")), None, set()) is None


def test_cupy_and_jax_plugins():
    assert detect_gpu((LockedPackage("cupy-cuda12x", "13.3.0"),), None, set()).cuda == "12.x"
    assert detect_gpu((LockedPackage("jax-cuda12-plugin", "0.4.35"),), None, set()).strategy == "wheels"


def test_a_package_compiling_cuda_needs_the_toolkit():
    packages = (LockedPackage("torch", "2.5.1+cu124"), LockedPackage("flash-attn", "2.7.0"))
    gpu = detect_gpu(packages, None, {"flash-attn"})
    assert gpu.strategy == "toolkit" and gpu.cuda == "12.4"
    assert gpu.images() == (
        "nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04",
        "nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04",
    )


def test_compiling_cuda_without_a_known_version_asks_for_the_setting():
    with pytest.raises(InspectError, match=r"flash-attn compiles CUDA code: set \[tool.dockergen\] cuda"):
        detect_gpu((LockedPackage("flash-attn", "2.7.0"),), None, {"flash-attn"})


def test_images_exist_for_every_torch_cuda():
    assert set(data()["torch-pypi-cuda"].values()) <= set(data()["images"])


def test_gpu_variant_keeps_the_slim_runner_and_sets_nvidia_env():
    dockerfile = generate(SAMPLES / "uv-torch")["Dockerfile"]
    assert "FROM python:3.13-slim-trixie AS runner" in dockerfile
    assert "NVIDIA_VISIBLE_DEVICES=all" in dockerfile
    assert "--no-install-package" not in dockerfile


def test_cpu_variant_swaps_torch_for_the_cpu_build():
    dockerfile = generate(SAMPLES / "uv-torch", variant="cpu")["Dockerfile"]
    assert "--no-install-package nvidia-cudnn-cu12" in dockerfile and "--no-install-package torch" in dockerfile
    assert "--index-url https://download.pytorch.org/whl/cpu --no-deps torch==2.9.1" in dockerfile
    assert "NVIDIA_VISIBLE_DEVICES" not in dockerfile


def test_cpu_variant_reports_the_expected_saving():
    from dockergen.api import plan

    _, build_plan = plan(SAMPLES / "uv-torch", variant="cpu")
    saving = next(r for r in build_plan.reasons if "fewer wheel downloads" in r)
    assert "about 4.1 GB" in saving


def test_toolkit_strategy_uses_devel_builder_and_runtime_runner_with_a_python():
    dockerfile = generate(SAMPLES / "uv-torch", cuda="12.8")["Dockerfile"]
    assert "FROM nvidia/cuda:12.8.1-cudnn-devel-ubuntu24.04 AS base" in dockerfile
    assert "FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS runner" in dockerfile
    assert "uv python install 3.13" in dockerfile
    assert "COPY --from=deps /opt/python /opt/python" in dockerfile


def test_cpu_variant_needs_uv(make_project):
    path = make_project(
        {"requirements.txt": "torch==2.9.1\nnvidia-cuda-runtime-cu12==12.8.90\n", "main.py": "import torch\n"}
    )
    assert "NVIDIA_VISIBLE_DEVICES=all" in generate(path, python="3.13")["Dockerfile"]
    with pytest.raises(InspectError, match="--variant cpu is supported for uv projects only"):
        generate(path, python="3.13", variant="cpu")


def test_a_compiled_cuda_package_in_the_lock_gets_toolkit_images_with_a_python(make_project):
    # flash-attn ships only an sdist: the builder compiles it, so nvcc and a placed Python are needed.
    path = make_project(
        {
            "pyproject.toml": '[project]\nname = "fa"\nrequires-python = ">=3.13,<3.14"\n',
            "pylock.toml": (
                'lock-version = "1.0"\ncreated-by = "test"\n'
                '[[packages]]\nname = "torch"\nversion = "2.5.1+cu124"\n'
                'wheels = [{name = "torch-2.5.1+cu124-cp313-cp313-manylinux_2_28_x86_64.whl"}]\n'
                '[[packages]]\nname = "flash-attn"\nversion = "2.7.0"\nsdist = {name = "flash_attn-2.7.0.tar.gz"}\n'
            ),
            "main.py": "",
        }
    )
    dockerfile = generate(path)["Dockerfile"]
    assert "FROM nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04 AS base" in dockerfile
    assert "uv python install 3.13" in dockerfile
    assert "COPY --from=deps /opt/python /opt/python" in dockerfile
