"""pip-tools: requirements*.in compiled by pip-compile into requirements*.txt (dockergen/inspectors/piptools.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockergen.api import inspect
from dockergen.inspectors import piptools
from dockergen.project import Project

from ..conftest import SAMPLES
from . import assert_stale_lock_is_detected, stale_samples

STALE = stale_samples("pip-tools")


def test_piptools_project_line_is_seen_apart_from_the_packages():
    facts = inspect(SAMPLES / "piptools-editable")
    assert (facts.project_line, facts.local_paths) == (".", ())
    assert [p.name for p in facts.packages] == ["click"]


def test_piptools_hashes_are_seen():
    facts = inspect(SAMPLES / "piptools-psycopg")
    assert all(p.hashed for p in facts.runtime_packages)


def test_a_second_compiled_file_is_a_group():
    """requirements-dev.txt (compiled from requirements-dev.in, which has `-c requirements.txt`)
    is the dev group; requirements.txt stays the one file the runtime install reads."""
    facts = piptools.inspect(Project(SAMPLES / "piptools-psycopg"))
    assert facts.groups == ["dev"]
    assert [(p.name, p.version, p.groups) for p in facts.packages] == [
        ("psycopg2", "2.9.13", ("main",)),
        ("sqlalchemy", "2.1.9", ("main",)),
        ("typing-extensions", "4.16.0", ("main",)),
        ("iniconfig", "2.3.1", ("dev",)),
        ("packaging", "26.4", ("dev",)),
        ("pluggy", "1.7.0", ("dev",)),
        ("pygments", "2.21.0", ("dev",)),
        ("pytest", "9.2.0", ("dev",)),
    ]
    assert facts.inputs == ["requirements.txt"]
    # psycopg2==2.9.* in requirements.in allows the pinned 2.9.13
    assert (facts.lock_consistent, facts.lock_note) == (
        True,
        "every requirement of requirements.in is pinned in requirements.txt",
    )


@pytest.mark.parametrize("sample", STALE)
def test_stale_lock_is_detected(sample, sample_copy):
    path: Path = sample_copy(sample)
    assert_stale_lock_is_detected(path, sample)
