"""Lock freshness as the real tool sees it: extras are part of the lock, and a version bump
without re-locking is not a dependency change (uv --frozen installs it; the build succeeds)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import dockergen
from dockergen.api import write

from .engine import docker

PYPROJECT = """\
[project]
name = "bumped"
version = "{version}"
requires-python = ">=3.11"
dependencies = ["click>=8.1"]
[project.optional-dependencies]
color = ["colorama>=0.4"]
[project.scripts]
bumped = "bumped:main"
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"""


def uv_lock_check(uv: Path, project: Path) -> bool:
    return subprocess.run([str(uv), "lock", "--check"], cwd=project, capture_output=True).returncode == 0


@pytest.fixture
def locked_project(lock_tool, make_project):
    uv = lock_tool("uv")
    project = make_project(
        {
            "pyproject.toml": PYPROJECT.format(version="1.0.0"),
            "src/bumped/__init__.py": "import click\n\n\ndef main():\n    click.echo('bumped ok')\n",
        }
    )
    subprocess.run([str(uv), "lock", "--python", "3.11"], cwd=project, check=True, capture_output=True)
    return uv, project


def test_extras_in_the_lock_are_current_as_uv_says(locked_project):
    uv, project = locked_project
    assert uv_lock_check(uv, project)
    facts = dockergen.inspect(project)
    assert facts.lock_consistent is True, facts.lock_note


@pytest.mark.docker
def test_a_version_bump_without_relocking_still_builds(locked_project):
    uv, project = locked_project
    (project / "pyproject.toml").write_text(PYPROJECT.format(version="1.1.0"))
    assert not uv_lock_check(uv, project), "uv itself calls the lock out of date"
    facts, plan = dockergen.plan(project, python="3.11")
    assert facts.lock_consistent is True and "1.1.0 is not the lock's 1.0.0" in facts.lock_note
    assert plan.deps.frozen
    write(project, python="3.11")
    tag = "dockergen-e2e/bumped:test"
    docker("build", "-t", tag, str(project))
    assert docker("run", "--rm", "--network=none", tag).stdout.strip() == "bumped ok"


def test_dynamic_dependencies_are_not_compared_and_install_frozen(make_project):
    project = make_project(
        {
            "pyproject.toml": '[project]\nname = "dyn"\nversion = "1"\ndynamic = ["dependencies"]\n'
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
            "uv.lock": 'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "dyn"\nversion = "1"\n'
            'source = { editable = "." }\n',
        }
    )
    facts, plan = dockergen.plan(project, entrypoint="python")
    assert facts.lock_consistent is None and "dynamic" in facts.lock_note
    assert plan.deps.frozen


def test_only_the_workspace_members_the_project_runs_with_are_built(lock_tool, make_project):
    uv = lock_tool("uv")
    member = (
        '[project]\nname = "{0}"\nversion = "1"\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    )
    project = make_project(
        {
            "pyproject.toml": '[project]\nname = "root"\nversion = "1"\nrequires-python = ">=3.11"\n'
            'dependencies = ["lib"]\n[tool.uv.sources]\nlib = { workspace = true }\n'
            '[tool.uv.workspace]\nmembers = ["packages/*", "examples/*"]\n',
            "packages/lib/pyproject.toml": member.format("lib"),
            "packages/lib/src/lib/__init__.py": "",
            "examples/demo/pyproject.toml": member.format("demo"),
            "examples/demo/src/demo/__init__.py": "",
        }
    )
    subprocess.run([str(uv), "lock", "--python", "3.11"], cwd=project, check=True, capture_output=True)
    facts = dockergen.inspect(project, entrypoint="python")
    assert facts.workspace_members == ("packages/lib",)
    assert "examples/demo/pyproject.toml" in facts.inputs  # uv still reads every member to find the workspace
