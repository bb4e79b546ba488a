"""Who installs a Poetry lock: uv, from `poetry export`, when every package it installs is hashed
and no source URL carries credentials; Poetry itself otherwise. The e2e tests build both samples
and the private-index project the first way."""

from __future__ import annotations

import pytest

from dockergen.api import generate, plan

PYPROJECT = """\
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.11,<3.12"
dependencies = ["click"]
{extra}
[tool.poetry]
package-mode = false
{sources}
[tool.poetry.group.dev.dependencies]
pytest = "*"
"""
CLICK_SHA256 = "63c132bbbed01578a06712a2d1f497bb62d9c1c0d329b7903a866228027263b2"
CLICK = f"""\
[[package]]
name = "click"
version = "8.1.8"
description = ""
optional = false
python-versions = ">=3.7"
groups = ["main"]
files = [
    {{file = "click-8.1.8-py3-none-any.whl", hash = "sha256:{CLICK_SHA256}"}},
]
"""
GIT = """\
[[package]]
name = "dgtool"
version = "1.0"
description = ""
optional = false
python-versions = "*"
groups = ["{group}"]
files = []
develop = false

[package.source]
type = "git"
url = "https://git.example/dgtool.git"
reference = "HEAD"
resolved_reference = "0123456789abcdef0123456789abcdef01234567"
"""
METADATA = """
[metadata]
lock-version = "2.1"
python-versions = ">=3.11,<3.12"
content-hash = "0000000000000000000000000000000000000000000000000000000000000000"
"""


def project(make_project, lock: str, sources: str = "", extra: str = "", files: dict[str, str] | None = None):
    return make_project(
        {
            "pyproject.toml": PYPROJECT.format(sources=sources, extra=extra),
            "poetry.lock": lock + METADATA,
            "app.py": "print(1)\n",
            **(files or {}),
        }
    )


def deps_step(path) -> str:
    dockerfile = generate(path, entrypoint="python app.py")["Dockerfile"]
    return dockerfile[dockerfile.index("FROM base AS deps") : dockerfile.index(" AS runner\n")]


def test_a_fully_hashed_lock_is_exported_for_uv(make_project):
    step = deps_step(project(make_project, CLICK))
    assert "pip install poetry==2.5.1 poetry-plugin-export==1.10.1\n" in step
    assert "poetry export --no-interaction --only main --format requirements.txt" in step
    assert "uv pip sync --python /opt/venv/bin/python --require-hashes /tmp/requirements.txt" in step
    assert "poetry sync" not in step and "poetry check" not in step


def test_a_git_package_in_a_dev_group_is_not_installed_and_changes_nothing(make_project):
    assert "uv pip sync" in deps_step(project(make_project, CLICK + "\n" + GIT.format(group="dev")))


@pytest.mark.parametrize(
    ("lock", "sources", "reason"),
    [
        (CLICK + "\n" + GIT.format(group="main"), "", "has no hashes"),
        (
            CLICK,
            '[[tool.poetry.source]]\nname = "corp"\nurl = "https://${CORP_USER}:${CORP_TOKEN}@pkgs.example/simple"\n',
            "carries credentials",
        ),
    ],
    ids=["unhashed-git-package", "credentials-in-source-url"],
)
def test_otherwise_poetry_installs_the_lock(make_project, lock, sources, reason):
    path = project(make_project, lock, sources)
    step = deps_step(path)
    assert "poetry sync --no-interaction --no-root --no-directory --compile --only main" in step
    assert "pip install poetry==2.5.1\n" in step
    assert "uv " not in step and "poetry export" not in step
    assert any(reason in line for line in plan(path, entrypoint="python app.py")[1].reasons)


def test_selected_groups_and_extras_reach_the_export(make_project):
    path = project(make_project, CLICK, extra='[project.optional-dependencies]\nfast = ["click"]\n')
    dockerfile = generate(path, entrypoint="python app.py", groups=["dev"], extras=["fast"])["Dockerfile"]
    assert "poetry export --no-interaction --only main,dev --extras fast --format requirements.txt" in dockerfile


def test_a_pep_621_license_file_is_mounted_because_poetry_reads_it(make_project):
    path = project(make_project, CLICK, extra='license = { file = "LICENSE" }\n', files={"LICENSE": "MIT\n"})
    assert "--mount=type=bind,source=LICENSE,target=LICENSE" in deps_step(path)
    assert "!LICENSE" in generate(path, entrypoint="python app.py")[".dockerignore"]


def test_a_missing_license_file_is_not_mounted(make_project):
    assert "LICENSE" not in deps_step(project(make_project, CLICK, extra='license = { file = "LICENSE" }\n'))


def _numpy(version: str, python: str) -> str:
    return f"""\
[[package]]
name = "numpy"
version = "{version}"
description = ""
optional = false
python-versions = "{python}"
files = [
    {{file = "numpy-{version}.tar.gz", hash = "sha256:{CLICK_SHA256}"}},
]
"""


@pytest.mark.parametrize("lock_version", ["2.0", "2.1"])
def test_a_package_at_several_versions_in_a_lock_without_markers_is_installed_by_poetry(make_project, lock_version):
    """poetry-plugin-export walks the graph of a lock with no markers per package (Poetry 1.x
    writes lock-version 2.0), and the walk fails on a package locked once per Python range."""
    lock = _numpy("1.26.4", ">=3.9") + "\n" + _numpy("2.2.6", ">=3.10")
    if lock_version == "2.1":  # Poetry 2 records each package's groups and markers: the export reads them
        lock = lock.replace(
            "optional = false\n", 'optional = false\ngroups = ["main"]\nmarkers = "python_version >= \\"3.10\\""\n'
        )
    path = make_project(
        {
            "pyproject.toml": PYPROJECT.format(sources="", extra="").replace('["click"]', '["numpy"]'),
            "poetry.lock": lock + METADATA.replace('"2.1"', f'"{lock_version}"'),
            "app.py": "print(1)\n",
        }
    )
    step = deps_step(path)
    if lock_version == "2.0":
        assert "poetry sync --no-interaction" in step and "poetry export" not in step
        reasons = plan(path, entrypoint="python app.py")[1].reasons
        assert any("its export fails on it (numpy locked at several versions" in line for line in reasons)
    else:
        assert "poetry export" in step and "poetry sync" not in step
