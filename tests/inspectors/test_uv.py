"""uv: uv.lock (version 1), [dependency-groups], [tool.uv] sources and workspaces (dockergen/inspectors/uv.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dockergen.api import inspect
from dockergen.facts import Origin
from dockergen.inspectors import uv
from dockergen.project import Project

from ..conftest import SAMPLES
from . import assert_stale_lock_is_detected, stale_samples

STALE = stale_samples("uv")


def test_uv_lock_records_wheels_per_package():
    facts = inspect(SAMPLES / "uv-fastapi")
    core = next(p for p in facts.packages if p.name == "pydantic-core")
    assert any(re.search(r"cp313-cp313-manylinux.*_2_17_x86_64\.whl$", f) for f in core.files)
    assert any(f.endswith(".tar.gz") for f in core.files)
    assert core.hashed


def test_dev_group_and_markers_come_from_the_lock_edges():
    """uv.lock records no group per package: [package.dev-dependencies] of the project and the
    dependency edges say which group reaches what, and under which marker."""
    facts = uv.inspect(Project(SAMPLES / "uv-fastapi"))
    assert facts.groups == ["dev"]
    groups = {p.name: p.groups for p in facts.packages}
    assert groups["pytest"] == groups["pluggy"] == groups["iniconfig"] == ("dev",)
    assert groups["fastapi"] == groups["click"] == groups["pydantic-core"] == ("main",)
    assert "uv-fastapi" not in groups  # the project itself is not a locked package
    colorama = next(p for p in facts.packages if p.name == "colorama")  # pytest needs it on Windows
    assert colorama.marker == "((sys_platform == 'win32'))"
    assert (Origin("uv.lock", "requires-python"), ">=3.11") in facts.python_constraints
    assert (facts.lock_consistent, facts.lock_note) == (True, "direct dependencies match pyproject.toml")


def test_uv_workspace_members_are_inputs_and_sources():
    facts = inspect(SAMPLES / "uv-workspace")
    assert facts.workspace_members == ("packages/ws-lib",)
    assert "packages/ws-lib/pyproject.toml" in facts.inputs
    member = next(p for p in facts.packages if p.name == "ws-lib")
    assert member.source.kind == "workspace"


@pytest.mark.parametrize("sample", ["uv-path-dep"])
def test_path_packages_are_seen(sample):
    """Where each manager builds them is a plan decision: tests/test_plan.py."""
    assert inspect(SAMPLES / sample).path_packages == (("greeting", "libs/greeting"),)


@pytest.mark.parametrize("sample", STALE)
def test_stale_lock_is_detected(sample, sample_copy):
    path: Path = sample_copy(sample)
    assert_stale_lock_is_detected(path, sample)
