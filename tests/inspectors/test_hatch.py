"""Hatch: the hatchling backend and [tool.hatch.envs], no lock file (dockergen/inspectors/hatch.py)."""

from __future__ import annotations

from dockergen.facts import Origin, Requirement
from dockergen.inspectors import hatch
from dockergen.project import Project

from ..conftest import SAMPLES


def test_environments_are_groups_and_the_declared_dependencies_resolve_at_build_time():
    project = Project(SAMPLES / "hatch-cli")
    assert hatch.detect(project) == (False, "[tool.hatch.envs] in pyproject.toml")
    facts = hatch.inspect(project)
    assert facts.groups == ["env:default", "env:lint"]
    # what the environments install (pytest, ruff) is not the project's to run with
    assert facts.requirements == [Requirement("rich", ">=13", None, "main")]
    assert facts.scripts == {"hatch-cli": "hatch_cli.__main__:main"}
    assert facts.python_constraints == [(Origin("pyproject.toml", "requires-python"), ">=3.13")]
    assert (facts.installable, facts.build_backend) == (True, "hatchling.build")
    assert (facts.lock_file, facts.lock_present, facts.lock_consistent) == (None, False, None)
    assert facts.packages == [] and facts.inputs == ["pyproject.toml"]
