"""The loader of samples/*/dockergen-test.toml: every sample has one, and a mistake in one is an error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import SAMPLES
from .samples import EXPECTATIONS_FILE, SampleFileError, expectations, load, parse


def test_every_sample_has_an_expectations_file():
    assert sorted(expectations()) == sorted(p.name for p in SAMPLES.iterdir() if p.is_dir())


INSPECT = {"manager": "uv", "python": "3.11", "installable": False, "entrypoint": ["python", "main.py"], "pins": {}}

# A file's content, and what the error says of it.
MISTAKES = [
    ({"manger": "uv"}, "unknown key manger"),
    ({"smoke": {"command": [], "outptu": "x"}}, "[smoke]: unknown key outptu"),
    ({"smoke": {"command": []}}, "[smoke]: missing key output"),
    ({"stale": {"file": "Pipfile", "old": "a"}}, "[stale]: missing key new"),
    ({"variants": [{"file": "Dockerfile.cpu", "option": {}}]}, "#1: unknown key option"),
    ({"manager": "uv", "python": "3.11"}, "manager, python given without installable, entrypoint, pins"),
    ({"dev_only": "pytest"}, "dev_only is checked with the inspect keys"),
    ({**INSPECT, "python": 3.11}, "python must be a string, not 3.11"),
    ({**INSPECT, "installable": "no"}, "installable must be true or false"),
    ({**INSPECT, "entrypoint": "python main.py"}, "entrypoint must be a list of strings"),
    ({**INSPECT, "pins": {"six": 1}}, "pins.six must be a string"),
    ({"web_path": "health"}, "web_path must start with '/'"),
    ({"variants": [{"file": "D", "options": {}}, {"file": "D", "options": {}}]}, "the same file"),
]


@pytest.mark.parametrize(("data", "message"), MISTAKES, ids=[message for _, message in MISTAKES])
def test_a_mistake_in_the_file_is_an_error(data, message):
    with pytest.raises(SampleFileError, match="^where.*" + re.escape(message)):
        parse("sample", data, "where")


def test_a_complete_file_is_read(tmp_path: Path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / EXPECTATIONS_FILE).write_text(
        'manager = "uv"\npython = "3.11"\ninstallable = true\nentrypoint = ["app"]\ndev_only = "pytest"\n'
        'web_path = "/health"\n[pins]\nsix = "1.17.0"\n[smoke]\ncommand = []\noutput = "hello"\n'
        '[stale]\nfile = "pyproject.toml"\nold = "a"\nnew = "b"\n'
        '[[variants]]\nfile = "Dockerfile.cpu"\noptions = { variant = "cpu" }\n'
    )
    app = load(tmp_path)["app"]
    assert (app.manager, app.python, app.installable, app.entrypoint) == ("uv", "3.11", True, ("app",))
    assert (dict(app.pins), app.dev_only, app.web_path) == ({"six": "1.17.0"}, "pytest", "/health")
    assert (app.smoke.command, app.smoke.output) == ((), "hello")
    assert (app.stale.file, app.stale.old, app.stale.new) == ("pyproject.toml", "a", "b")
    assert [(v.file, dict(v.options)) for v in app.variants] == [("Dockerfile.cpu", {"variant": "cpu"})]


def test_a_sample_without_the_file_or_with_bad_toml_is_an_error(tmp_path: Path):
    (tmp_path / "app").mkdir()
    with pytest.raises(SampleFileError, match=f"samples/app/{EXPECTATIONS_FILE}: missing"):
        load(tmp_path)
    (tmp_path / "app" / EXPECTATIONS_FILE).write_text("manager = \n")
    with pytest.raises(SampleFileError, match=f"samples/app/{EXPECTATIONS_FILE}: "):
        load(tmp_path)
