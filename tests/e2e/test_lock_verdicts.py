"""dockergen's verdict on every sample's lock is the real tool's: `uv lock --check`, `poetry check
--lock`, `pdm lock --check`, `pipenv verify` (tests/lock_tools.py), on the lock as committed, after
the sample's [stale] edit (a new dependency), and after the edits real projects make without
re-locking: a new extra, an included dependency group. A version bump is the one documented
difference: the tool calls the lock stale, dockergen installs it (the dependency step does not
install the project) and says so.

`uv lock --check` runs in a python stand-in image: marked `docker`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import dockergen

from .. import lock_tools
from ..samples import SAMPLES_DIR, expectations

pytestmark = pytest.mark.docker

CHECKED = sorted(name for name, s in expectations().items() if s.manager in lock_tools.STALE)


def assert_same_verdict(project: Path) -> bool:
    facts = dockergen.inspect(project)
    current, output = lock_tools.verdict(facts.manager, project, facts.python.version)
    assert facts.lock_consistent is current, f"{facts.manager} says {output!r}; dockergen: {facts.lock_note}"
    return current


def copy(sample: str, tmp_path: Path) -> Path:
    target = tmp_path / sample
    shutil.copytree(SAMPLES_DIR / sample, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("sample", CHECKED)
def test_the_committed_lock_is_current_for_the_tool_and_for_dockergen(sample, tmp_path):
    assert assert_same_verdict(copy(sample, tmp_path))


@pytest.mark.parametrize("sample", [name for name in CHECKED if expectations()[name].stale is not None])
def test_a_new_dependency_makes_the_lock_stale_for_both(sample, tmp_path):
    project = copy(sample, tmp_path)
    change = expectations()[sample].stale
    assert change is not None
    edit(project / change.file, change.old, change.new)
    assert not assert_same_verdict(project)


# Samples whose manifest is PEP 621 [project] ([tool.poetry]-only ones have no PEP 735 groups).
PEP621 = [
    name
    for name in CHECKED
    if expectations()[name].manager in ("uv", "pdm", "poetry")
    and "[project]" in (SAMPLES_DIR / name / "pyproject.toml").read_text()
]


@pytest.mark.parametrize("sample", PEP621)
def test_a_new_dependency_group_that_includes_another_is_a_change_for_both(sample, tmp_path):
    project = copy(sample, tmp_path)
    manifest = project / "pyproject.toml"
    groups = 'lint = ["ruff"]\ncheck = [{include-group = "lint"}]\n'
    if "[dependency-groups]" in manifest.read_text():
        edit(manifest, "[dependency-groups]\n", "[dependency-groups]\n" + groups)
    else:
        manifest.write_text(manifest.read_text() + "\n[dependency-groups]\n" + groups)
    assert not assert_same_verdict(project)


def test_a_version_bump_is_stale_for_uv_and_installs_for_dockergen(tmp_path):
    project = copy("uv-fastapi", tmp_path)
    edit(project / "pyproject.toml", 'version = "', 'version = "9')
    facts = dockergen.inspect(project)
    current, _ = lock_tools.verdict("uv", project, facts.python.version)
    assert not current and facts.lock_consistent is True
    assert "is not the lock's" in facts.lock_note


@pytest.mark.parametrize(("writer", "current"), [("2.2.1", True), ("2.5.1", False)])
def test_a_lock_from_poetry_before_2_3_did_not_hash_dependency_groups(writer, current, tmp_path):
    """Poetry 2.3 added [dependency-groups] to the content-hash, and compares a lock an older
    Poetry wrote (its header says which) the old way: a group added since is not a change then."""
    project = copy("poetry-django", tmp_path)
    lock = project / "poetry.lock"
    edit(lock, "Poetry 2.5.1", f"Poetry {writer}")
    (project / "pyproject.toml").write_text(
        (project / "pyproject.toml").read_text() + '\n[dependency-groups]\nlint = ["ruff"]\n'
    )
    assert assert_same_verdict(project) is current


def test_pipenv_hashes_package_names_in_their_normal_form(tmp_path):
    """pipenv 2026 hashes `Requests` as `requests`: a change of spelling is not a change."""
    project = copy("pipenv-app", tmp_path)
    edit(project / "Pipfile", "requests = ", "Requests = ")
    assert assert_same_verdict(project)
