"""A pylock.toml written by `uv export --format pylock.toml` lists the project itself (and any path
package) as a directory to install, editable. The dependency step has no tree: it installs the
lock without those entries, and the project stage builds them (issue 12, item 4)."""

from __future__ import annotations

import subprocess

import pytest

import dockergen
from dockergen.api import write

from .engine import docker

pytestmark = pytest.mark.docker


def test_the_project_and_its_path_package_in_an_exported_pylock_build_and_run(lock_tool, make_project):
    uv = lock_tool("uv")
    project = make_project(
        {
            "pyproject.toml": '[project]\nname = "pyl"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
            'dependencies = ["click", "greeting"]\n[project.scripts]\npyl = "pyl:main"\n'
            '[dependency-groups]\ndev = ["pytest"]\n'
            '[tool.uv.sources]\ngreeting = { path = "libs/greeting", editable = true }\n'
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
            "src/pyl/__init__.py": "import click\nfrom greeting import hello\n\n\n"
            "def main():\n    click.echo(hello('pylock') + ' with click ' + click.__version__)\n",
            "libs/greeting/pyproject.toml": '[project]\nname = "greeting"\nversion = "0.1"\n'
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
            "libs/greeting/src/greeting/__init__.py": "def hello(name):\n    return f'Hello, {name}!'\n",
        }
    )
    subprocess.run([str(uv), "lock", "--python", "3.11"], cwd=project, check=True, capture_output=True)
    subprocess.run(
        [str(uv), "export", "--format", "pylock.toml", "--no-dev", "-o", "pylock.toml"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    (project / "uv.lock").unlink()  # the exported lock is the source of truth
    assert 'path = "."' in (project / "pylock.toml").read_text()
    facts, plan = dockergen.plan(project, python="3.11")
    assert facts.manager == "pylock" and facts.own_entry == "pyl"
    assert set(plan.deps.left_out) == {"pyl", "greeting"}
    assert plan.project is not None and plan.project.wheel_dirs == ("libs/greeting",)
    write(project, python="3.11")
    docker("build", "-t", "dockergen-e2e/pylock-export:test", str(project))
    result = docker("run", "--rm", "--network=none", "dockergen-e2e/pylock-export:test")
    assert result.stdout.startswith("Hello, pylock! with click "), result.stdout + result.stderr
