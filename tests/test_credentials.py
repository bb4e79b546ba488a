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
def test_index_credentials_are_redacted_everywhere(kind, make_project):
    project = make_project(PROJECTS[kind])
    facts = inspect(project)
    assert facts.indexes and all(i.credentials and "://***@" in i.url for i in facts.indexes)
    assert any("netrc build secret" in note for note in facts.notes)
    outputs = [
        CliRunner().invoke(main, ["inspect", str(project)]).output,
        CliRunner().invoke(main, ["inspect", "--json", str(project)]).output,
        json.dumps(facts.to_json()),
        *generate(project).values(),
    ]
    for text in outputs:
        assert SECRET not in text and "INDEX_TOKEN" not in text
    assert "--mount=type=secret,id=netrc" in generate(project)["Dockerfile"]


def test_a_url_without_credentials_is_kept_as_written(make_project):
    project = make_project({"requirements.txt": "--index-url https://pkgs.example/simple\nrequests==2.32.5\n"})
    (index,) = inspect(project).indexes
    assert (index.url, index.credentials) == ("https://pkgs.example/simple", False)
    assert not any("netrc build secret" in note for note in inspect(project).notes)
