"""Hatch: the hatchling backend and [tool.hatch.envs], no lock file (dockergen/inspectors/hatch.py)."""

from __future__ import annotations

import re

import pytest

from dockergen.api import inspect
from dockergen.facts import InspectError, Origin, Requirement
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


def grouped(groups: str) -> str:
    return (
        '[project]\nname = "grouped"\nversion = "1"\ndependencies = ["click"]\n'
        f"[dependency-groups]\n{groups}\n"
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    )


def test_an_included_dependency_group_is_part_of_the_group_that_includes_it(make_project):
    groups = 'Test = ["pytest>=8"]\ndev = [{include-group = "test"}, "ruff"]'
    facts = inspect(make_project({"pyproject.toml": grouped(groups)}))
    assert [(r.name, r.group) for r in facts.requirements] == [
        ("click", "main"),
        ("pytest", "Test"),
        ("pytest", "dev"),  # PEP 735: include-group names are compared normalized (test is Test)
        ("ruff", "dev"),
    ]


@pytest.mark.parametrize(
    ("groups", "error"),
    [
        ('dev = [{include-group = "lint"}]\nlint = [{include-group = "dev"}]', "dev -> lint -> dev: a group includes"),
        ('docs = [{include-group = "missing"}]', "docs includes 'missing', which is not a group"),
        ('docs = [{include = "x"}]', "docs: {'include': 'x'} is not a requirement or include"),
    ],
)
def test_a_group_that_cannot_be_resolved_is_an_error_naming_it(make_project, groups, error):
    with pytest.raises(InspectError, match=re.escape(error)):
        inspect(make_project({"pyproject.toml": grouped(groups)}))
