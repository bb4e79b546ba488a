"""Poetry: poetry.lock 2.x, [tool.poetry] (1.x style) or PEP 621 [project] (2.x style) (dockergen/inspectors/poetry.py).

Which tool installs the lock (uv from `poetry export`, or Poetry) is a plan decision:
tests/test_poetry_install.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockergen.api import inspect
from dockergen.facts import Origin
from dockergen.inspectors import poetry
from dockergen.project import Project

from ..conftest import SAMPLES
from . import assert_stale_lock_is_detected, stale_samples

STALE = stale_samples("poetry")


def test_poetry_source_is_reported():
    facts = inspect(SAMPLES / "poetry-legacy")
    assert [(i.name, i.url) for i in facts.indexes] == [("pypi-simple", "https://pypi.org/simple/")]
    assert facts.groups == ("test",)


def test_a_pep_621_manifest_with_a_poetry_group_and_the_groups_and_markers_the_lock_records():
    facts = poetry.inspect(Project(SAMPLES / "poetry-django"))
    assert [(r.name, r.group) for r in facts.requirements] == [
        ("django", "main"),
        ("gunicorn", "main"),
        ("pytest", "dev"),
    ]
    assert facts.groups == ["dev"]
    packages = {p.name: p for p in facts.packages}
    assert (packages["django"].version, packages["django"].groups) == ("5.2.19", ("main",))
    assert packages["pytest"].groups == packages["pluggy"].groups == ("dev",)
    assert (packages["tzdata"].groups, packages["tzdata"].marker) == (("main",), 'sys_platform == "win32"')
    assert all(p.hashed for p in facts.packages)
    assert (Origin("poetry.lock", "python-versions"), ">=3.13,<3.14") in facts.python_constraints
    assert "LICENSE" in facts.inputs  # license = { file = "LICENSE" }: Poetry reads it to load the project
    assert (facts.lock_consistent, facts.lock_note) == (True, "content-hash matches pyproject.toml")


@pytest.mark.parametrize("sample", ["poetry-path-dep"])
def test_path_packages_are_seen(sample):
    """Where each manager builds them is a plan decision: tests/test_plan.py."""
    assert inspect(SAMPLES / sample).path_packages == (("greeting", "libs/greeting"),)


@pytest.mark.parametrize("sample", STALE)
def test_stale_lock_is_detected(sample, sample_copy):
    path: Path = sample_copy(sample)
    assert_stale_lock_is_detected(path, sample)
