"""The build on CI and on any BuildKit builder: a GitHub Actions workflow and a docker-bake.hcl.

BuildKit's cache mounts live on one builder and are gone on the next CI runner, so the layer cache
is exported to the registry (`mode=max`: every stage's layers, the dependency stage's included)
and imported by the next build. dockergen's per-package layers are what make that pay: a changed
lock invalidates only the layers of the packages that changed, and the others come from the
registry instead of being installed again.

The `ci` setting asks for the files: "github" writes both, "bake" only docker-bake.hcl. They carry
dockergen's header, so `check` keeps them current with the Dockerfiles they build.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from . import __version__
from .facts import InspectError, ProjectFacts
from .options import Variant
from .plan import BuildPlan

WORKFLOW = ".github/workflows/docker.yml"
BAKE = "docker-bake.hcl"
# A repository name component, as the registries' grammar allows it (OCI distribution spec).
IMAGE_NAME = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
# Every platform a Python base image is published for that CI runners can emulate quickly.
PLATFORMS = ("linux/amd64", "linux/arm64")
# The CUDA wheels a GPU lock pins are x86_64 builds first: a GPU image is built for amd64 only.
GPU_PLATFORMS = ("linux/amd64",)
DISTRIBUTION = "dockergen-py"  # the PyPI name the workflow's check step installs


@dataclass(frozen=True)
class Target:
    """One image the CI builds: a Dockerfile dockergen writes, and what it is tagged as."""

    name: str  # the bake target: "image", or the variant
    dockerfile: str
    suffix: str  # of every tag and of the cache's ref: "" for the first Dockerfile, "-cpu" for another
    platforms: tuple[str, ...]


@dataclass(frozen=True)
class CiPlan:
    image: str  # the repository name, below the registry and owner
    targets: tuple[Target, ...]
    netrc: bool  # the install steps mount the netrc secret: the CI passes it
    dockergen: str  # the version the check step installs


def image_name(facts: ProjectFacts) -> str:
    """The project's name as an image repository name: lower case, runs of other characters as one -."""
    name = re.sub(r"[^a-z0-9]+", "-", facts.name.lower()).strip("-")
    if not IMAGE_NAME.fullmatch(name):
        raise InspectError("pyproject.toml", f"project name {facts.name!r} gives no image name")
    return name


def plan_ci(facts: ProjectFacts, dockerfiles: list[tuple[str, Variant | None, BuildPlan]]) -> CiPlan:
    """dockerfiles: each Dockerfile dockergen writes, with its variant (None: the one the settings
    plan) and its plan; the first is tagged plainly, each other with its variant as a suffix."""
    targets = []
    for n, (path, variant, build_plan) in enumerate(dockerfiles):
        gpu = build_plan.gpu is not None and build_plan.variant == "gpu"
        targets.append(
            Target(
                name=variant if variant and len(dockerfiles) > 1 else "image",
                dockerfile=path,
                suffix=f"-{variant}" if n and variant else "",
                platforms=GPU_PLATFORMS if gpu else PLATFORMS,
            )
        )
    netrc = any(build_plan.deps.private_indexes for _, _, build_plan in dockerfiles)
    return CiPlan(image_name(facts), tuple(targets), netrc, __version__)


def quoted(value: object) -> str:
    """A double-quoted string for YAML and HCL alike; no value dockergen writes has a $ or a brace,
    which HCL and GitHub expressions would read."""
    text = str(value)
    if re.search(r"[${}\\\x00-\x1f\x7f]", text):
        raise InspectError("dockergen", f"refusing to write {text!r} into a CI file")
    return json.dumps(text)
