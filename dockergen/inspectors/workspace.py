"""uv workspaces: the member `--package` names, and the workspace a member directory belongs to.

A monorepo's apps are members of one workspace, locked together in the root's uv.lock. The build
context of a member's image is the workspace root (the lock, and the members it depends on, are
there), so a member is always planned from the root, with `package` naming it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..facts import InspectError
from ..project import Project, normalize, pep621_name
from . import uv

# How far above a member directory its workspace root is looked for: packages/api, apps/web/api...
MAX_LEVELS = 8
# A directory holding one of these is a repository's root: nothing above it is the project's.
REPOSITORY_MARKERS = (".git", ".hg", ".svn")
# Settings of the root's [tool.dockergen] that are the root app's own, not shared with members.
ROOT_APP_SETTINGS = ("output", "package", "compose", "ci")
# Outputs written at the workspace root, one for each app: not yet for a member.
ROOT_OUTPUTS = ("compose", "ci")


def member_names(project: Project) -> dict[str, str]:
    """{normalized project name: directory} of the workspace's members (those with a name)."""
    found = {}
    for directory in uv.members(project):
        name = pep621_name(Project(project.root / directory))
        if name is not None:
            found[normalize(name)] = directory
    return found


def select_member(project: Project, package: str) -> str:
    """The directory of the member named package; an error naming the members when there is none."""
    if not project.pyproject_table("tool", "uv", "workspace"):
        raise InspectError(
            "pyproject.toml",
            f"package = {package!r}: this project is not a uv workspace (no [tool.uv.workspace]); "
            "leave package out, or run dockergen at the workspace root",
        )
    found = member_names(project)
    if normalize(package) not in found:
        known = ", ".join(sorted(found)) or "none"
        raise InspectError(
            "pyproject.toml", f"package = {package!r} is not a member of the workspace (members: {known})"
        )
    return found[normalize(package)]


def member_settings(project: Project, member: str, root_settings: dict[str, Any]) -> dict[str, Any]:
    """The settings a member is planned with: the root's [tool.dockergen] (shared choices like
    python or debian) under the member's own, and its Dockerfile at <member>/Dockerfile unless the
    member's `output` says otherwise, so that each member's file has a place of its own. The root's
    compose and CI files are the root app's. Paths are the build context's: the workspace root's."""
    shared = {key: value for key, value in root_settings.items() if key not in ROOT_APP_SETTINGS}
    own = {key: value for key, value in Project(project.root / member).settings.items() if key != "package"}
    return {**shared, "output": f"{member}/Dockerfile", **own}


def check_member_settings(settings: dict[str, Any]) -> None:
    """A member's image is one of several built from the workspace root: outputs written at the
    root (compose.yaml, the CI files) would be rewritten by each member's, so they are refused."""
    for key in ROOT_OUTPUTS:
        if settings.get(key):
            raise InspectError(
                "pyproject.toml", f"[tool.dockergen] {key} with package: not supported for a workspace member yet"
            )


def enclosing_workspace(start: Path) -> tuple[Path, str] | None:
    """(workspace root, member name) when start is a member directory of a locked uv workspace
    above it and has no lock of its own: uv runs such a member with the root's lock, and so must
    its image. The walk stops at a repository's root and after MAX_LEVELS directories, so it never
    reads unrelated directories; a parent that cannot be read is passed over."""
    here = start.resolve()
    if not (here / "pyproject.toml").is_file() or (here / uv.LOCK).exists():
        return None
    if any((here / marker).exists() for marker in REPOSITORY_MARKERS):
        return None
    for parent in list(here.parents)[:MAX_LEVELS]:
        found = _member_of(parent, here)
        if found is not None:
            return parent, found
        if any((parent / marker).exists() for marker in REPOSITORY_MARKERS):
            return None
    return None


def _member_of(root: Path, member: Path) -> str | None:
    """The name of member when root is a locked uv workspace that has it as a member."""
    if not (root / "pyproject.toml").is_file() or not (root / uv.LOCK).is_file():
        return None
    project = Project(root)
    directory = member.relative_to(root).as_posix()
    try:
        if not project.pyproject_table("tool", "uv", "workspace") or directory not in uv.members(project):
            return None
        return pep621_name(Project(member))
    except InspectError:
        return None
