"""Which source of truth wins when a project has several (dockergen/inspectors/__init__.py)."""

from __future__ import annotations

import shutil

from dockergen.api import inspect

from ..conftest import SAMPLES


def test_a_stale_lock_gives_way_to_a_current_one_beside_it(sample_copy):
    """A uv.lock left behind by a move to Poetry matches nothing in pyproject.toml any more."""
    path = sample_copy("poetry-legacy")
    shutil.copy(SAMPLES / "uv-fastapi" / "uv.lock", path / "uv.lock")
    facts = inspect(path)
    assert facts.manager == "poetry" and facts.lock_consistent is True
    assert "uv passed over: uv.lock is stale" in facts.manager_reason


def test_a_stale_lock_alone_still_wins_and_says_it_is_stale(sample_copy):
    path = sample_copy("uv-fastapi")
    text = (path / "pyproject.toml").read_text()
    (path / "pyproject.toml").write_text(text.replace('"fastapi', '"rich",\n    "fastapi', 1))
    facts = inspect(path)
    assert facts.manager == "uv" and facts.lock_consistent is False


def test_a_hashed_requirements_export_outranks_a_pipfile_without_its_lock(make_project):
    path = make_project(
        {
            "Pipfile": '[packages]\nclick = "*"\n[requires]\npython_version = "3.11"\n',
            "requirements.txt": "click==8.5.1 \\\n"
            "    --hash=sha256:8bb5376d2006950386f8c6427613334a2acadc5f559cb80e638d00b4df957e37\n",
            "app.py": "print(1)\n",
        }
    )
    facts = inspect(path)
    assert facts.manager == "requirements"
    assert facts.manager_reason.startswith("requirements.txt with a hash for every requirement")
    assert [(p.name, p.version, p.hashed) for p in facts.runtime_packages] == [("click", "8.5.1", True)]


def test_a_plain_requirements_file_does_not_outrank_a_pipfile(make_project):
    path = make_project({"Pipfile": '[packages]\nclick = "*"\n', "requirements.txt": "click\n", "app.py": ""})
    assert inspect(path).manager == "pipenv"
