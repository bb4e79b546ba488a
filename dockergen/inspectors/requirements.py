"""Plain requirements.txt projects (not compiled by pip-tools); versions may be unpinned."""

from __future__ import annotations

from ..facts import ManagerFacts
from ..project import Project
from . import piptools, reqfile, setuptools
from .base import InstallTraits

NAME = "requirements"
INSTALL = InstallTraits("requirements", resolved=False)
MAIN = "requirements.txt"
DEV_FILES = ("requirements-dev.txt", "dev-requirements.txt", "requirements-test.txt", "test-requirements.txt")


def detect(project: Project) -> tuple[bool, str] | None:
    """A file with a hash for every requirement is an exported lock (poetry export, pipenv
    requirements --hash, uv export): it outranks a manifest with no lock beside it."""
    if not project.exists(MAIN):
        return None
    if piptools.detect(project):
        return False, "requirements.txt present (compiled: pip-tools reads it)"
    requirements = [line for line in reqfile.logical_lines(project.text(MAIN)) if not line.startswith("-")]
    if requirements and all("--hash" in line for line in requirements):
        return True, "requirements.txt with a hash for every requirement (an exported lock)"
    return False, "requirements.txt present"


def inspect(project: Project) -> ManagerFacts:
    facts = ManagerFacts(lock_file=MAIN, lock_present=True)
    split = reqfile.split_includes(project, MAIN)
    development: list[str] = []
    if split and split[0]:
        runtime, development = split
        main = _runtime_includes(project, facts, runtime, development)
    else:
        main = reqfile.parse(project, MAIN)
        facts.inputs = main.files
    facts.packages, facts.indexes = list(main.packages), main.indexes
    for name in development:
        _development_set(project, facts, name, reqfile.group_name(name))
    facts.project_line, facts.local_paths = reqfile.split_local(main, MAIN)
    if setuptools.is_package(project):
        package = setuptools.build_beside(project, facts)  # requirements.txt pins, the package installs too
        facts.name, facts.python_constraints = package.name, package.python_constraints
        # The wheel installs without dependencies, so the deps step installs what the package
        # declares beside the file's pins (which pip resolves together): none is left out.
        facts.requirements = [r for r in package.requirements if r.group == "main"]
    else:
        facts.name = project.root.resolve().name
    for dev in DEV_FILES:
        if project.exists(dev) and dev not in main.files and "dev" not in facts.groups:
            _development_set(project, facts, dev, "dev")
    unpinned = [p.name for p in main.packages if p.version is None]
    if unpinned:
        facts.lock_note = f"not a lock: unpinned {', '.join(unpinned)} resolve at build time"
    else:
        facts.lock_note = "every requirement is pinned (==), but transitive pins depend on the file's author"
    return facts


def _runtime_includes(
    project: Project, facts: ManagerFacts, runtime: list[str], development: list[str]
) -> reqfile.RequirementsFile:
    """A requirements.txt that only includes others: the deps step installs the runtime files.
    requirements.txt is mounted too, so that a change to what it includes makes the Dockerfile stale."""
    main = reqfile.parse(project, *runtime)
    facts.install_files, facts.inputs = runtime, [MAIN, *main.files]
    sets = f"the development set{'s' if len(development) > 1 else ''} {', '.join(development)}"
    facts.notes.append(f"{MAIN} only includes others: the image installs {', '.join(runtime)}, not {sets}")
    return main


def _development_set(project: Project, facts: ManagerFacts, rel: str, group: str) -> None:
    """A development file's packages, under its own group: those no file read before lists."""
    facts.groups.append(group)
    listed = {p.name for p in facts.packages}
    facts.packages += [p for p in reqfile.parse(project, rel, group).packages if p.name not in listed]
