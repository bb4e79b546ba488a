"""End to end: two members of one uv workspace, locked by the real uv, each written with
`--package` (one from the root, one from inside its directory), built from the workspace root
with `docker build -f packages/<member>/Dockerfile .` and run. Each image holds its member and
only the members it needs: ws-api has ws-core (and six, its dependency), ws-cli has neither;
ws-web, no package, runs its script from the app directory with ws-core installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from dockergen.api import write

from ..test_workspace_package import WORKSPACE
from .engine import docker, image_tag

pytestmark = pytest.mark.docker


def build(root: Path, member: str) -> str:
    """The image's ID, tagged for the test."""
    tag = image_tag(f"workspace-{member}:test")
    docker("build", "-q", "-f", str(root / "packages" / member / "Dockerfile"), "-t", tag, str(root))
    return docker("image", "inspect", "--format", "{{.Id}}", tag).stdout.strip()


def run(member: str) -> str:
    return docker("run", "--rm", "--network=none", image_tag(f"workspace-{member}:test")).stdout.strip()


def test_two_members_of_a_workspace_each_build_with_only_the_members_they_need(lock_tool, tmp_path):
    root = tmp_path / "monorepo"
    shutil.copytree(WORKSPACE, root)
    (root / "uv.lock").unlink()
    subprocess.run([str(lock_tool("uv")), "lock", "--python", "3.11"], cwd=root, check=True, capture_output=True)
    assert write(root, package="ws-api") == {
        "packages/api/Dockerfile": "created",
        "packages/api/Dockerfile.dockerignore": "created",
    }
    assert write(root / "packages" / "cli") == {  # run from inside the member: planned at the root
        "packages/cli/Dockerfile": "created",
        "packages/cli/Dockerfile.dockerignore": "created",
    }
    write(root, package="ws-web")
    try:
        api = build(root, "api")
        build(root, "cli")
        build(root, "web")
        assert run("api") == "api: core with six 1.17.0 ['six', 'ws-api', 'ws-core']"
        assert run("cli") == "cli: ['ws-cli']"
        assert run("web") == "web: core with six 1.17.0"  # its script, from the app directory
        # A change to the cli member's code leaves every layer of the api image as it was.
        code = root / "packages" / "cli" / "src" / "ws_cli" / "__init__.py"
        code.write_text(code.read_text().replace('"cli:"', '"cli changed:"'))
        assert build(root, "api") == api
        build(root, "cli")
        assert run("cli") == "cli changed: ['ws-cli']"
    finally:
        for member in ("api", "cli", "web"):
            docker("image", "rm", "-f", image_tag(f"workspace-{member}:test"), check=False)
