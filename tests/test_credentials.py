"""Credentials a project's files put in index or package URLs never reach dockergen's output.

The install steps read the project's own files (bind-mounted), so they need nothing from us; what
dockergen prints (inspect, --json, the Dockerfile) shows *** instead, with a note pointing to the
netrc build secret.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dockergen.api import generate, inspect
from dockergen.cli import main

SECRET = "hunter2-5f1d"
PROJECTS = {
    "requirements": {
        "requirements.txt": (
            f"--index-url https://alice:{SECRET}@pkgs.example/simple\n"
            "--extra-index-url https://${INDEX_TOKEN}@other.example/simple\n"
            f"dgtool @ https://{SECRET}@files.example/dgtool-1.0-py3-none-any.whl\n"
            "requests==2.32.5\n"
        ),
        "app.py": "print(1)\n",
    },
    "uv": {
        "pyproject.toml": (
            '[project]\nname = "app"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = ["dgtool"]\n'
            f'[[tool.uv.index]]\nname = "corp"\nurl = "https://bob:{SECRET}@pkgs.example/simple"\n'
        ),
        "uv.lock": (  # uv writes index URLs without their credentials
            'version = 1\nrevision = 3\nrequires-python = ">=3.11"\n\n'
            '[[package]]\nname = "app"\nversion = "1"\nsource = { virtual = "." }\n'
            'dependencies = [{ name = "dgtool" }]\n\n'
            '[[package]]\nname = "dgtool"\nversion = "1.0"\nsource = { registry = "https://pkgs.example/simple" }\n'
            'wheels = [{ url = "https://pkgs.example/files/dgtool-1.0-py3-none-any.whl", hash = "sha256:00" }]\n'
        ),
        "app.py": "print(1)\n",
    },
    "pipenv": {
        "Pipfile": (
            f'[[source]]\nname = "corp"\nurl = "https://carol:{SECRET}@pkgs.example/simple"\nverify_ssl = true\n'
            '[packages]\ndgtool = "*"\n'
        ),
        "Pipfile.lock": json.dumps(
            {
                "_meta": {
                    "hash": {"sha256": "0" * 64},
                    "pipfile-spec": 6,
                    "requires": {},
                    "sources": [
                        {"name": "corp", "url": f"https://carol:{SECRET}@pkgs.example/simple", "verify_ssl": True}
                    ],
                },
                "default": {"dgtool": {"hashes": ["sha256:" + "0" * 64], "index": "corp", "version": "==1.0"}},
                "develop": {},
            }
        ),
        "app.py": "print(1)\n",
    },
}


@pytest.mark.parametrize("kind", sorted(PROJECTS))
def test_written_credentials_are_redacted_everywhere_and_refused_for_the_image(kind, make_project):
    """The file holding them is in the build context: the project stage or the app directory
    would copy it into a layer. inspect shows the project; generate refuses, in one line."""
    project = make_project(PROJECTS[kind])
    facts = inspect(project)
    assert facts.indexes and all(i.credentials and "://***@" in i.url for i in facts.indexes)
    assert any("netrc build secret" in note for note in facts.notes)
    outputs = [
        CliRunner().invoke(main, ["inspect", str(project)]).output,
        CliRunner().invoke(main, ["inspect", "--json", str(project)]).output,
        json.dumps(facts.to_json()),
    ]
    result = CliRunner().invoke(main, ["generate", "--stdout", str(project)])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
    assert "a user or token is written in the URL" in result.output and "netrc build secret" in result.output
    for text in [*outputs, result.output]:
        assert SECRET not in text and "INDEX_TOKEN" not in text


def test_variables_in_place_of_credentials_reach_the_build_as_a_netrc_secret(make_project):
    project = make_project(
        {
            "requirements.txt": "--index-url https://${INDEX_USER}:${INDEX_TOKEN}@pkgs.example/simple\n"
            "--extra-index-url https://${OTHER_TOKEN}@other.example/simple\nrequests==2.32.5\n",
            "app.py": "print(1)\n",
        }
    )
    facts = inspect(project)
    assert all(i.credentials and not i.secret for i in facts.indexes)
    dockerfile = generate(project)["Dockerfile"]
    assert "--mount=type=secret,id=netrc" in dockerfile and "INDEX_TOKEN" not in dockerfile


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://alice:p@ss@pkgs.example/simple", "https://***@pkgs.example/simple"),  # an @ in the password
        ("https://alice:p%40ss@pkgs.example/simple", "https://***@pkgs.example/simple"),
        ("https://TOKEN@pkgs.example/simple", "https://***@pkgs.example/simple"),
    ],
)
def test_an_index_without_a_name_is_shown_without_its_credentials(make_project, url, shown):
    project = make_project(
        {
            "pyproject.toml": '[project]\nname = "app"\nversion = "1"\nrequires-python = ">=3.11"\n'
            f'dependencies = ["dgtool"]\n[[tool.uv.index]]\nurl = "{url}"\n',
            "app.py": "print(1)\n",
        }
    )
    (index,) = inspect(project).indexes
    assert (index.name, index.url, index.secret) == (shown, shown, True)
    output = CliRunner().invoke(main, ["inspect", "--json", str(project)]).output
    assert "p@ss" not in output and "TOKEN" not in output and "alice" not in output


def test_an_error_quoting_a_requirement_leaves_its_credentials_out(make_project):
    project = make_project({"requirements.txt": f"dgtool[ @ https://alice:{SECRET}@files.example/dgtool.whl\n"})
    result = CliRunner().invoke(main, ["generate", "--stdout", str(project)])
    assert result.exit_code == 2 and "requirements.txt" in result.output, result.output
    assert SECRET not in result.output and "alice" not in result.output


def test_a_direct_reference_without_a_lock_stays_a_direct_reference(make_project):
    """By name alone pip would install whatever PyPI has under that name (dependency confusion)."""
    wheel = "https://artifacts.example/corp_lib-1.0-py3-none-any.whl"
    project = make_project(
        {
            "pyproject.toml": '[project]\nname = "app"\nversion = "1"\nrequires-python = ">=3.11"\n'
            f'dependencies = ["corp-lib @ {wheel} ; python_version >= \'3.8\'", "click>=8"]\n',
            "app.py": "print(1)\n",
        }
    )
    dockerfile = generate(project, entrypoint="python app.py")["Dockerfile"]
    assert f"pip install 'corp-lib @ {wheel} ; python_version >= \"3.8\"' 'click>=8'" in dockerfile


def test_a_url_without_credentials_is_kept_as_written(make_project):
    project = make_project({"requirements.txt": "--index-url https://pkgs.example/simple\nrequests==2.32.5\n"})
    (index,) = inspect(project).indexes
    assert (index.url, index.credentials) == ("https://pkgs.example/simple", False)
    assert not any("netrc build secret" in note for note in inspect(project).notes)
