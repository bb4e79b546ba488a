"""Pipenv projects: Pipfile (TOML) and Pipfile.lock (JSON, pipfile-spec 6)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..facts import Index, InspectError, LockedPackage, ManagerFacts, Origin, Requirement, Source
from ..project import Project, data_toml, expect, normalize
from ..python_version import parse_pin
from . import setuptools
from .base import InstallTraits

NAME = "pipenv"
MANIFEST = "Pipfile"
LOCK = "Pipfile.lock"
INSTALL = InstallTraits(
    "pipenv",
    lock=LOCK,
    lock_command="pipenv lock",
    tool="pipenv",
    tree_packages="deps-step",
    frozen="pipenv sync without pipenv verify: dockergen checked the Pipfile hash here (and `dockergen check` "
    "does), and pipenv releases compute it differently",
    installs_groups=True,
)
SECTIONS = {"packages": "main", "dev-packages": "develop"}
NOT_CATEGORIES = {"source", "requires", "scripts", "pipfile", "pipenv", "packages", "dev-packages"}


def detect(project: Project) -> tuple[bool, str] | None:
    if project.exists(LOCK):
        return True, "Pipfile.lock present"
    if project.exists(MANIFEST):
        return False, "Pipfile present (no Pipfile.lock yet)"
    return None


def inspect(project: Project) -> ManagerFacts:
    if not project.exists(MANIFEST):
        raise InspectError(LOCK, "Pipfile.lock without its Pipfile")
    pipfile = project.toml(MANIFEST)
    facts = ManagerFacts(lock_file=LOCK, lock_present=project.exists(LOCK), inputs=[MANIFEST, LOCK])
    facts.name = project.root.resolve().name
    facts.requirements = _requirements(pipfile)
    facts.groups = sorted({r.group for r in facts.requirements if r.group != "main"})
    facts.indexes = [
        Index(str(s.get("name", s["url"])), s["url"])
        for s in expect(pipfile.get("source", []), list, MANIFEST, "[[source]]")
        if isinstance(s, dict) and isinstance(s.get("url"), str) and "pypi.org" not in s["url"]
    ]
    requires = expect(pipfile.get("requires", {}), dict, MANIFEST, "[requires]")
    version = requires.get("python_version") or requires.get("python_full_version")
    if version is not None:
        facts.python_pins.append((Origin(MANIFEST, "python_version"), parse_pin(str(version), MANIFEST)))
    if facts.lock_present:
        _read_lock(project, facts, pipfile)
        facts.path_packages = facts.locked_directories(("path",))
        facts.inputs += [d for _, d in facts.path_packages]  # pipenv installs them in the deps step
    else:
        facts.lock_note = INSTALL.missing_lock()
    itself = any(p.source.kind == "path" and p.source.url in (".", "./") for p in facts.packages)
    if setuptools.is_package(project) and not itself:
        # A package beside the lock that the Pipfile does not install: the lock pins its
        # dependencies, and the project is built as a wheel without them (checkov).
        facts.name = setuptools.build_beside(project, facts).name or facts.name
    return facts


def _requirements(pipfile: dict[str, Any]) -> list[Requirement]:
    reqs = []
    for section, table in pipfile.items():
        if section in NOT_CATEGORIES and section not in SECTIONS:
            continue
        group = SECTIONS.get(section, section)
        for name, value in expect(table, dict, MANIFEST, f"[{section}]").items():
            value = expect(value, (str, dict), MANIFEST, f"[{section}] {name}")
            spec = value if isinstance(value, str) else str(value.get("version", ""))
            reqs.append(Requirement(normalize(name), "" if spec == "*" else spec, None, group))
    return reqs


def pipfile_hash(pipfile: dict[str, Any], canonical_names: bool = True) -> str:
    """The hash Pipfile.lock records in _meta.hash.sha256: as plette computes it, with every
    package name in its PEP 503 form as pipenv 2026 does (Pipfile.calculate_hash), or, for locks
    older releases wrote, with the names as written."""

    def names(section: Any) -> Any:
        if not canonical_names or not isinstance(section, dict):
            return section
        return {normalize(str(key)): value for key, value in section.items()}

    sources = pipfile.get("source") or [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": True}]
    data: dict[str, Any] = {
        "_meta": {"sources": sources, "requires": pipfile.get("requires", {})},
        "default": names(pipfile.get("packages", {})),
        "develop": names(pipfile.get("dev-packages", {})),
    }
    for category, values in pipfile.items():
        if category not in NOT_CATEGORIES and category not in ("default", "develop"):
            data[category] = names(values)
    content = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def _read_lock(project: Project, facts: ManagerFacts, pipfile: dict[str, Any]) -> None:
    lock = expect(project.json(LOCK), dict, LOCK, "the top level")
    meta = expect(lock.get("_meta", {}), dict, LOCK, "_meta")
    spec = meta.get("pipfile-spec")
    if spec != 6:
        raise InspectError(LOCK, f"unsupported pipfile-spec {spec!r} (dockergen reads 6; run `pipenv lock`)")
    for category, table in lock.items():
        if category == "_meta":
            continue
        group = "main" if category == "default" else category
        for name, entry in expect(table, dict, LOCK, f"{category!r}").items():
            entry = expect(entry, dict, LOCK, f"{category}.{name}")
            version = str(entry.get("version", ""))
            source = Source("registry")
            if "git" in entry:
                source = Source("git", str(entry["git"]))
            elif "path" in entry:
                source = Source("path", str(entry["path"]))
            elif "file" in entry:
                source = Source("url", str(entry["file"]))
            facts.packages.append(
                LockedPackage(
                    name=normalize(name),
                    version=version[2:] if version.startswith("==") else None,
                    groups=(group,),
                    marker=entry.get("markers") if isinstance(entry.get("markers"), str) else None,
                    source=source,
                    hashed=bool(entry.get("hashes")),
                )
            )
    recorded = (meta.get("hash") or {}).get("sha256") if isinstance(meta.get("hash"), dict) else None
    if not recorded:
        facts.lock_note = "Pipfile.lock has no _meta.hash: cannot tell whether it is current"
    elif recorded == pipfile_hash(pipfile):
        facts.lock_consistent, facts.lock_note = True, "_meta.hash matches Pipfile"
    elif recorded == pipfile_hash(pipfile, canonical_names=False):
        facts.lock_consistent = True
        version = data_toml("tools.toml")["pipenv"]["version"]
        facts.lock_note = (
            "_meta.hash matches Pipfile as the pipenv that wrote it hashed it (names as written); pipenv "
            f"{version} hashes normalized names, so its `pipenv verify` calls the lock out of date, while "
            "`pipenv sync` installs it: `pipenv lock` rewrites the hash"
        )
    else:
        facts.lock_consistent = False
        facts.lock_note = "Pipfile.lock is stale: its hash differs from Pipfile; run `pipenv lock`"
