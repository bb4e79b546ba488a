"""PEP 751 lock files: pylock.toml or pylock.<name>.toml (lock-version 1.x)."""

from __future__ import annotations

from typing import Any

from ..facts import InspectError, LockedPackage, ManagerFacts, Origin, Source
from ..project import Project, expect, normalize, pep621_name, pep621_scripts, requires_python
from .base import InstallTraits

NAME = "pylock"
INSTALL = InstallTraits("pylock", uv=True)


def lock_file(project: Project) -> str | None:
    if project.exists("pylock.toml"):
        return "pylock.toml"
    named = project.glob("pylock.*.toml")
    return named[0] if named else None


def detect(project: Project) -> tuple[bool, str] | None:
    found = lock_file(project)
    return (True, f"{found} (PEP 751) present") if found else None


def _source(raw: dict[str, Any]) -> Source:
    for key, kind in (("vcs", "git"), ("directory", "directory"), ("archive", "url")):
        if isinstance(raw.get(key), dict):
            return Source(kind, str(raw[key].get("url") or raw[key].get("path", "")))
    return Source("registry")


def inspect(project: Project) -> ManagerFacts:
    lock = lock_file(project) or "pylock.toml"
    facts = ManagerFacts(lock_file=lock, lock_present=True, inputs=[lock])
    facts.name = pep621_name(project) or project.root.resolve().name
    facts.build_backend = project.build_backend
    facts.installable = facts.build_backend is not None
    facts.scripts = pep621_scripts(project)
    facts.python_constraints = requires_python(project)
    data = project.toml(lock)
    version = str(data.get("lock-version", ""))
    if not version.startswith("1."):
        raise InspectError(lock, f"unsupported lock-version {version!r} (dockergen reads PEP 751 1.x)")
    if isinstance(data.get("requires-python"), str):
        facts.python_constraints.append((Origin(lock, "requires-python"), data["requires-python"]))
    for raw in expect(data.get("packages", []), list, lock, "[[packages]]"):
        raw = expect(raw, dict, lock, "a [[packages]] entry")
        if not isinstance(raw.get("name"), str):
            raise InspectError(lock, "a [[packages]] entry has no name")
        source = _source(raw)
        if source.kind == "directory" and source.url in (".", "./"):
            facts.own_entry = normalize(raw["name"])  # uv export writes the project itself: editable, from '.'
            continue
        wheels = [w for w in expect(raw.get("wheels", []), list, lock, "wheels") if isinstance(w, dict)]
        sdist = raw.get("sdist") if isinstance(raw.get("sdist"), dict) else None
        files = [str(w.get("name") or str(w.get("url", "")).rsplit("/", 1)[-1]) for w in wheels]
        if sdist:
            files.append(str(sdist.get("name") or str(sdist.get("url", "")).rsplit("/", 1)[-1]))
        facts.packages.append(
            LockedPackage(
                name=normalize(raw["name"]),
                version=str(raw["version"]) if raw.get("version") is not None else None,
                marker=raw.get("marker") if isinstance(raw.get("marker"), str) else None,
                source=source,
                files=tuple(f for f in files if f),
                hashed=any(w.get("hashes") for w in wheels) or bool(sdist and sdist.get("hashes")),
            )
        )
    facts.path_packages = facts.locked_directories(("directory",))
    if project.exists("pyproject.toml"):
        facts.inputs.insert(0, "pyproject.toml")
    facts.lock_note = "PEP 751 records no manifest hash: regenerate it after changing dependencies"
    stranded = [p.name for p in facts.packages if p.files and not any(_installs_on_linux(f) for f in p.files)]
    if stranded:
        facts.unusable = (
            f"{lock} has no sdist and no Linux wheel for {', '.join(stranded[:4])}"
            f"{' ...' if len(stranded) > 4 else ''}: it was locked on another platform (pip lock locks for one)"
        )
    return facts


def _installs_on_linux(filename: str) -> bool:
    """An sdist, or a wheel for Linux or for any platform."""
    if not filename.endswith(".whl"):
        return True
    platform = filename[: -len(".whl")].rsplit("-", 1)[-1]
    return platform == "any" or "linux" in platform
