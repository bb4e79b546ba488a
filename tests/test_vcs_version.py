"""A version from git: .git stays out of the build context, so the project stage hands the build
backend the PROJECT_VERSION build argument through the variable it reads instead."""

from __future__ import annotations

import re

import pytest

from dockergen.api import generate, inspect
from dockergen.project import _vcs_versions

PACKAGE = "pkg/__init__.py"


def pyproject(requires: str, extra: str = "") -> str:
    return (
        '[project]\nname = "pkg"\ndynamic = ["version"]\nrequires-python = ">=3.11"\n'
        f'[build-system]\nrequires = {requires}\nbuild-backend = "x"\n{extra}'
    )


@pytest.mark.parametrize(
    ("requires", "extra", "variable"),
    [
        ('["hatchling", "hatch-vcs"]', "", "SETUPTOOLS_SCM_PRETEND_VERSION"),
        ('["setuptools>=64", "setuptools_scm[toml]>=8"]', "", "SETUPTOOLS_SCM_PRETEND_VERSION"),
        ('["poetry-core", "poetry-dynamic-versioning>=1,<2"]', "", "POETRY_DYNAMIC_VERSIONING_BYPASS"),
        ('["hatchling", "uv-dynamic-versioning"]', "", "UV_DYNAMIC_VERSIONING_BYPASS"),
        ('["pdm-backend"]', '[tool.pdm.version]\nsource = "scm"\n', "PDM_BUILD_SCM_VERSION"),
    ],
    ids=["hatch-vcs", "setuptools-scm", "poetry-dynamic-versioning", "uv-dynamic-versioning", "pdm-scm"],
)
def test_the_backend_gets_the_version_from_a_build_argument(make_project, requires, extra, variable):
    path = make_project({"pyproject.toml": pyproject(requires, extra), PACKAGE: "", "app.py": "print(1)\n"})
    assert inspect(path).version_variable == variable
    dockerfile = generate(path, entrypoint="python app.py", manager="setuptools")["Dockerfile"]
    project_stage = dockerfile.split("FROM base AS project")[1]
    assert f"ARG PROJECT_VERSION=0.0.0\nENV {variable}=${{PROJECT_VERSION}}\nCOPY . /src\n" in project_stage


@pytest.mark.parametrize(
    "files",
    [
        {"pyproject.toml": pyproject('["hatchling"]'), PACKAGE: ""},
        {"pyproject.toml": pyproject('["pdm-backend"]', '[tool.pdm.version]\nsource = "file"\n'), PACKAGE: ""},
        {"requirements.txt": "click==8.1.8\n"},
    ],
    ids=["hatchling-alone", "pdm-file-version", "no-pyproject"],
)
def test_no_version_argument_otherwise(make_project, files):
    path = make_project({**files, "app.py": "print(1)\n"})
    assert inspect(path).version_variable is None
    manager = "setuptools" if "pyproject.toml" in files else None
    assert "PROJECT_VERSION" not in generate(path, entrypoint="python app.py", manager=manager)["Dockerfile"]


def test_an_app_that_is_not_built_needs_no_version(make_project):
    files = {"pyproject.toml": '[build-system]\nrequires = ["setuptools-scm"]\n', "requirements.txt": "click==8.1.8\n"}
    path = make_project({**files, "app.py": "print(1)\n"})
    facts = inspect(path)
    assert facts.version_variable == "SETUPTOOLS_SCM_PRETEND_VERSION" and not facts.installable
    assert "PROJECT_VERSION" not in generate(path, entrypoint="python app.py")["Dockerfile"]


def test_every_variable_in_the_table_is_a_plain_name():
    data = _vcs_versions()
    entries = [*data["requires"].values(), data["pdm-scm"]]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", entry["variable"]) and entry["source"] for entry in entries)
