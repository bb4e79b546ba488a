"""Poetry projects: poetry.lock 2.x, [tool.poetry] (1.x style) or PEP 621 [project] (2.x style)."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from ..facts import Index, InspectError, LockedPackage, ManagerFacts, Origin, Requirement, Source
from ..project import (
    Project,
    expect,
    group_names,
    normalize,
    pep621_name,
    pep621_requirements,
    pep621_scripts,
    requires_python,
    script_name,
)
from .base import InstallTraits
from .lockgraph import assign_groups

NAME = "poetry"
LOCK = "poetry.lock"
INSTALL = InstallTraits(
    "poetry", lock=LOCK, lock_command="poetry lock", tool="poetry", exports=True, installs_groups=True
)
BACKEND = "poetry.core.masonry.api"
# The parts of pyproject.toml that Poetry's content-hash covers (poetry/packages/locker.py, 2.x).
LEGACY_KEYS = ("dependencies", "source", "extras", "dev-dependencies")
RELEVANT_KEYS = (*LEGACY_KEYS, "group")
RELEVANT_PROJECT_KEYS = ("requires-python", "dependencies", "optional-dependencies")


def detect(project: Project) -> tuple[bool, str] | None:
    if project.exists(LOCK):
        return True, "poetry.lock present"
    if project.pyproject_table("tool", "poetry") or project.build_backend == BACKEND:
        return False, "[tool.poetry] in pyproject.toml (no poetry.lock yet)"
    return None


def inspect(project: Project) -> ManagerFacts:
    if project.pyproject is None:
        raise InspectError(LOCK, "poetry.lock without pyproject.toml")
    poetry = project.pyproject_table("tool", "poetry")
    facts = ManagerFacts(lock_file=LOCK, lock_present=project.exists(LOCK), inputs=["pyproject.toml", LOCK])
    name = pep621_name(project) or poetry.get("name")
    facts.name = expect(name, str, "pyproject.toml", "tool.poetry.name") if name is not None else None
    facts.build_backend = project.build_backend
    facts.installable = facts.build_backend is not None and poetry.get("package-mode", True) is not False
    facts.requirements = pep621_requirements(project) + _poetry_requirements(poetry)
    facts.groups = group_names(facts.requirements)
    facts.scripts = pep621_scripts(project) or _poetry_scripts(poetry)
    facts.python_constraints = requires_python(project)
    python = (poetry.get("dependencies") or {}).get("python")
    if isinstance(python, str):
        facts.python_constraints.append((Origin("pyproject.toml", "[tool.poetry.dependencies] python"), python))
    facts.indexes = _sources(poetry)
    facts.inputs += _license_file(project)
    if facts.lock_present:
        _read_lock(project, facts)
        facts.path_packages = facts.locked_directories(("directory",))
    else:
        facts.lock_note = INSTALL.missing_lock()
    return facts


def _license_file(project: Project) -> list[str]:
    """A PEP 621 license file: Poetry reads it whenever it loads the project, to export or sync too."""
    license = project.pyproject_table("project").get("license")
    name = license.get("file") if isinstance(license, dict) else None
    return [name] if isinstance(name, str) and project.exists(name) else []


def _spec_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("version", ""))
    return ""


def _poetry_requirements(poetry: dict[str, Any]) -> list[Requirement]:
    reqs: list[Requirement] = []
    tables = [("main", poetry.get("dependencies", {})), ("dev", poetry.get("dev-dependencies", {}))]
    groups = expect(poetry.get("group", {}), dict, "pyproject.toml", "tool.poetry.group")
    tables += [(g, (t or {}).get("dependencies", {})) for g, t in groups.items() if isinstance(t, dict)]
    for group, table in tables:
        for name, value in expect(table, dict, "pyproject.toml", f"poetry {group} dependencies").items():
            if normalize(name) != "python":
                reqs.append(Requirement(normalize(name), _spec_text(value), None, group))
    return reqs


def _poetry_scripts(poetry: dict[str, Any]) -> dict[str, str]:
    scripts = expect(poetry.get("scripts", {}), dict, "pyproject.toml", "tool.poetry.scripts")
    scripts = {
        script_name(k, "pyproject.toml"): expect(v, (str, dict), "pyproject.toml", f"tool.poetry.scripts.{k}")
        for k, v in scripts.items()
    }
    return {k: v if isinstance(v, str) else str(v.get("reference", "")) for k, v in scripts.items()}


def _sources(poetry: dict[str, Any]) -> list[Index]:
    out = []
    for src in expect(poetry.get("source", []), list, "pyproject.toml", "tool.poetry.source"):
        src = expect(src, dict, "pyproject.toml", "a [[tool.poetry.source]] entry")
        url = src.get("url")
        if isinstance(url, str):
            out.append(Index(str(src.get("name", url)), url, src.get("priority") == "explicit"))
    return out


def content_hash(pyproject: dict[str, Any], with_groups: bool = True) -> str:
    """Poetry's content-hash of the manifest (Locker._get_content_hash, Poetry 2.5), to tell a
    stale lock from a current one. Before Poetry 2.3 it left [dependency-groups] out."""
    project = pyproject.get("project", {})
    groups = pyproject.get("dependency-groups", {}) if with_groups else {}
    poetry = pyproject.get("tool", {}).get("poetry", {})
    project_part = {k: project[k] for k in RELEVANT_PROJECT_KEYS if project.get(k) is not None}
    poetry_part = {
        k: poetry.get(k)
        for k in RELEVANT_KEYS
        if not (poetry.get(k) is None and (k not in LEGACY_KEYS or project_part or groups))
    }
    content: dict[str, Any] = {}
    if project_part:
        content["project"] = project_part
    if groups:
        content["dependency-groups"] = groups
    if content:
        content["tool"] = {"poetry": poetry_part}
    else:
        content = poetry_part  # Poetry keeps [tool.poetry]-only manifests at the top level
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def _source(raw: Any) -> Source:
    kind = expect(raw, dict, LOCK, "a package's source").get("type")
    if kind in ("git", "directory", "file", "url"):
        return Source("path" if kind == "file" else kind, str(raw.get("url", "")))
    if kind == "legacy":
        return Source("registry", str(raw.get("url", "")))
    return Source("registry")


def _read_lock(project: Project, facts: ManagerFacts) -> None:
    lock = project.toml(LOCK)
    metadata = expect(lock.get("metadata", {}), dict, LOCK, "[metadata]")
    version = str(metadata.get("lock-version", ""))
    if not version.startswith("2."):
        raise InspectError(LOCK, f"unsupported lock-version {version!r} (dockergen reads 2.x; run `poetry lock`)")
    if isinstance(metadata.get("python-versions"), str):
        facts.python_constraints.append((Origin(LOCK, "python-versions"), metadata["python-versions"]))
    raws = [
        expect(p, dict, LOCK, "a [[package]] entry") for p in expect(lock.get("package", []), list, LOCK, "[[package]]")
    ]
    if any(not isinstance(p.get("name"), str) for p in raws):
        raise InspectError(LOCK, "a [[package]] entry has no name")
    groups = _groups(raws, facts.requirements)
    for raw in raws:
        name = normalize(raw["name"])
        if name not in groups:
            continue
        files = [f for f in expect(raw.get("files", []), list, LOCK, f"{name} files") if isinstance(f, dict)]
        markers = raw.get("markers")
        facts.packages.append(
            LockedPackage(
                name=name,
                version=str(raw.get("version")) if raw.get("version") is not None else None,
                groups=groups[name],
                marker=markers if isinstance(markers, str) else None,
                source=_source(raw.get("source") or {}),
                files=tuple(str(f.get("file", "")) for f in files if f.get("file")),
                hashed=any(f.get("hash") for f in files),
            )
        )
    facts.export_problem = _export_problem(raws, groups)
    recorded = metadata.get("content-hash")
    if not isinstance(recorded, str):
        facts.lock_note = "poetry.lock has no content-hash: cannot tell whether it is current"
    elif recorded == content_hash(project.pyproject or {}):
        facts.lock_consistent, facts.lock_note = True, "content-hash matches pyproject.toml"
    elif _written_before_groups(project) and recorded == content_hash(project.pyproject or {}, with_groups=False):
        facts.lock_consistent = True
        facts.lock_note = "content-hash matches pyproject.toml as Poetry < 2.3, which wrote it, hashed it (no groups)"
    else:
        facts.lock_consistent = False
        facts.lock_note = "poetry.lock is stale: content-hash differs from pyproject.toml; run `poetry lock`"


def _written_before_groups(project: Project) -> bool:
    """Whether the lock's header names a Poetry older than 2.3: Poetry itself then compares the
    hash it would have written, without [dependency-groups] (Locker.is_fresh)."""
    first = project.text(LOCK)[:200].split("\n", 1)[0]
    found = re.search(r"Poetry ([0-9]+)\.([0-9]+)", first)
    return found is not None and (int(found.group(1)), int(found.group(2))) < (2, 3)


def _export_problem(raws: list[dict[str, Any]], groups: dict[str, tuple[str, ...]]) -> str:
    """A lock older than 2.1 records no markers per package, so poetry-plugin-export walks the
    dependency graph instead, and that walk fails on a package locked at several versions (one
    per Python range): "Dependency walk failed" (python-poetry/poetry-plugin-export#183)."""
    if all(isinstance(p.get("markers"), str) or isinstance(p.get("groups"), list) for p in raws):
        return ""
    names = [normalize(p["name"]) for p in raws]
    several = sorted({n for n in names if names.count(n) > 1 and "main" in groups.get(n, ())})
    if not several:
        return ""
    return f"{', '.join(several)} locked at several versions in a lock with no markers per package (lock-version 2.0)"


def _groups(raws: list[dict[str, Any]], reqs: list[Requirement]) -> dict[str, tuple[str, ...]]:
    """Lock 2.1 records each package's groups; older 2.x locks need the dependency graph."""
    if all(isinstance(p.get("groups"), list) for p in raws):
        return {normalize(p["name"]): tuple(str(g) for g in p["groups"]) for p in raws}
    edges = {
        normalize(p["name"]): [normalize(d) for d in expect(p.get("dependencies") or {}, dict, LOCK, "dependencies")]
        for p in raws
    }
    roots: dict[str, list[str]] = {}
    for req in reqs:
        roots.setdefault(req.group, []).append(req.name)
    return assign_groups(roots, edges)
