"""Projects as the real tools scaffold them (`uv init`, `poetry new`), with a dependency added by
the tool: dockergen's Dockerfile builds and the image runs the scaffold's own entry point.

The tools are the versions the generated Dockerfiles install (the lock_tool fixture). Poetry gets
`https://pypi.org/simple/` as its primary source, which this network needs (see the README).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dockergen.api import write

from .engine import docker

pytestmark = pytest.mark.docker

PYTHON = shutil.which("python3.11") or sys.executable


def run(command: list[str | Path], cwd: Path, scratch: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "PIP_FIND_LINKS"},
        "PIP_CONFIG_FILE": "/dev/null",
        "UV_CACHE_DIR": str(scratch / "uv"),
        "UV_PYTHON_DOWNLOADS": "never",
        "POETRY_CACHE_DIR": str(scratch / "poetry"),
    }
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{command}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"


def build_and_run(project: Path, tag: str) -> str:
    write(project, python="3.11")
    docker("build", "-t", tag, str(project))
    return docker("run", "--rm", "--network=none", tag).stdout.strip()


def test_uv_init_package(lock_tool, tmp_path):
    uv = lock_tool("uv")
    run([uv, "init", "--package", "--python", PYTHON, "scaffolded"], tmp_path, tmp_path / "scratch")
    project = tmp_path / "scaffolded"
    run([uv, "add", "--no-sync", "--python", PYTHON, "click>=8.1"], project, tmp_path / "scratch")
    assert build_and_run(project, "dockergen-e2e/scaffold-uv:test") == "Hello from scaffolded!"


def test_poetry_new(lock_tool, tmp_path):
    poetry = lock_tool("poetry")
    scratch = tmp_path / "scratch"
    run([poetry, "new", "scaffolded"], tmp_path, scratch)
    project = tmp_path / "scaffolded"
    run([poetry, "source", "add", "--priority=primary", "pypi-simple", "https://pypi.org/simple/"], project, scratch)
    run([poetry, "add", "--lock", "click>=8.1"], project, scratch)
    # The scaffold declares a README (which `poetry check` wants in the build context) and no script.
    assert (project / "README.md").exists()
    with (project / "pyproject.toml").open("a") as pyproject:
        pyproject.write('\n[project.scripts]\nscaffolded = "scaffolded:main"\n')
    (project / "src/scaffolded/__init__.py").write_text(
        "import click\n\n\ndef main():\n    click.echo('Hello from the poetry scaffold')\n"
    )
    assert build_and_run(project, "dockergen-e2e/scaffold-poetry:test") == "Hello from the poetry scaffold"
