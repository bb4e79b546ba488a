"""Base images pinned by digest (`--pin-digests`), and pins kept across regenerations.

Resolving asks the local Docker engine for the digest of an image it has pulled (`docker pull`
first); nothing else goes to the network. Once a Dockerfile carries pins, `generate` and `check`
keep every pin whose image is still the one planned, so `check` stays offline and clean.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

from .facts import InspectError
from .plan import BuildPlan
from .project import Project

PINNED_ARG = re.compile(r"^ARG (?:PYTHON|BUILDER|UV)_IMAGE=(\S+)@(sha256:[0-9a-f]{64})$", re.MULTILINE)


def existing_pins(root: Path, name: str = "Dockerfile") -> dict[str, str]:
    """image -> digest, from the ARG lines of the Dockerfile dockergen wrote before at name (a path
    relative to the project root), read as every project file is: never through a link that
    leads out of the project, a linked directory included."""
    project = Project(root)
    if not project.exists(name):
        return {}
    return dict(PINNED_ARG.findall(project.read_bytes(name).decode("utf-8", errors="replace")))


def resolve(image: str) -> str:
    """The digest the local engine records for image (pulled from a registry)."""
    docker = shutil.which("docker")
    if docker is None:
        raise InspectError(image, "cannot pin by digest: no docker command")
    result = subprocess.run(
        [docker, "image", "inspect", "--format", "{{json .RepoDigests}}", image], capture_output=True, text=True
    )
    repository = image.rsplit(":", 1)[0] if ":" in image.rsplit("/", 1)[-1] else image
    if result.returncode == 0:
        repo_digests: list[str] = json.loads(result.stdout or "null") or []
        for entry in repo_digests:
            name, _, digest = entry.partition("@")
            if name in (repository, f"docker.io/library/{repository}", f"docker.io/{repository}"):
                return digest
    raise InspectError(image, f"cannot pin by digest: the engine has no registry digest for it (docker pull {image})")


def pin(plan: BuildPlan, root: Path, name: str, fresh: bool) -> BuildPlan:
    """The plan with its base images pinned: freshly resolved, or the pins the Dockerfile at name
    already has."""
    pins = {} if fresh else existing_pins(root, name)

    def pinned(image: str) -> str:
        digest = resolve(image) if fresh else pins.get(image)
        return f"{image}@{digest}" if digest else image

    images = plan.images
    runner, builder = pinned(images.runner), pinned(images.builder)
    uv = pinned(images.uv) if images.uv is not None else None
    return replace(plan, images=replace(images, runner=runner, builder=builder, uv=uv))
