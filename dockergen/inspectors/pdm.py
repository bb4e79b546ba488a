"""PDM projects: pdm.lock 4.x, PEP 621 [project], [tool.pdm] sources and dev groups."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..facts import Index, InspectError, LockedPackage, ManagerFacts, Origin, Requirement, Source
from ..project import (
    Project,
    expect,
    group_names,
    normalize,
    parse_requirement,
    pep621_name,
    pep621_requirements,
    pep621_scripts,
    requires_python,
)
from .base import InstallTraits
from .lockgraph import assign_groups

NAME = "pdm"
LOCK = "pdm.lock"
INSTALL = InstallTraits(
    "pdm", lock=LOCK, lock_command="pdm lock", tool="pdm", tree_packages="deps-step", installs_groups=True
)


def detect(project: Project) -> tuple[bool, str] | None:
    if project.exists(LOCK):
        return True, "pdm.lock present"
    if project.pyproject_table("tool", "pdm") or project.build_backend == "pdm.backend":
        return False, "[tool.pdm] in pyproject.toml (no pdm.lock yet)"
    return None


def inspect(project: Project) -> ManagerFacts:
    if project.pyproject is None:
        raise InspectError(LOCK, "pdm.lock without pyproject.toml")
    pdm = project.pyproject_table("tool", "pdm")
    facts = ManagerFacts(lock_file=LOCK, lock_present=project.exists(LOCK), inputs=["pyproject.toml", LOCK])
    facts.name = pep621_name(project)
    facts.build_backend = project.build_backend
    facts.installable = facts.build_backend is not None and pdm.get("distribution", True) is not False
    facts.requirements = pep621_requirements(project) + _legacy_dev(pdm)
    facts.groups = group_names(facts.requirements)
    facts.scripts = pep621_scripts(project)
    facts.python_constraints = requires_python(project)
    facts.indexes = [
        Index(str(s.get("name", s["url"])), s["url"], s.get("type") == "find_links" or bool(s.get("include_packages")))
        for s in expect(pdm.get("source", []), list, "pyproject.toml", "tool.pdm.source")
        if isinstance(s, dict) and isinstance(s.get("url"), str)
    ]
    if facts.lock_present:
        _read_lock(project, facts)
        facts.path_packages = facts.locked_directories(("directory", "path"))
        facts.inputs += [d for _, d in facts.path_packages]  # PDM installs them in the deps step
    else:
        facts.lock_note = INSTALL.missing_lock()
    return facts


def _source(raw: dict[str, Any]) -> Source:
    path = raw.get("path")
    if not isinstance(path, str):
        return Source("registry")
    return Source("path" if path.endswith((".whl", ".tar.gz", ".zip")) else "directory", path)


def _legacy_dev(pdm: dict[str, Any]) -> list[Requirement]:
    table = expect(pdm.get("dev-dependencies", {}), dict, "pyproject.toml", "tool.pdm.dev-dependencies")
    return [
        parse_requirement(item, "pyproject.toml", group)
        for group, items in table.items()
        for item in expect(items, list, "pyproject.toml", f"tool.pdm.dev-dependencies.{group}")
        if isinstance(item, str) and not item.startswith("-e")
    ]


def content_hash(pyproject: dict[str, Any]) -> str:
    """PDM's content_hash of the manifest (PyProject.content_hash, PDM 2.29)."""
    project = pyproject.get("project", {})
    pdm = pyproject.get("tool", {}).get("pdm", {})
    dev: dict[str, list[Any]] = {normalize(g): list(d) for g, d in pyproject.get("dependency-groups", {}).items()}
    for group, items in pdm.get("dev-dependencies", {}).items():
        dev.setdefault(normalize(group), []).extend(items)
    data = {
        "sources": pdm.get("source", []),
        "dependencies": project.get("dependencies", []),
        "dev-dependencies": dev,
        "optional-dependencies": project.get("optional-dependencies", {}),
        "requires-python": project.get("requires-python", ""),
        "resolution": pdm.get("resolution", {}),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _read_lock(project: Project, facts: ManagerFacts) -> None:
    lock = project.toml(LOCK)
    metadata = expect(lock.get("metadata", {}), dict, LOCK, "[metadata]")
    version = str(metadata.get("lock_version", ""))
    if not version.startswith("4."):
        raise InspectError(LOCK, f"unsupported lock_version {version!r} (dockergen reads 4.x; run `pdm lock`)")
    for target in expect(metadata.get("targets") or [], list, LOCK, "metadata.targets"):
        if isinstance(target, dict) and isinstance(target.get("requires_python"), str):
            facts.python_constraints.append((Origin(LOCK, "target requires_python"), target["requires_python"]))
    raws = [
        expect(p, dict, LOCK, "a [[package]] entry") for p in expect(lock.get("package", []), list, LOCK, "[[package]]")
    ]
    if any(not isinstance(p.get("name"), str) for p in raws):
        raise InspectError(LOCK, "a [[package]] entry has no name")
    if all(isinstance(p.get("groups"), list) for p in raws):
        groups = {normalize(p["name"]): tuple("main" if g == "default" else str(g) for g in p["groups"]) for p in raws}
    else:
        edges = {
            normalize(p["name"]): [
                parse_requirement(expect(d, str, LOCK, "a dependency"), LOCK).name
                for d in expect(p.get("dependencies", []), list, LOCK, "dependencies")
            ]
            for p in raws
        }
        roots: dict[str, list[str]] = {}
        for req in facts.requirements:
            roots.setdefault(req.group, []).append(req.name)
        groups = assign_groups(roots, edges)
    for raw in raws:
        name = normalize(raw["name"])
        files = [f for f in expect(raw.get("files", []), list, LOCK, f"{name} files") if isinstance(f, dict)]
        facts.packages.append(
            LockedPackage(
                name=name,
                version=str(raw.get("version")) if raw.get("version") is not None else None,
                groups=groups.get(name, ("main",)),
                marker=raw.get("marker") if isinstance(raw.get("marker"), str) else None,
                files=tuple(str(f.get("file") or str(f.get("url", "")).rsplit("/", 1)[-1]) for f in files),
                hashed=any(f.get("hash") for f in files),
                source=_source(raw),
            )
        )
    recorded = str(metadata.get("content_hash", ""))
    if not recorded:
        facts.lock_note = "pdm.lock has no content_hash: cannot tell whether it is current"
    elif recorded.split(":", 1)[-1] == content_hash(project.pyproject or {}):
        facts.lock_consistent, facts.lock_note = True, "content_hash matches pyproject.toml"
    else:
        facts.lock_consistent = False
        facts.lock_note = "pdm.lock is stale: content_hash differs from pyproject.toml; run `pdm lock`"
