"""The inspector registry: one module per project kind, in precedence order.

Each module is an Inspector (base.py): NAME, INSTALL, detect() and inspect(). A module whose lock
file is present beats one that only sees a manifest; among equals, the order of MODULES decides.
`[tool.dockergen] manager` overrides both.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from ..buildsteps import code_env_reads, django_facts, translations
from ..entrypoint import find_entrypoint, loopback_only, main_blocks
from ..facts import InspectError, ManagerFacts, ProjectFacts
from ..options import validate_settings
from ..project import (
    Project,
    asset_dirs,
    build_requires,
    compiles_extensions,
    external,
    normalize,
    previous_app_parts,
    source_url,
    state_dirs,
    unneeded_dirs,
    version_variable,
)
from ..pypi import fill_files
from ..python_version import choose_python, python_hints, read_pins
from . import hatch, pdm, pipenv, piptools, poetry, pylock, requirements, setuptools, uv, workspace
from .base import Inspector, InstallTraits

MODULES: tuple[Inspector, ...] = (uv, poetry, pdm, pipenv, pylock, piptools, hatch, requirements, setuptools)
BY_NAME = {m.NAME: m for m in MODULES}


def install_traits(manager: str) -> InstallTraits:
    return BY_NAME[manager].INSTALL


def choose_manager(project: Project, override: str | None) -> tuple[Inspector, str, ManagerFacts]:
    """The manager, why, and what it read. A lock that cannot install in a Linux image at all
    (pip lock's one-platform pylock.toml from a Mac) gives way to the next source of truth, and a
    stale lock to a current one beside it (a uv.lock left behind by a move to Poetry)."""
    if override:
        if override not in BY_NAME:
            known = ", ".join(BY_NAME)
            raise InspectError("pyproject.toml", f"[tool.dockergen] manager = {override!r}: one of {known}")
        return BY_NAME[override], "[tool.dockergen] manager / --manager", BY_NAME[override].inspect(project)
    found = [(m, d) for m in MODULES if (d := m.detect(project))]
    if not found:
        raise InspectError(
            str(project.root),
            "no Python project found (no pyproject.toml, lock file, requirements.txt, Pipfile or setup.py)",
        )
    ranked = [(m, d) for m, d in found if d[0]] + [(m, d) for m, d in found if not d[0]]
    read: dict[str, ManagerFacts | InspectError] = {}  # each candidate's files are read once
    passed: dict[str, str] = {}
    for index, (module, (locked, reason)) in enumerate(ranked):
        facts = _read(project, module, read)
        if facts.unusable and module is not ranked[-1][0]:
            passed[module.NAME] = f"{module.NAME} passed over: {facts.unusable}"
            continue
        if locked and facts.lock_consistent is False and _current_lock(project, ranked[index + 1 :], read):
            passed[module.NAME] = f"{module.NAME} passed over: {facts.lock_note}"
            continue
        others = [m.NAME for m, d in ranked if d[0] and m is not module and m.NAME not in passed]
        if others:
            reason += f"; also saw {', '.join(others)} lock files, lower in precedence"
        return module, "; ".join([reason, *passed.values()]), facts
    raise AssertionError("the last candidate is always returned")


def _member_manager(project: Project, member: str, override: str | None) -> tuple[Inspector, str, ManagerFacts]:
    """uv, reading the workspace member that `package` names: only uv workspaces have members."""
    if override not in (None, uv.NAME):
        raise InspectError("pyproject.toml", f"package: workspace members are built with uv, not {override}")
    return uv, f"uv.lock of the workspace, which locks its member {member}", uv.inspect(project, member)


def _read(project: Project, module: Inspector, read: dict[str, ManagerFacts | InspectError]) -> ManagerFacts:
    """The module's facts, read once per choice (an error is kept and raised again)."""
    if module.NAME not in read:
        try:
            read[module.NAME] = module.inspect(project)
        except InspectError as error:
            read[module.NAME] = error
    found = read[module.NAME]
    if isinstance(found, InspectError):
        raise found
    return found


def _current_lock(
    project: Project,
    candidates: list[tuple[Inspector, tuple[bool, str]]],
    read: dict[str, ManagerFacts | InspectError],
) -> bool:
    """Whether one of the candidates has a lock that matches its manifest."""
    for module, (locked, _) in candidates:
        if not locked:
            continue
        try:
            if _read(project, module, read).lock_consistent is True:
                return True
        except InspectError:
            continue
    return False


# PEP 508 names, and versions as lock files write them (PEP 440, local labels, Pipenv's "==").
NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]{0,200}[A-Za-z0-9])?$")
VERSION = re.compile(r"^[A-Za-z0-9=!<>~.*+_-]{1,100}$")


def check_names(facts: ManagerFacts) -> None:
    """Names and versions from a project's files reach the Dockerfile, its comments and every
    summary: each must be what the grammar allows, or the file is refused in one line."""
    where = facts.lock_file if facts.lock_present and facts.lock_file else "pyproject.toml"
    for package in facts.packages:
        if not NAME.fullmatch(package.name):
            raise InspectError(where, f"package name {package.name!r} is not a valid name (PEP 508)")
        if package.version is not None and not VERSION.fullmatch(package.version):
            raise InspectError(where, f"{package.name}: version {package.version!r} is not a valid version")
    for requirement in facts.requirements:
        if not NAME.fullmatch(requirement.name):
            raise InspectError(where, f"requirement name {requirement.name!r} is not a valid name (PEP 508)")


def inspect_project(path: str | os.PathLike[str], overrides: dict[str, Any] | None = None) -> ProjectFacts:
    """Read a project directory into ProjectFacts; overrides (CLI flags) beat [tool.dockergen]."""
    root = Path(path)
    if not root.is_dir():
        raise InspectError(str(path), "not a directory")
    overrides = dict(overrides or {})
    package_reason = "--package / [tool.dockergen] package"
    enclosing = None if overrides.get("package") else workspace.enclosing_workspace(root)
    if enclosing is not None:  # run from inside a member: planned at the root, as --package plans it
        start = root.resolve()
        root, overrides["package"] = enclosing
        package_reason = (
            f"run from {start.relative_to(root).as_posix()}, a member of the uv workspace at {root.name}/, "
            "whose uv.lock it is locked in"
        )
    project = Project(root)
    online = bool(overrides.pop("online", False))  # a flag only: never on by default, so never in check
    overrides.pop("pin_digests", None)  # a flag for the written file (api.generate), not a fact
    given = {k: v for k, v in overrides.items() if v or v is False}  # --no-compose: false beats the file
    from_file = dict(project.settings)
    package = given.get("package", from_file.get("package"))
    member = ""
    if package is not None:
        package = normalize(validate_settings({"package": package})["package"])
        member = workspace.select_member(project, package)
        from_file = workspace.member_settings(project, member, from_file)
        from_file["package"] = package
    # A flag's one variant replaces the file's list of them, and a flag's list its one: flags win.
    for key, other in (("variant", "variants"), ("variants", "variant")):
        if key in given and other not in given:
            from_file.pop(other, None)
    settings = validate_settings({**from_file, **given})
    for path in settings.get("copy", []):
        if not project.has_path(path):
            raise InspectError(
                "pyproject.toml", f"[tool.dockergen] copy: {path} is not a file or directory of the project"
            )
    if member:
        workspace.check_member_settings(dict(settings))
        module, reason, facts = _member_manager(project, member, settings.get("manager"))
    else:
        module, reason, facts = choose_manager(project, settings.get("manager"))
    check_names(facts)
    own = Project(root / member) if member else project  # what builds the package: the member's files
    name = facts.name or root.resolve().name
    lookup_notes: list[str] = []
    if online:  # before the Python is chosen: the files PyPI has say which minors have wheels
        facts.packages, lookup_notes = fill_files(facts.packages, facts.indexes)
    python = choose_python(
        facts.python_constraints,
        read_pins(project, settings.get("python"), facts.python_pins),
        tuple(p for p in facts.packages if "main" in p.groups),
        python_hints(project),
    )
    deps = {r.name for r in facts.requirements} | {p.name for p in facts.packages if "main" in p.groups}
    deps |= {f"{r.name}[{extra}]" for r in facts.requirements for extra in r.extras}
    # Console scripts exist in the image only when the project is built as a package.
    scripts = facts.scripts if facts.installable else {}
    env = settings.get("env", {})
    # A member built as a package runs from its wheel: its command is found in its own directory
    # (its app object, its Procfile), as when it is a project of its own.
    commands = own if member and facts.installable else project
    entry, candidates = find_entrypoint(
        commands, settings.get("entrypoint"), scripts, deps, normalize(name), settings.get("port"), env
    )
    runtime = {p.name for p in facts.packages if "main" in p.groups} | {
        r.name for r in facts.requirements if r.group == "main"
    }
    dev = ({p.name for p in facts.packages} | {r.name for r in facts.requirements}) - runtime
    django, env_reads, django_notes = django_facts(project, env, dev)
    catalogs, catalog_notes = translations(project, deps, django)
    notes = list(facts.notes) + lookup_notes + django_notes + catalog_notes
    if facts.scripts and not facts.installable:
        notes.append(
            f"console scripts ({', '.join(facts.scripts)}) not used as the command: the project is not built as a "
            "package (no [build-system], or package = false / package-mode = false), so the image would not have them"
        )
    if entry is None:
        suggestions = " or ".join(f'entrypoint = "python {f}"' for f in main_blocks(project)[:3])
        notes.append(
            "no entrypoint found (no Procfile, manage.py, app object, console script, __main__.py or main.py): "
            "the image runs `python`; set [tool.dockergen] "
            + (suggestions + " (files with a __main__ block)" if suggestions else 'entrypoint = "..."')
            + ", or pass --entrypoint"
        )
    server = loopback_only(entry) if entry is not None and entry.kind in ("procfile", "setting") else None
    if server and entry is not None:
        notes.append(
            f"WARNING {server} listens on 127.0.0.1 unless told otherwise, which nothing outside the container "
            f"reaches (and the health check says unhealthy): give it the host 0.0.0.0 ({entry.source})"
        )
    if entry is not None and entry.dev_server:
        notes.append(
            f"WARNING the image serves the app with the framework's development server ({' '.join(entry.command[:3])}),"
            f" which is not made for production: add {entry.dev_server} to the dependencies and regenerate"
        )
    if facts.lock_consistent is False:
        notes.append(facts.lock_note)
    notes += [
        f"index {i.name}: a user, token or ${{VARIABLE}} in its URL (shown as ***); a netrc file passed as"
        " the netrc build secret keeps credentials out of the repository and reaches the build"
        for i in facts.indexes
        if i.credentials
    ]
    state, unneeded = state_dirs(project), unneeded_dirs(project)
    return ProjectFacts(
        root=str(root),
        name=name,
        manager=module.NAME,
        manager_reason=reason,
        installable=facts.installable,
        build_backend=facts.build_backend,
        lock_file=facts.lock_file if facts.lock_present else None,
        lock_consistent=facts.lock_consistent,
        lock_note=facts.lock_note,
        inputs=tuple(dict.fromkeys(i for i in facts.inputs if facts.lock_present or i != facts.lock_file)),
        python=python,
        requirements=tuple(facts.requirements),
        packages=tuple(sorted(facts.packages, key=lambda p: p.name)),
        groups=tuple(facts.groups),
        indexes=tuple(facts.indexes),
        scripts=facts.scripts,
        workspace_members=tuple(facts.workspace_members),
        package=package,
        package_dir=member or None,
        package_reason=package_reason if member else "",
        project_line=facts.project_line,
        install_files=tuple(facts.install_files),
        local_paths=tuple(facts.local_paths),
        path_packages=tuple(facts.path_packages),
        export_problem=facts.export_problem,
        own_entry=facts.own_entry,
        entrypoint=entry,
        entrypoint_candidates=tuple(candidates),
        settings=settings,
        external=external(own),
        version_variable=version_variable(own),
        build_requires=build_requires(own),
        compiles_extensions=compiles_extensions(own),
        state_dirs=state,
        unneeded_dirs=unneeded,
        django=django,
        translations=catalogs,
        env_reads=tuple(env_reads),
        code_env_reads=tuple(code_env_reads(project, entry.command if entry else ())),
        asset_dirs=asset_dirs(project, skip=(*unneeded, *state)),
        previous_app_parts=previous_app_parts(project),
        source_url=source_url(own) if "labels" in settings else None,
        notes=tuple(notes),
    )
