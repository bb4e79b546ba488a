"""Base images as bots update them: pins by digest (`--pin-digests`), and the newer patch tags and
digests that Dependabot or Renovate write, kept across regenerations.

Every base image is written out in its FROM line (`FROM python:3.13-slim-trixie AS runner`), the
only form both bots read and rewrite. A bot's edit of that line is a *bump* of the image dockergen
plans when it keeps the repository, the tag's minor version and its variant (`-slim-trixie`) and
moves only forward: a newer patch tag (`3.13` or `3.13.1` to `3.13.2`) and any digest. `generate`
writes a bumped reference back as it found it, and the header's output hash is computed over the
file with every FROM reference reduced to its repository, minor and variant (`canonical`), so
`check` still finds the file dockergen's and current after a bot's pull request. A different
minor, variant or image is an edit, as any other; a tag older than the planned one is replaced.

Resolving (`--pin-digests`) asks the local Docker engine for the digest of an image it has
pulled (`docker pull` first); nothing else goes to the network.
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

# A base image reference as the FROM lines hold it: repository, tag, digest.
REFERENCE = re.compile(
    r"(?P<repository>[a-z0-9][a-z0-9._-]*(?::[0-9]+)?(?:/[a-z0-9][a-z0-9._-]*)*)"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
    r"(?:@(?P<digest>sha256:[0-9a-f]{64}))?"
)
# The stages whose FROM line names a base image, as dockergen writes them.
FROM_LINE = re.compile(rf"^FROM (?P<reference>{REFERENCE.pattern}) AS (?P<stage>uv|base|runner)$", re.MULTILINE)
# Dockerfiles dockergen wrote before base images were literal: `ARG PYTHON_IMAGE=image@digest`.
PINNED_ARG = re.compile(r"^ARG (PYTHON|BUILDER|UV)_IMAGE=(\S+@sha256:[0-9a-f]{64})$", re.MULTILINE)
ARG_STAGES = {"PYTHON": "runner", "BUILDER": "base", "UV": "uv"}
# A tag that starts with a version: its numbers (3.13.1) and the variant after them (-slim-trixie).
VERSIONED_TAG = re.compile(r"^(?P<version>[0-9]+(?:\.[0-9]+){0,2})(?P<variant>(?:-[A-Za-z0-9_.]+)*)$")


def _version(tag: str | None) -> tuple[tuple[int, ...], str] | None:
    match = VERSIONED_TAG.fullmatch(tag or "")
    if match is None:
        return None
    return tuple(int(n) for n in match["version"].split(".")), match["variant"]


def _minor_tag(tag: str | None) -> str | None:
    """The tag with its patch number dropped (3.13.1-slim-trixie: 3.13-slim-trixie); others as they are."""
    parsed = _version(tag)
    if parsed is None or len(parsed[0]) < 3:
        return tag
    numbers, variant = parsed
    return f"{numbers[0]}.{numbers[1]}{variant}"


def canonical(text: str) -> str:
    """The Dockerfile with each base image reduced to repository, minor and variant: what the
    header's output hash covers, so that a bot's patch or digest bump leaves the file dockergen's."""

    def reduce(line: re.Match[str]) -> str:
        tag = _minor_tag(line["tag"])
        return f"FROM {line['repository']}{':' + tag if tag else ''} AS {line['stage']}"

    return FROM_LINE.sub(reduce, text)


def is_bump(planned: str, found: str) -> bool:
    """Whether found is planned as a bot updates it: the same repository, minor and variant, a tag
    as new or newer, any digest."""
    want, have = REFERENCE.fullmatch(planned), REFERENCE.fullmatch(found)
    if want is None or have is None or want["repository"] != have["repository"] or want["digest"]:
        return False
    if want["tag"] == have["tag"]:
        return True
    planned_version, found_version = _version(want["tag"]), _version(have["tag"])
    if planned_version is None or found_version is None or planned_version[1] != found_version[1]:
        return False
    (want_numbers, _), (have_numbers, _) = planned_version, found_version
    return have_numbers[:2] == want_numbers[:2] and have_numbers >= want_numbers


def existing_references(root: Path, name: str = "Dockerfile") -> dict[str, str]:
    """stage -> base image reference, from the Dockerfile at name (a path relative to the project
    root), read as every project file is: never through a link that leads out of the project."""
    project = Project(root)
    if not project.exists(name):
        return {}
    text = project.read_bytes(name).decode("utf-8", errors="replace")
    found = {ARG_STAGES[arg]: reference for arg, reference in PINNED_ARG.findall(text)}
    found.update({line["stage"]: line["reference"] for line in FROM_LINE.finditer(text)})
    return found


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
    """The plan with the base images the Dockerfile at name already has, where each is a bump of
    the planned one (a bot's newer patch tag or digest, or an earlier --pin-digests); fresh
    resolves the digest of each (the kept tag, or the planned one) with the local engine."""
    found = existing_references(root, name)

    def kept(stage: str, image: str) -> str:
        reference = found.get(stage, image)
        reference = reference if is_bump(image, reference) else image
        return f"{reference.split('@')[0]}@{resolve(reference.split('@')[0])}" if fresh else reference

    images = plan.images
    runner, builder = kept("runner", images.runner), kept("base", images.builder)
    uv = kept("uv", images.uv) if images.uv is not None else None
    return replace(plan, images=replace(images, runner=runner, builder=builder, uv=uv))
