"""Pipenv: Pipfile (TOML) and Pipfile.lock (JSON, pipfile-spec 6) (dockergen/inspectors/pipenv.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockergen.api import inspect
from dockergen.inspectors import pipenv
from dockergen.project import Project

from ..conftest import SAMPLES
from . import assert_stale_lock_is_detected, stale_samples

STALE = stale_samples("pipenv")


def test_pipenv_python_comes_from_the_pipfile():
    facts = inspect(SAMPLES / "pipenv-app")
    assert facts.python.reasons[0] == "Pipfile python_version pins 3.11"


def test_the_lock_s_categories_are_the_groups():
    """Pipfile.lock keeps one table per category: "default" is the runtime set, "develop" (from
    [dev-packages]) and any other category a group of its own. Versions are written "==x"."""
    facts = pipenv.inspect(Project(SAMPLES / "pipenv-app"))
    assert [(r.name, r.group) for r in facts.requirements] == [("requests", "main"), ("pytest", "develop")]
    assert facts.groups == ["develop"]
    groups = {p.name: p.groups for p in facts.packages}
    assert sorted(name for name, group in groups.items() if group == ("main",)) == [
        "certifi",
        "charset-normalizer",
        "idna",
        "requests",
        "urllib3",
    ]
    assert groups["pytest"] == groups["pluggy"] == ("develop",)
    requests = next(p for p in facts.packages if p.name == "requests")
    assert (requests.version, requests.marker, requests.hashed) == ("2.34.2", "python_version >= '3.10'", True)
    assert (facts.lock_consistent, facts.lock_note) == (True, "_meta.hash matches Pipfile")


def test_a_category_of_its_own_is_a_group(make_project):
    path = make_project(
        {
            "Pipfile": '[packages]\nrequests = "*"\n\n[docs]\nsphinx = "*"\n',
            "Pipfile.lock": '{"_meta": {"hash": {"sha256": "x"}, "pipfile-spec": 6, "requires": {}, "sources": []},'
            ' "default": {"requests": {"version": "==2.32.3"}}, "docs": {"sphinx": {"version": "==8.1.3"}}}',
        }
    )
    facts = pipenv.inspect(Project(path))
    assert [(r.name, r.group) for r in facts.requirements] == [("requests", "main"), ("sphinx", "docs")]
    assert facts.groups == ["docs"]
    assert [(p.name, p.version, p.groups) for p in facts.packages] == [
        ("requests", "2.32.3", ("main",)),
        ("sphinx", "8.1.3", ("docs",)),
    ]


@pytest.mark.parametrize("sample", ["pipenv-path-dep"])
def test_path_packages_are_seen(sample):
    """Where each manager builds them is a plan decision: tests/test_plan.py."""
    assert inspect(SAMPLES / sample).path_packages == (("greeting", "libs/greeting"),)


@pytest.mark.parametrize("sample", STALE)
def test_stale_lock_is_detected(sample, sample_copy):
    path: Path = sample_copy(sample)
    assert_stale_lock_is_detected(path, sample)
