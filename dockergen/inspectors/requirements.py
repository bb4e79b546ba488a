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
    main = reqfile.parse(project, MAIN)
    facts.packages, facts.indexes, facts.inputs = list(main.packages), main.indexes, main.files
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
        if project.exists(dev) and dev not in main.files:
            facts.groups.append("dev")
            runtime = {p.name for p in main.packages}
            facts.packages += [p for p in reqfile.parse(project, dev, "dev").packages if p.name not in runtime]
    unpinned = [p.name for p in main.packages if p.version is None]
    if unpinned:
        facts.lock_note = f"not a lock: unpinned {', '.join(unpinned)} resolve at build time"
    else:
        facts.lock_note = "every requirement is pinned (==), but transitive pins depend on the file's author"
    return facts
