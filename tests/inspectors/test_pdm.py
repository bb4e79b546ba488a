"""PDM: pdm.lock 4.x, PEP 621 [project], [dependency-groups] and [tool.pdm] (dockergen/inspectors/pdm.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockergen.api import inspect
from dockergen.facts import Origin
from dockergen.inspectors import pdm
from dockergen.project import Project

from ..conftest import SAMPLES
from . import assert_stale_lock_is_detected, stale_samples

STALE = stale_samples("pdm")


def test_the_groups_each_locked_package_belongs_to_are_read_from_the_lock():
    """pdm.lock lists each package's groups; its "default" group is the runtime ("main") set."""
    facts = pdm.inspect(Project(SAMPLES / "pdm-flask"))
    assert [(r.name, r.group) for r in facts.requirements] == [
        ("flask", "main"),
        ("gunicorn", "main"),
        ("pytest", "dev"),
    ]
    assert facts.groups == ["dev"]
    groups = {p.name: p.groups for p in facts.packages}
    assert groups["flask"] == groups["werkzeug"] == groups["gunicorn"] == ("main",)
    assert groups["pytest"] == groups["pluggy"] == groups["colorama"] == ("dev",)
    assert sorted(name for name, group in groups.items() if group == ("main",)) == [
        "blinker",
        "click",
        "flask",
        "gunicorn",
        "itsdangerous",
        "jinja2",
        "markupsafe",
        "werkzeug",
    ]
    flask = next(p for p in facts.packages if p.name == "flask")
    assert (flask.version, flask.files, flask.hashed) == (
        "3.1.3",
        ("flask-3.1.3-py3-none-any.whl", "flask-3.1.3.tar.gz"),
        True,
    )
    assert (Origin("pdm.lock", "target requires_python"), ">=3.13,<3.14") in facts.python_constraints
    assert not facts.installable  # [tool.pdm] distribution = false
    assert (facts.lock_consistent, facts.lock_note) == (True, "content_hash matches pyproject.toml")


@pytest.mark.parametrize("sample", ["pdm-path-dep"])
def test_path_packages_are_seen(sample):
    """Where each manager builds them is a plan decision: tests/test_plan.py."""
    assert inspect(SAMPLES / sample).path_packages == (("greeting", "libs/greeting"),)


@pytest.mark.parametrize("sample", STALE)
def test_stale_lock_is_detected(sample, sample_copy):
    path: Path = sample_copy(sample)
    assert_stale_lock_is_detected(path, sample)
