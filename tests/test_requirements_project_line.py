"""'-e .' in a requirements file: the line the inspector takes for the project itself is exactly the
line the generated Dockerfile's sed drops, checked with the real sed."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from dockergen.api import generate, inspect

SETUP = {"setup.py": "from setuptools import setup\nsetup()\n", "app.py": "print(1)\n"}
PROJECT_LINES = ["-e .", "--editable=.", "--editable .", ".", "./", "file:.", "file:./", "-e file:./", "  -e .  # me"]
OTHER_LINES = ["click==8.1.8", "./libs/x", "-e ./libs/x", "..", "./.", ".x", "-e ..", "# -e ."]


def dropped_by_sed(dockerfile: str, lines: list[str]) -> list[str]:
    script = re.search(r"sed -E '([^']+)'", dockerfile)
    assert script, "the deps step has no sed for the project line"
    kept = subprocess.run(
        [shutil.which("sed") or "sed", "-E", script.group(1)],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return [line for line in lines if line not in kept]


@pytest.mark.parametrize("line", PROJECT_LINES)
def test_a_project_line_is_seen_and_dropped(make_project, line):
    path = make_project({**SETUP, "requirements.txt": f"click==8.1.8\n{line}\n"})
    assert inspect(path).project_line is not None
    dockerfile = generate(path)["Dockerfile"]
    assert "pip install -r requirements-without-project.txt" in dockerfile
    assert dropped_by_sed(dockerfile, [*PROJECT_LINES, *OTHER_LINES]) == PROJECT_LINES


@pytest.mark.parametrize("line", [line for line in OTHER_LINES if not line.startswith(("-e", ".", "#"))])
def test_other_lines_are_not_the_project(make_project, line):
    path = make_project({**SETUP, "requirements.txt": f"{line}\n"})
    facts = inspect(path)
    assert facts.project_line is None and facts.local_paths == ()
    assert "requirements-without-project" not in generate(path)["Dockerfile"]
