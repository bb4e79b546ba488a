"""Hostile package names and versions from every lock format never become Dockerfile instructions.

A name or version read from a lock reaches RUN lines, comments ("Build-time packages for: ..."),
summaries and errors. Each is checked against its grammar when the lock is read: the project is
refused in one line naming the lock, or, for a value the grammar allows, the Dockerfile keeps
exactly the sample's instruction sequence.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockergen.api import generate
from dockergen.facts import InspectError

from .conftest import SAMPLES
from .test_fuzz import toml_string
from .test_injection import instructions

PAYLOADS = [
    "zz\nRUN id>/tmp/pwned",
    "zz\r\nUSER root",
    'a"b',
    "$(id)",
    "a\\\nRUN id",
    "a b",
    "\x1b[2Jzz",
    "zz#",
]
# sample, lock file, the text naming one locked package, how a hostile name is written there
LOCKS = [
    ("uv-fastapi", "uv.lock", 'name = "anyio"', lambda v: f"name = {toml_string(v)}"),
    ("poetry-legacy", "poetry.lock", 'name = "click"', lambda v: f"name = {toml_string(v)}"),
    ("pdm-flask", "pdm.lock", 'name = "blinker"', lambda v: f"name = {toml_string(v)}"),
    ("pipenv-app", "Pipfile.lock", '"requests": {', lambda v: f"{json.dumps(v)}: {{"),
    ("pylock-app", "pylock.toml", 'name = "pyyaml"', lambda v: f"name = {toml_string(v)}"),
]
VERSIONS = [
    ("uv-fastapi", "uv.lock", 'version = "8.5.1"', lambda v: f"version = {toml_string(v)}"),
    ("poetry-legacy", "poetry.lock", 'version = "8.5.1"', lambda v: f"version = {toml_string(v)}"),
    ("pylock-app", "pylock.toml", 'version = "6.0.4"', lambda v: f"version = {toml_string(v)}"),
]


def check(path, sample_instructions: list[str], lock: str) -> None:
    try:
        dockerfile = generate(path)["Dockerfile"]
    except InspectError as error:
        assert "\n" not in str(error) and "\r" not in str(error), "one line"
        assert str(error).startswith(f"{lock}: "), str(error)
        return
    assert instructions(dockerfile) == sample_instructions
    for line in dockerfile.splitlines():
        assert "\x1b" not in line and "\r" not in line


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(
    ("sample", "lock", "original", "write"),
    LOCKS + VERSIONS,
    ids=[f"{entry[1]}-name" for entry in LOCKS] + [f"{entry[1]}-version" for entry in VERSIONS],
)
def test_a_hostile_locked_name_or_version_is_refused_naming_the_lock(
    sample_copy, sample, lock, original, write, payload
):
    path = sample_copy(sample)
    baseline = instructions(generate(path)["Dockerfile"])
    text = (path / lock).read_text()
    assert original in text, f"{sample}/{lock} no longer has {original}"
    (path / lock).write_text(text.replace(original, write(payload), 1))
    check(path, baseline, lock)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_requirement_line_is_refused_naming_the_file(sample_copy, payload):
    path = sample_copy("piptools-psycopg")
    baseline = instructions(generate(path)["Dockerfile"])
    text = (path / "requirements.txt").read_text()
    (path / "requirements.txt").write_text(text.replace("psycopg2==2.9.13", f"{payload}==2.9.13", 1))
    check(path, baseline, "requirements.txt")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_external_dependency_is_refused(sample_copy, payload):
    path = sample_copy("hatch-cli")
    with (path / "pyproject.toml").open("a") as file:
        file.write(f"\n[external]\nbuild-requires = [{toml_string('dep:generic/openssl' + payload)}]\n")
    with pytest.raises(InspectError, match=r"^pyproject\.toml: external\.build-requires entry .* is not a DepURL"):
        generate(path)


@settings(max_examples=150, deadline=None)
@given(lock=st.sampled_from(LOCKS + VERSIONS), value=st.text(min_size=1, max_size=30))
def test_any_name_or_version_in_any_lock_is_refused_or_harmless(lock, value):
    """Fuzzing: arbitrary text (control characters, quotes, shell syntax, non-ASCII) as a locked
    package's name or version in every lock format."""
    sample, name, original, write = lock
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / sample
        shutil.copytree(SAMPLES / sample, path)
        baseline = BASELINES.setdefault(sample, instructions(generate(path)["Dockerfile"]))
        text = (path / name).read_text()
        (path / name).write_text(text.replace(original, write(value), 1))
        check(path, baseline, name)


BASELINES: dict[str, list[str]] = {}
