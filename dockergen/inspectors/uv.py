"""uv projects: uv.lock (version 1), [tool.uv], [dependency-groups] and workspaces."""

from __future__ import annotations

import posixpath
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

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
from .lockgraph import assign_groups, install_conditions

NAME = "uv"
LOCK = "uv.lock"
INSTALL = InstallTraits(
    "uv",
    lock=LOCK,
    lock_command="uv lock",
    uv=True,
    frozen="uv sync --frozen: the lock was checked against pyproject.toml here (and by `dockergen check`); "
    "a version bump alone does not fail the build",
    cpu_variant=True,
    installs_groups=True,
)
SUPPORTED_VERSIONS = (1,)


def detect(project: Project) -> tuple[bool, str] | None:
    if project.exists(LOCK):
        return True, "uv.lock present"
    if project.pyproject_table("tool", "uv"):
        return False, "[tool.uv] in pyproject.toml (no uv.lock yet)"
    return None


def inspect(project: Project, member: str = "") -> ManagerFacts:
    """The project's facts; with member (a workspace member's directory, `--package`), the facts
    of that member, read from its own pyproject.toml and from the workspace's lock."""
    if project.pyproject is None:
        raise InspectError(LOCK if project.exists(LOCK) else "pyproject.toml", "uv project without pyproject.toml")
    own = Project(project.root / member) if member else project
    facts = ManagerFacts(lock_file=LOCK, lock_present=project.exists(LOCK))
    try:
        _read_manifest(own, facts)
    except InspectError as error:  # a member's file is named from the workspace root
        raise InspectError(f"{member}/{error.path}", error.problem) if member else error from None
    if member:
        facts.python_constraints = [(Origin(f"{member}/{o.file}", o.key), s) for o, s in facts.python_constraints]
    facts.indexes = _indexes(project)
    every_member = members(project)
    facts.workspace_members = [m for m in every_member if m != member]
    facts.inputs = ["pyproject.toml", LOCK] + [f"{m}/pyproject.toml" for m in every_member]
    if facts.lock_present:
        _read_lock(project, facts, own)
        # Only the members the project runs with are built: not examples, tools or test packages.
        runtime = {posixpath.normpath(p.source.url) for p in facts.packages if "main" in p.groups and p.source.url}
        facts.workspace_members = [m for m in facts.workspace_members if m in runtime]
        facts.path_packages = facts.locked_directories(("directory", "workspace"))
        # uv reads their metadata to check the lock: from pyproject.toml, or by building a setup.py one
        facts.inputs += [
            f"{d}/pyproject.toml" if project.exists(f"{d}/pyproject.toml") else d for _, d in facts.path_packages
        ]
    else:
        facts.lock_note = INSTALL.missing_lock()
    return facts


def _read_manifest(project: Project, facts: ManagerFacts) -> None:
    """What the project's own pyproject.toml says: name, build, requirements, scripts, Python."""
    facts.name = pep621_name(project)
    facts.build_backend = project.build_backend
    facts.installable = facts.build_backend is not None and project.pyproject_table("tool", "uv").get("package", True)
    facts.requirements = pep621_requirements(project)
    facts.groups = group_names(facts.requirements)
    facts.scripts = pep621_scripts(project)
    facts.python_constraints = requires_python(project)


def _indexes(project: Project) -> list[Index]:
    entries = expect(project.pyproject_table("tool", "uv").get("index", []), list, "pyproject.toml", "tool.uv.index")
    indexes = []
    for entry in entries:
        entry = expect(entry, dict, "pyproject.toml", "a [[tool.uv.index]] entry")
        url = expect(entry.get("url"), str, "pyproject.toml", "tool.uv.index.url")
        indexes.append(Index(str(entry.get("name", url)), url, bool(entry.get("explicit", False))))
    return indexes


def members(project: Project) -> list[str]:
    """The directories of the workspace's members ([tool.uv.workspace] members, minus exclude)."""
    workspace = project.pyproject_table("tool", "uv", "workspace")
    patterns = expect(workspace.get("members", []), list, "pyproject.toml", "tool.uv.workspace.members")
    excluded = expect(workspace.get("exclude", []), list, "pyproject.toml", "tool.uv.workspace.exclude")
    members: list[str] = []
    for pattern in patterns:
        pattern = expect(pattern, str, "pyproject.toml", "a workspace member")
        if ".." in pattern.split("/"):
            raise InspectError("pyproject.toml", f"workspace member {pattern!r} is outside the project")
        try:
            found = project.glob(f"{pattern}/pyproject.toml")
        except (ValueError, NotImplementedError):  # '' or '/x' (absolute), '**x': pathlib refuses them
            raise InspectError("pyproject.toml", f"invalid workspace member pattern {pattern!r}") from None
        for path in found:
            member = path.rsplit("/", 1)[0]
            if member not in excluded and member != ".":
                members.append(member)
    return members


def _source(raw: Any) -> Source:
    raw = expect(raw, dict, LOCK, "a package's source")
    for kind in ("registry", "git", "url", "path", "directory", "editable", "virtual"):
        if kind in raw:
            value = str(raw[kind])
            if kind in ("editable", "virtual") and value != ".":
                return Source("workspace", value)
            return Source(kind, value)
    return Source("registry")


def _targets(entries: Any) -> list[str]:
    """Graph nodes a dependency list points at: 'name', plus 'name[extra]' per requested extra."""
    out = []
    for dep in _list(entries, "a package's dependencies"):
        if isinstance(dep, dict) and isinstance(dep.get("name"), str):
            name = normalize(dep["name"])
            extras = dep.get("extra", [])
            out += [name] + [f"{name}[{e}]" for e in (extras if isinstance(extras, list) else [])]
    return out


def _list(value: Any, what: str) -> list[Any]:
    return expect(value or [], list, LOCK, what)


def _table(value: Any, what: str) -> dict[str, Any]:
    return expect(value or {}, dict, LOCK, what)


def _any(markers: Any) -> str | None:
    if not isinstance(markers, list) or not markers:
        return None
    return " or ".join(f"({m})" for m in markers if isinstance(m, str)) or None


def _and(left: str | None, right: str | None) -> str | None:
    if left and right:
        return f"({left}) and ({right})"
    return left or right


def _marked_edges(by_name: dict[str, dict[str, Any]], root: str) -> dict[str, list[tuple[str, str | None]]]:
    """Dependency edges with their markers; the root's dev groups count as its edges too (the
    runtime packages' conditions are what matter, and dev edges only add dev-only packages)."""
    edges: dict[str, list[tuple[str, str | None]]] = {}
    for name, raw in by_name.items():
        entries = list(_list(raw.get("dependencies"), "a package's dependencies"))
        for deps in _table(raw.get("optional-dependencies"), "optional-dependencies").values():
            entries += _list(deps, "optional-dependencies")
        if name == root:
            for deps in _table(raw.get("dev-dependencies"), "dev-dependencies").values():
                entries += _list(deps, "dev-dependencies")
        edges[name] = [
            (normalize(d["name"]), d["marker"] if isinstance(d.get("marker"), str) else None)
            for d in entries
            if isinstance(d, dict) and isinstance(d.get("name"), str)
        ]
    return edges


def _read_lock(project: Project, facts: ManagerFacts, own: Project) -> None:
    """The lock's packages, walked from the project (own: the member --package names, or the
    project itself), and whether the lock is current for it."""
    lock = project.toml(LOCK)
    version = lock.get("version")
    if version not in SUPPORTED_VERSIONS:
        raise InspectError(LOCK, f"unsupported lock version {version!r} (dockergen reads version 1)")
    if isinstance(lock.get("requires-python"), str):
        facts.python_constraints.append((Origin(LOCK, "requires-python"), lock["requires-python"]))
    packages = expect(lock.get("package", []), list, LOCK, "[[package]]")
    by_name: dict[str, dict[str, Any]] = {}
    versions: list[dict[str, Any]] = []
    for raw in packages:
        raw = expect(raw, dict, LOCK, "a [[package]] entry")
        name = raw.get("name")
        if not isinstance(name, str):
            raise InspectError(LOCK, "a [[package]] entry has no name")
        key = normalize(name)
        if key in by_name:  # a fork: one entry per version, each with its resolution-markers
            merged = dict(by_name[key])
            merged["dependencies"] = _list(merged.get("dependencies"), "dependencies") + _list(
                raw.get("dependencies"), "dependencies"
            )
            by_name[key] = merged
        else:
            by_name[key] = raw
        versions.append(raw)
    root_name = normalize(facts.name) if facts.name else None
    root = by_name.get(root_name) if root_name else None
    if root is None:
        editable = [n for n, p in by_name.items() if _source(p.get("source", {})).kind in ("editable", "virtual")]
        root = by_name[editable[0]] if editable else None
    if root is None:
        raise InspectError(LOCK, f"the project {facts.name!r} is not in the lock: it was made for another project")
    root_name = normalize(root["name"])

    # Edges: a package reaches its dependencies, and "pkg[extra]" nodes reach the extra's deps.
    edges: dict[str, list[str]] = {}
    for name, raw in by_name.items():
        edges[name] = _targets(raw.get("dependencies"))
        for extra, deps in _table(raw.get("optional-dependencies"), "optional-dependencies").items():
            edges[f"{name}[{extra}]"] = _targets(deps)
    roots = {"main": edges.get(root_name, [])}
    for group, deps in _table(root.get("dev-dependencies"), "dev-dependencies").items():
        roots[group] = _targets(deps)
    groups = assign_groups(roots, edges)
    markers = install_conditions([root_name], _marked_edges(by_name, root_name))

    for raw in versions:
        name = normalize(raw["name"])
        if name == root_name or name not in groups:
            continue
        wheels = [w for w in _list(raw.get("wheels"), "wheels") if isinstance(w, dict)]
        sdist = raw.get("sdist")
        if not isinstance(sdist, dict):
            sdist = {}
        entries = [(str(w.get("url", "")).rsplit("/", 1)[-1] or str(w.get("filename", "")), w) for w in wheels]
        if sdist:
            entries.append(
                (str(sdist.get("url", "")).rsplit("/", 1)[-1] or f"{name}-{raw.get('version')}.tar.gz", sdist)
            )
        entries = [(f, e) for f, e in entries if f]
        hashed = any("hash" in w for w in wheels) or "hash" in sdist
        facts.packages.append(
            LockedPackage(
                name=name,
                version=str(raw["version"]) if "version" in raw else None,
                groups=groups[name],
                marker=_and(markers.get(name), _any(raw.get("resolution-markers"))),
                source=_source(raw.get("source", {})),
                files=tuple(f for f, _ in entries),
                sizes=tuple(e["size"] if isinstance(e.get("size"), int) else 0 for _, e in entries),
                hashed=hashed,
            )
        )
    facts.lock_consistent, facts.lock_note = _consistency(own, root, lock)


def _spec(text: str) -> SpecifierSet | str:
    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        return text


def same_pythons(a: str, b: str) -> bool:
    """Whether two requires-python specifiers allow the same versions (uv rewrites them:
    '>=3.11,<3.12' is recorded as '==3.11.*')."""
    versions = [f"3.{minor}.{patch}" for minor in range(0, 30) for patch in range(0, 30)]
    try:
        left, right = SpecifierSet(a), SpecifierSet(b)
    except InvalidSpecifier:
        return a == b
    return all(left.contains(v) == right.contains(v) for v in versions)


def _declared(requirement: Requirement) -> tuple[str, SpecifierSet | str]:
    return requirement.name, _spec(requirement.specifier)


def _recorded(items: Any, what: str) -> set[tuple[str, SpecifierSet | str]]:
    """The requirements uv.lock records for the project: its requires-dist, or a requires-dev group."""
    return {
        (normalize(r["name"]), _spec(str(r.get("specifier", ""))))
        for r in _list(items, what)
        if isinstance(r, dict) and isinstance(r.get("name"), str)
    }


def _group_difference(project: Project, requirements: list[Requirement], metadata: dict[str, Any]) -> str:
    """The dependency groups whose requirements differ between pyproject.toml ([dependency-groups],
    with includes expanded, and [tool.uv] dev-dependencies, which uv records as "dev") and the
    lock's requires-dev: `uv lock --check` calls the lock stale for those too."""
    declared: dict[str, set[tuple[str, SpecifierSet | str]]] = {}
    for requirement in requirements:
        if requirement.group != "main":
            declared.setdefault(normalize(requirement.group), set()).add(_declared(requirement))
    legacy = project.pyproject_table("tool", "uv").get("dev-dependencies", [])
    for item in _list(legacy, "[tool.uv] dev-dependencies"):
        if isinstance(item, str):
            declared.setdefault("dev", set()).add(_declared(parse_requirement(item, "pyproject.toml")))
    groups = _table(metadata.get("requires-dev"), "requires-dev")
    locked = {normalize(group): _recorded(items, "requires-dev") for group, items in groups.items()}
    return ", ".join(
        sorted(g for g in declared.keys() | locked.keys() if declared.get(g, set()) != locked.get(g, set()))
    )


def _consistency(project: Project, root: dict[str, Any], lock: dict[str, Any]) -> tuple[bool | None, str]:
    """Compare the direct requirements in pyproject.toml with what the lock recorded for them."""
    dynamic = project.pyproject_table("project").get("dynamic", [])
    if isinstance(dynamic, list) and "dependencies" in dynamic:
        return None, "dependencies are dynamic (the build backend computes them): not compared with uv.lock"
    metadata = _table(root.get("metadata"), "the project's metadata")
    locked = _recorded(metadata.get("requires-dist"), "requires-dist")
    requirements = pep621_requirements(project)
    declared = {_declared(r) for r in requirements if r.group == "main"}
    # uv records each extra's requirements with the others (marker "extra == '...'").
    optional = _table(project.pyproject_table("project").get("optional-dependencies"), "optional-dependencies")
    for items in optional.values():
        for item in _list(items, "optional-dependencies"):
            if isinstance(item, str):
                declared.add(_declared(parse_requirement(item, "pyproject.toml")))
    if {n for n, _ in locked} != {n for n, _ in declared} or locked != declared:
        missing = sorted({n for n, _ in declared} ^ {n for n, _ in locked}) or sorted(
            n for n, s in declared if (n, s) not in locked
        )
        return False, f"uv.lock is stale: dependencies differ from pyproject.toml ({', '.join(missing)}); run `uv lock`"
    groups = _group_difference(project, requirements, metadata)
    if groups:
        return False, f"uv.lock is stale: dependency groups differ from pyproject.toml ({groups}); run `uv lock`"
    spec = project.pyproject_table("project").get("requires-python")
    locked_spec = lock.get("requires-python")
    if isinstance(spec, str) and isinstance(locked_spec, str) and not same_pythons(spec, locked_spec):
        return False, "uv.lock is stale: requires-python differs from pyproject.toml; run `uv lock`"
    version, locked_version = project.pyproject_table("project").get("version"), root.get("version")
    if isinstance(version, str) and locked_version is not None and str(locked_version) != version:
        return True, (
            f"direct dependencies match pyproject.toml; its version {version} is not the lock's "
            f"{locked_version} (`uv lock` records it), which the dependency step does not install"
        )
    return True, "direct dependencies match pyproject.toml"
