"""Each inspector against the real sample projects (locks made by the real tools, see samples/README.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dockergen.api import inspect
from dockergen.cli import main

from .conftest import SAMPLES
from .samples import expectations

# The samples whose inspection is checked: those whose dockergen-test.toml gives manager, python, etc.
INSPECTED = {name: sample for name, sample in expectations().items() if sample.manager is not None}


@pytest.mark.parametrize("sample", sorted(INSPECTED))
def test_sample_facts(sample):
    expected = INSPECTED[sample]
    facts = inspect(SAMPLES / sample)
    assert facts.manager == expected.manager
    assert facts.python.version == expected.python
    assert facts.installable is expected.installable
    assert facts.entrypoint is not None and list(facts.entrypoint.command) == list(expected.entrypoint)
    assert facts.lock_file and facts.lock_consistent is True, facts.lock_note
    runtime = {p.name: p.version for p in facts.runtime_packages}
    for name, version in expected.pins.items():
        assert runtime.get(name) == version, name
    if expected.dev_only is not None:
        assert expected.dev_only not in runtime
        assert any(p.name == expected.dev_only for p in facts.packages), "dev packages are kept, apart"


@pytest.mark.parametrize("sample", sorted(INSPECTED))
def test_cli_json_is_stable_and_complete(sample):
    result = CliRunner().invoke(main, ["inspect", "--json", str(SAMPLES / sample)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema"] == 2
    assert data["manager"] == INSPECTED[sample].manager
    assert data["plan_error"] is None
    assert data["plan"]["python"] == INSPECTED[sample].python
    stages = ("images", "base", "deps", "project", "libraries", "runner", "layers")
    assert set(stages) <= set(data["plan"]), "the plan is nested by stage (schema 2)"
    assert data["plan"]["runner"]["command"] == list(INSPECTED[sample].entrypoint)


def test_uv_lock_records_wheels_per_package():
    facts = inspect(SAMPLES / "uv-fastapi")
    core = next(p for p in facts.packages if p.name == "pydantic-core")
    assert any(re.search(r"cp313-cp313-manylinux.*_2_17_x86_64\.whl$", f) for f in core.files)
    assert any(f.endswith(".tar.gz") for f in core.files)
    assert core.hashed


def test_uv_workspace_members_are_inputs_and_sources():
    facts = inspect(SAMPLES / "uv-workspace")
    assert facts.workspace_members == ("packages/ws-lib",)
    assert "packages/ws-lib/pyproject.toml" in facts.inputs
    member = next(p for p in facts.packages if p.name == "ws-lib")
    assert member.source.kind == "workspace"


def test_poetry_source_is_reported():
    facts = inspect(SAMPLES / "poetry-legacy")
    assert [(i.name, i.url) for i in facts.indexes] == [("pypi-simple", "https://pypi.org/simple/")]
    assert facts.groups == ("test",)


def test_pipenv_python_comes_from_the_pipfile():
    facts = inspect(SAMPLES / "pipenv-app")
    assert facts.python.reasons[0] == "Pipfile python_version pins 3.11"


@pytest.mark.parametrize("sample", ["uv-path-dep", "poetry-path-dep", "pdm-path-dep", "pipenv-path-dep"])
def test_path_packages_are_seen(sample):
    """Where each manager builds them is a plan decision: tests/test_plan.py."""
    assert inspect(SAMPLES / sample).path_packages == (("greeting", "libs/greeting"),)


def test_piptools_project_line_is_seen_apart_from_the_packages():
    facts = inspect(SAMPLES / "piptools-editable")
    assert (facts.project_line, facts.local_paths) == (".", ())
    assert [p.name for p in facts.packages] == ["click"]


def test_piptools_hashes_are_seen():
    facts = inspect(SAMPLES / "piptools-psycopg")
    assert all(p.hashed for p in facts.runtime_packages)


# How to make each sample's lock stale: an edit to the manifest the lock no longer matches ([stale]).
STALE_EDITS = {name: sample.stale for name, sample in expectations().items() if sample.stale is not None}


@pytest.mark.parametrize("sample", sorted(STALE_EDITS))
def test_stale_lock_is_detected(sample, sample_copy):
    path: Path = sample_copy(sample)
    edit = STALE_EDITS[sample]
    name, old, new = edit.file, edit.old, edit.new
    text = (path / name).read_text()
    assert old in text, f"{sample}/{name} no longer contains {old!r}"
    (path / name).write_text(text.replace(old, new, 1))
    facts = inspect(path)
    assert facts.lock_consistent is False
    assert "stale" in facts.lock_note
    assert any("stale" in note for note in facts.notes)
