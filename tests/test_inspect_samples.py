"""What every sample's dockergen-test.toml says inspect finds, against the real sample projects
(locks made by the real tools, see samples/README.md). Each format's own parser tests are in
tests/inspectors/, one module per inspector."""

from __future__ import annotations

import importlib
import json
import pkgutil

import pytest
from click.testing import CliRunner

from dockergen.api import inspect
from dockergen.cli import main

from . import inspectors
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


# How to make each sample's lock stale: an edit to the manifest the lock no longer matches ([stale]).
STALE_EDITS = {name: sample.stale for name, sample in expectations().items() if sample.stale is not None}


def test_every_stale_edit_is_tried_by_the_module_of_its_format():
    """test_stale_lock_is_detected runs in tests/inspectors/, in each lock format's module, on the
    samples of that manager: a [stale] sample no module takes (another manager, or none named)
    would go unchecked."""
    tried: list[str] = []
    for module in pkgutil.iter_modules(inspectors.__path__):
        tried += getattr(importlib.import_module(f"{inspectors.__name__}.{module.name}"), "STALE", [])
    assert sorted(tried) == sorted(STALE_EDITS)
