"""Shared fixtures: the samples directory, a project factory, and the Docker gate.

Tests marked `docker` need a Docker engine with BuildKit. Without one they are skipped, unless
DOCKERGEN_REQUIRE_DOCKER=1 (set by CI), where a missing engine fails the run instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .samples import EXPECTATIONS_FILE

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def docker_available() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=60).returncode == 0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not any(item.get_closest_marker("docker") for item in items):
        return
    if docker_available():
        return
    if os.environ.get("DOCKERGEN_REQUIRE_DOCKER") == "1":
        raise pytest.UsageError("DOCKERGEN_REQUIRE_DOCKER=1 but no Docker engine answers `docker info`")
    skip = pytest.mark.skip(reason="no Docker engine (set DOCKERGEN_REQUIRE_DOCKER=1 to make this an error)")
    for item in items:
        if item.get_closest_marker("docker"):
            item.add_marker(skip)


@pytest.fixture
def make_project(tmp_path: Path):
    """Write {relative path: text or bytes} into a fresh directory and return it."""

    def make(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)
        return tmp_path

    return make


@pytest.fixture
def sample_copy(tmp_path: Path):
    """A writable copy of a sample project, without the tests' dockergen-test.toml (not the project's)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(SAMPLES / name, target, ignore=shutil.ignore_patterns(EXPECTATIONS_FILE))
        return target

    return copy
