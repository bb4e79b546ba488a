"""docker-bake.hcl with the real `docker buildx bake` (issue 15, part 2): `--print` accepts the
file and resolves the targets a CI runner or a remote builder would build, with the registry
cache when REGISTRY is set; and on this engine (the docker driver, which stores no attestations:
ATTEST=false) the file builds an image that runs.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import dockergen
from dockergen.ci import BAKE

from .engine import docker, image_tag

pytestmark = pytest.mark.docker


def bake(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    variables = {k: v for k, v in os.environ.items() if k not in ("REGISTRY", "TAG", "ATTEST", "IMAGE")}
    return subprocess.run(
        ["docker", "buildx", "bake", "-f", BAKE, *args],
        cwd=project,
        env=variables | env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def with_ci(sample_copy, name: str, settings: str) -> Path:
    path = sample_copy(name)
    with open(path / "pyproject.toml", "a") as handle:
        handle.write(f"\n[tool.dockergen]\n{settings}\n")
    dockergen.write(path)
    return path


def test_bake_print_resolves_each_variant_with_the_registry_cache(sample_copy):
    path = with_ci(sample_copy, "uv-torch", 'ci = "github"\nvariants = ["gpu", "cpu"]')
    local = bake(path, "--print")
    assert local.returncode == 0, local.stderr
    targets = json.loads(local.stdout)["target"]
    assert json.loads(local.stdout)["group"]["default"]["targets"] == ["gpu", "cpu"]
    assert targets["gpu"]["dockerfile"] == "Dockerfile" and targets["gpu"]["platforms"] == ["linux/amd64"]
    assert targets["cpu"]["dockerfile"] == "Dockerfile.cpu"
    assert targets["cpu"]["platforms"] == ["linux/amd64", "linux/arm64"]
    assert targets["cpu"]["attest"] == ["type=sbom", "type=provenance,mode=max"]
    assert "cache-to" not in targets["cpu"] and targets["cpu"]["tags"] == ["torch-app:latest-cpu"]
    pushed = bake(path, "--print", REGISTRY="ghcr.io/acme", TAG="1.2.0")
    assert pushed.returncode == 0, pushed.stderr
    cpu = json.loads(pushed.stdout)["target"]["cpu"]
    assert cpu["tags"] == ["ghcr.io/acme/torch-app:1.2.0-cpu"]
    assert cpu["cache-from"] == ["type=registry,ref=ghcr.io/acme/torch-app:buildcache-cpu"]
    assert cpu["cache-to"] == ["type=registry,ref=ghcr.io/acme/torch-app:buildcache-cpu,mode=max"]


def test_bake_builds_an_image_that_runs(sample_copy):
    path = with_ci(sample_copy, "uv-fastapi", 'ci = "bake"')
    tag = image_tag("bake-uv-fastapi:test")
    built = bake(path, "--set", "*.platform=linux/amd64", "--set", f"image.tags={tag}", "--load", ATTEST="false")
    assert built.returncode == 0, built.stderr[-3000:]
    smoke = docker("run", "--rm", "--network=none", tag, "uv-fastapi", "--help")
    assert "Run the uv-fastapi web service" in smoke.stdout
