"""End to end: the README's Node frontend example (a project template filling the `stages` and
`runner_setup` blocks) and the settings of "Adding to the Dockerfile" (labels, copy, healthcheck,
runner_steps), built with the real engine and checked in the running container.

No node image exists here and no image registry is reachable, so the frontend stage's FROM line
is the one line changed from the README's example: Debian's nodejs and npm on a Debian image the
engine has, in place of `node:22-slim`. Every other line of the template is the README's, read
from it, so the example cannot drift from what is tested.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from pathlib import Path

import pytest

from dockergen.api import status, write
from dockergen.project_template import PATH

from .engine import docker, free_port, image_tag

pytestmark = pytest.mark.docker

README = Path(__file__).resolve().parents[2] / "README.md"
NODE_IMAGE = "FROM node:22-slim AS frontend\n"
LOCAL_NODE = (
    "FROM debian:trixie-slim AS frontend\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*\n"
)
PROJECT = {
    "pyproject.toml": """\
[project]
name = "web"
version = "1.2.3"
requires-python = ">=3.13"
dependencies = []
[project.urls]
Repository = "https://git.example/acme/web"
[project.scripts]
web = "web.server:main"
[build-system]
requires = ["setuptools>=70"]
build-backend = "setuptools.build_meta"
[tool.dockergen]
python = "3.13"
port = 8000
healthcheck = "/app.js"
labels = {"org.opencontainers.image.licenses" = "MIT"}
copy = ["config"]
runner_steps = ["mkdir -p /data", "chown 10001:10001 /data"]
""",
    "src/web/__init__.py": "",
    "src/web/server.py": """\
import functools
import http.server


def main():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory="/app/static")
    http.server.ThreadingHTTPServer(("0.0.0.0", 8000), handler).serve_forever()
""",
    "config/site.toml": 'name = "web"\n',
    "frontend/package.json": json.dumps(
        {"name": "frontend", "version": "1.0.0", "private": True, "scripts": {"build": "node build.js"}}
    ),
    "frontend/package-lock.json": json.dumps(
        {
            "name": "frontend",
            "version": "1.0.0",
            "lockfileVersion": 3,
            "requires": True,
            "packages": {"": {"name": "frontend", "version": "1.0.0"}},
        }
    ),
    "frontend/build.js": """\
const fs = require("fs");
fs.mkdirSync("dist", { recursive: true });
fs.writeFileSync("dist/app.js", 'window.built = "by node ' + process.version + '";\\n');
""",
}


def readme_example() -> str:
    """The README's Node frontend template, as the README shows it."""
    match = re.search(
        r"<!-- example: node-frontend -->\n```jinja\n(.*?)```\n<!-- end example -->", README.read_text(), re.S
    )
    assert match is not None, "README: the node-frontend example is missing"
    return match.group(1)


def wait_healthy(container: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while (health := docker("inspect", "-f", "{{.State.Health.Status}}", container).stdout.strip()) != "healthy":
        if time.monotonic() > deadline:
            logs = docker("logs", container, check=False)
            raise AssertionError(f"container is {health}:\n{logs.stdout}\n{logs.stderr}")
        time.sleep(1)


def test_the_readme_node_frontend_example_builds_and_the_runner_serves_its_output(make_project):
    example = readme_example()
    assert example.count(NODE_IMAGE) == 1
    project = make_project({**PROJECT, PATH: example.replace(NODE_IMAGE, LOCAL_NODE)})
    assert write(project) == {"Dockerfile": "created", ".dockerignore": "created"}
    assert {entry.name: entry.state for entry in status(project)} == {
        "Dockerfile": "current",
        ".dockerignore": "current",
    }
    tag, container, port = image_tag("project-template:test"), f"dockergen-e2e-template-{free_port()}", free_port()
    try:
        args = ("--build-arg", "VERSION=1.2.3", "--build-arg", "REVISION=abc123")
        docker("build", *args, "-t", tag, str(project))
        labels = json.loads(docker("image", "inspect", "-f", "{{json .Config.Labels}}", tag).stdout)
        assert labels == {
            "org.opencontainers.image.source": "https://git.example/acme/web",
            "org.opencontainers.image.licenses": "MIT",
            "org.opencontainers.image.version": "1.2.3",
            "org.opencontainers.image.revision": "abc123",
        }
        # The image's own probe (GET /app.js, the frontend's output), run every 2 s instead of 30.
        docker("run", "-d", "--name", container, "--health-interval", "2s", "-p", f"127.0.0.1:{port}:8000", tag)
        wait_healthy(container)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/app.js", timeout=5) as response:
            assert response.read().decode().startswith('window.built = "by node v')
        inside = docker("exec", container, "sh", "-c", "id -u; stat -c %u /data; cat /app/config/site.toml").stdout
        assert inside.split("\n") == ["10001", "10001", 'name = "web"', ""]  # runner_steps ran as root; copy
        assert "frontend" not in docker("exec", container, "ls", "/app").stdout  # only the stage's output
    finally:
        docker("rm", "-f", container, check=False)
        docker("image", "rm", "-f", tag, check=False)
