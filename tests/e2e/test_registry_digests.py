"""--pin-digests against a real registry: the pin is the registry's digest, and the build pulls by it.

No public registry is reachable here, so the test starts Debian's `docker-registry` (the CNCF
distribution registry) on loopback and pushes the local python stand-in to it. CI installs the
package (`.ci/run`); without it the test is skipped, or fails under DOCKERGEN_REQUIRE_DOCKER=1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import urllib.request

import pytest
from click.testing import CliRunner

from dockergen.api import write
from dockergen.cli import main

from ..test_digests import dependabot_bump, renovate_pin_digest
from .engine import docker, free_port, wait_for_port

pytestmark = pytest.mark.docker

MANIFESTS = ", ".join(
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ]
)


@pytest.fixture
def registry(tmp_path_factory):
    """host:port of a registry on loopback (plain HTTP, as the engine allows for 127.0.0.0/8), and its log."""
    binary = shutil.which("docker-registry")
    if binary is None:
        message = "no docker-registry command (apt-get install docker-registry)"
        if os.environ.get("DOCKERGEN_REQUIRE_DOCKER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    root = tmp_path_factory.mktemp("registry")
    port = free_port()
    config = root / "config.yml"
    config.write_text(
        "version: 0.1\nlog:\n  level: info\n"
        f"storage:\n  filesystem:\n    rootdirectory: {root / 'data'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
    )
    log = (root / "registry.log").open("w")
    server = subprocess.Popen([binary, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port)
        yield f"127.0.0.1:{port}", root / "registry.log"
    finally:
        server.terminate()
        server.wait(10)
        log.close()


def registry_digest(registry: str, repository: str, tag: str) -> str:
    """What the registry itself says the tag's manifest digest is."""
    request = urllib.request.Request(
        f"http://{registry}/v2/{repository}/manifests/{tag}", method="HEAD", headers={"Accept": MANIFESTS}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["Docker-Content-Digest"]


def test_pins_are_the_registry_digests_and_the_build_pulls_by_them(registry, sample_copy):
    registry, log = registry
    image = f"{registry}/python:3.11-slim-bookworm"
    docker("tag", "python:3.11-slim-bookworm", image)
    docker("push", image)
    docker("rmi", image)
    docker("pull", image)  # what a user does before --pin-digests: the engine records the digest
    digest = registry_digest(registry, "python", "3.11-slim-bookworm")

    path = sample_copy("requirements-plain")
    write(path, python="3.11", image=f"{registry}/python", pin_digests=True)
    dockerfile = (path / "Dockerfile").read_text()
    assert f"FROM {image}@{digest} AS runner\n" in dockerfile
    assert f"FROM {image}@{digest} AS base\n" in dockerfile

    docker("rmi", image)  # untags it, digest reference included: the build must ask the registry
    tag = "dockergen-e2e/pinned:test"
    docker("build", "--no-cache", "-t", tag, str(path))
    assert f"/v2/python/manifests/{digest}" in log.read_text()
    assert "Hello, world!" in docker("run", "--rm", "--network=none", tag).stdout
    check = ["check", "--python", "3.11", "--image", f"{registry}/python", str(path)]
    assert CliRunner().invoke(main, check).exit_code == 0  # offline: the pins are kept

    # Moving the tag to other bytes changes the registry's digest; the old pin still names the old image.
    docker("build", "-t", image, "-", stdin=f"FROM {image}@{digest}\nLABEL moved=1\n")
    docker("push", image)
    assert registry_digest(registry, "python", "3.11-slim-bookworm") != digest
    assert CliRunner().invoke(main, check).exit_code == 0
    write(path, python="3.11", image=f"{registry}/python", pin_digests=True)
    assert registry_digest(registry, "python", "3.11-slim-bookworm") in (path / "Dockerfile").read_text()


def test_a_bots_newer_patch_tag_and_digest_are_kept_and_built(registry, sample_copy):
    """The edits Dependabot and Renovate make to a FROM line, against a registry that has the newer
    patch tag: `check` passes, `generate` keeps them, and the build pulls the digest they pinned."""
    registry, log = registry
    repository = f"{registry}/python"
    for tag in ("3.11-slim-bookworm", "3.11.14-slim-bookworm"):
        docker("tag", "python:3.11-slim-bookworm", f"{repository}:{tag}")
        docker("push", f"{repository}:{tag}")
        docker("rmi", f"{repository}:{tag}")
    digest = registry_digest(registry, "python", "3.11.14-slim-bookworm")
    settings = {"python": "3.11", "image": repository}
    path = sample_copy("requirements-plain")
    write(path, **settings)

    dockerfile = path / "Dockerfile"
    text = dependabot_bump(dockerfile.read_text(), repository, "3.11-slim-bookworm", "3.11.14-slim-bookworm")
    text = renovate_pin_digest(text, repository, "3.11.14-slim-bookworm", digest)
    assert text.count(f"FROM {repository}:3.11.14-slim-bookworm@{digest} AS ") == 2
    dockerfile.write_text(text)
    check = ["check", "--python", "3.11", "--image", repository, str(path)]
    assert CliRunner().invoke(main, check).exit_code == 0
    assert write(path, **settings)["Dockerfile"] == "unchanged"

    tag = "dockergen-e2e/bot-bump:test"
    docker("build", "--no-cache", "-t", tag, str(path))
    assert f"/v2/python/manifests/{digest}" in log.read_text()
    assert "Hello, world!" in docker("run", "--rm", "--network=none", tag).stdout
