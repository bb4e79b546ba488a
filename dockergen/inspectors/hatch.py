"""Hatch projects: the hatchling backend and [tool.hatch.envs]; no lock file."""

from __future__ import annotations

from ..facts import ManagerFacts
from ..project import Project, expect, group_names, pep621_name, pep621_requirements, pep621_scripts, requires_python
from .base import InstallTraits

NAME = "hatch"
INSTALL = InstallTraits("declared", resolved=False)
BACKEND = "hatchling.build"


def detect(project: Project) -> tuple[bool, str] | None:
    if project.pyproject_table("tool", "hatch", "envs") or project.exists("hatch.toml"):
        return False, "[tool.hatch.envs] in pyproject.toml"
    if project.build_backend == BACKEND:
        return False, "hatchling build backend"
    return None


def inspect(project: Project) -> ManagerFacts:
    facts = ManagerFacts(installable=project.build_backend is not None, build_backend=project.build_backend)
    facts.inputs = ["pyproject.toml"]
    facts.name = pep621_name(project)
    facts.requirements = pep621_requirements(project)
    envs = project.pyproject_table("tool", "hatch", "envs")
    facts.groups = sorted(set(group_names(facts.requirements)) | {f"env:{e}" for e in envs})
    for env, table in envs.items():
        expect(table, dict, "pyproject.toml", f"tool.hatch.envs.{env}")
    facts.scripts = pep621_scripts(project)
    facts.python_constraints = requires_python(project)
    facts.lock_note = "Hatch keeps no lock by default: dependency versions resolve at build time"
    return facts
