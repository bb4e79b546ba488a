"""End to end: a Dockerfile below the project root, built as the README says, with
`docker build -f docker/Dockerfile .`: the build context stays the project.

BuildKit reads `docker/Dockerfile.dockerignore` for that Dockerfile when it exists, and the
context root's `.dockerignore` otherwise. dockergen writes the root one (every builder reads it,
the classic one too); the one beside the Dockerfile only amends a .dockerignore of the team's.
"""

from __future__ import annotations

import pytest

from dockergen.api import write

from .engine import docker, image_tag

pytestmark = pytest.mark.docker

APP = {
    "requirements.txt": "six==1.17.0\n",
    "main.py": "import os, six\nprint('six', six.__version__, sorted(os.listdir('/app')))\n",
    ".env": "SECRET_KEY=never-in-the-image\n",
    "pyproject.toml": '[tool.dockergen]\noutput = "docker/Dockerfile"\npython = "3.13"\n',
}


def build_and_run(project, name: str) -> str:
    tag = image_tag(f"{name}:test")
    try:
        docker("build", "-f", str(project / "docker" / "Dockerfile"), "-t", tag, str(project))
        return docker("run", "--rm", "--network=none", tag).stdout.strip()
    finally:
        docker("image", "rm", "-f", tag, check=False)


def test_a_dockerfile_below_the_root_builds_with_f_and_the_root_dockerignore(make_project):
    project = make_project(APP)
    assert write(project) == {"docker/Dockerfile": "created", ".dockerignore": "created"}
    # The root .dockerignore applies: no .env, and no Dockerfile, in the app directory.
    listing = "['docker', 'main.py', 'pyproject.toml', 'requirements.txt']"
    assert build_and_run(project, "outputs-below-root") == f"six 1.17.0 {listing}"


def test_a_teams_dockerignore_is_amended_beside_a_dockerfile_below_the_root(make_project):
    """'*' then '!main.py' leaves out requirements.txt, and the build would fail: BuildKit reads
    docker/Dockerfile.dockerignore (theirs, amended) for docker/Dockerfile instead."""
    project = make_project({**APP, ".dockerignore": "*\n!main.py\n!pyproject.toml\n"})
    actions = write(project)
    assert actions["docker/Dockerfile.dockerignore"] == "created"
    assert actions[".dockerignore"].startswith("owned (no dockergen header)")
    assert "!requirements.txt\n" in (project / "docker" / "Dockerfile.dockerignore").read_text()
    listing = "['main.py', 'pyproject.toml', 'requirements.txt']"
    assert build_and_run(project, "outputs-amended") == f"six 1.17.0 {listing}"
