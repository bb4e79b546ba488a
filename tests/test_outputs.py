"""Whose the files are (issue 14, item 4).

Ownership: a file without dockergen's header, or one the `manage` setting leaves out, is the
team's: `init`/`generate` leave it as it is, `check` reports it as owned and passes, `check
--strict` fails. A file that still carries dockergen's header and was edited stays an error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import dockergen
from dockergen.api import HAND_EDIT, OLD_HAND_EDIT, is_unedited_output, ownership, split_header, status
from dockergen.cli import main

from .conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def settings(path: Path, text: str) -> None:
    with open(path / "pyproject.toml", "a") as handle:
        handle.write(f"\n[tool.dockergen]\n{text}\n")


def body(text: str) -> str:
    """A generated file without its header (what the golden files share whatever the settings)."""
    recorded, rest = split_header(text)
    assert recorded is not None, text[:300]
    return rest


def states(path: Path, **options) -> dict[str, str]:
    return {item.name: item.state for item in status(path, **options)}


# --- ownership -----------------------------------------------------------------------------------


def test_the_header_says_exactly_what_to_delete_and_deleting_it_hands_the_file_over(sample_copy):
    path = sample_copy("requirements-plain")
    assert cli("init", "--syntax", str(path)).exit_code == 0
    text = (path / "Dockerfile").read_text()
    lines = text.splitlines(keepends=True)
    assert lines[0] == "# syntax=docker/dockerfile:1\n"  # a parser directive, above the header
    header = lines[1 : lines.index("\n")]
    assert HAND_EDIT in header and "delete these four lines" in HAND_EDIT and len(header) == 4
    mine = lines[0] + "".join(lines[len(header) + 1 :])  # the four lines deleted, as it says
    (path / "Dockerfile").write_text(mine)
    assert ownership(mine) == "theirs"
    result = cli("generate", "--syntax", str(path))
    assert result.exit_code == 0 and "Dockerfile: owned (no dockergen header): left as it is" in result.output
    assert (path / "Dockerfile").read_text() == mine
    check = cli("check", "--syntax", str(path))
    assert check.exit_code == 0 and "Dockerfile is yours (no dockergen header): owned, not checked" in check.output
    # Three of them deleted (what the old header said): the digest line still says it is dockergen's.
    three = lines[0] + "".join(lines[4:])
    (path / "Dockerfile").write_text(three)
    assert ownership(three) == "edited"
    assert cli("check", "--syntax", str(path)).exit_code == 1
    refused = cli("generate", "--syntax", str(path))
    assert refused.exit_code == 1 and "or delete the four header lines to keep it as yours" in refused.output


def test_a_file_with_the_old_header_line_is_still_dockergens(sample_copy):
    path = sample_copy("requirements-plain")
    assert cli("init", str(path)).exit_code == 0
    old = (path / "Dockerfile").read_text().replace(HAND_EDIT, OLD_HAND_EDIT)
    (path / "Dockerfile").write_text(old)
    assert is_unedited_output(old) and ownership(old) == "ours"
    assert states(path)["Dockerfile"] == "stale"
    assert "Dockerfile: updated" in cli("generate", str(path)).output
    assert HAND_EDIT in (path / "Dockerfile").read_text()


def test_an_edited_file_that_keeps_the_header_stays_an_error_even_beside_owned_files(sample_copy):
    path = sample_copy("poetry-legacy")
    assert cli("init", str(path)).exit_code == 0
    (path / ".dockerignore").write_text(".git\n.venv\n.env\n")  # the team's
    edited = (path / "Dockerfile").read_text().replace("USER 10001:10001", "USER root")
    (path / "Dockerfile").write_text(edited)
    check = cli("check", str(path))
    assert check.exit_code == 1
    assert ".dockerignore is yours (no dockergen header)" in check.output
    assert "dockergen: Dockerfile is edited by hand since dockergen wrote it (its header says it is dockergen's)" in (
        check.output
    )
    assert cli("generate", str(path)).exit_code == 1 and (path / "Dockerfile").read_text() == edited


@pytest.mark.parametrize("sample", ["uv-fastapi", "pdm-flask"])
def test_check_still_fails_on_a_stale_lock_when_every_file_is_owned(sample_copy, sample):
    from .samples import expectations

    path = sample_copy(sample)
    (path / "Dockerfile").write_text("FROM python:3.13-slim\n")
    (path / ".dockerignore").write_text(".git\n.venv\n.env\n")
    assert cli("check", str(path)).exit_code == 0
    edit = expectations()[sample].stale
    assert edit is not None
    manifest = path / edit.file
    manifest.write_text(manifest.read_text().replace(edit.old, edit.new, 1))
    result = cli("check", str(path))
    assert result.exit_code == 1 and "the locked install step will fail" in result.output


def test_manage_leaves_a_file_to_the_team_even_with_force(sample_copy):
    path = sample_copy("pdm-flask")
    settings(path, 'manage = ["dockerignore"]')
    assert cli("init", str(path)).exit_code == 0
    assert not (path / "Dockerfile").exists(), "an output left out of manage is not written, even when absent"
    assert states(path) == {".dockerignore": "current"}
    dockerfile = dockergen.generate(path)["Dockerfile"]  # dockergen's, whoever writes the file
    (path / "Dockerfile").write_text(dockerfile.replace("USER 10001:10001", "USER root"))  # its header kept
    for command in (["generate"], ["generate", "--force"], ["init", "--force"]):
        result = cli(*command, str(path))
        assert result.exit_code == 0, result.output
        assert "Dockerfile: owned ([tool.dockergen] manage leaves it out): not written" in result.output
    assert "USER root" in (path / "Dockerfile").read_text() and not (path / "Dockerfile.bak").exists()
    check = cli("check", str(path))
    assert check.exit_code == 0, check.output
    assert "dockergen: Dockerfile is yours ([tool.dockergen] manage leaves it out): owned, not checked" in check.output
    assert "dockergen: .dockerignore is current" in check.output
    assert cli("check", "--strict", str(path)).exit_code == 1


def test_manage_the_dockerfile_only_keeps_the_teams_dockerignore_amended(sample_copy):
    path = sample_copy("uv-fastapi")
    assert cli("init", str(path)).exit_code == 0
    settings(path, 'manage = ["Dockerfile"]')
    (path / ".dockerignore").write_text((path / ".dockerignore").read_text().replace("uv.lock", "!x"))  # no edit
    result = cli("generate", str(path))
    assert result.exit_code == 0, result.output
    assert ".dockerignore: owned ([tool.dockergen] manage leaves it out): not written" in result.output
    assert states(path) == {".dockerignore": "owned", "Dockerfile": "current"}
    (path / ".dockerignore").write_text("*.lock\n")
    result = cli("generate", str(path))
    assert "Dockerfile.dockerignore applies it with these fixed, for Dockerfile" in result.output
    assert states(path) == {".dockerignore": "owned", "Dockerfile": "current", "Dockerfile.dockerignore": "current"}
    assert cli("check", str(path)).exit_code == 0
    strict = cli("check", "--strict", str(path))
    assert strict.exit_code == 1 and "--strict: .dockerignore is not dockergen's" in strict.output


def test_nothing_managed_is_nothing_written_and_nothing_checked(sample_copy):
    path = sample_copy("hatch-cli")
    settings(path, "manage = []")
    result = cli("init", str(path))
    assert result.exit_code == 0, result.output
    assert not (path / "Dockerfile").exists() and not (path / ".dockerignore").exists()
    (path / "Dockerfile").write_text("FROM python:3.13-slim\n")
    check = cli("check", str(path))
    assert check.exit_code == 0 and "nothing to check: every output is the team's" in check.output
    assert cli("check", "--strict", str(path)).exit_code == 1


@pytest.mark.parametrize("value", [["Dockerfile", "Dockerfile"], [".dockerignore"], ["dockerfile"], "Dockerfile"])
def test_manage_names_the_outputs(sample_copy, value):
    path = sample_copy("hatch-cli")
    settings(path, f"manage = {value!r}".replace("'", '"'))
    result = cli("check", str(path))
    assert result.exit_code == 2 and "[tool.dockergen] manage" in result.output


def test_the_manage_flag(sample_copy):
    path = sample_copy("uv-fastapi")
    result = cli("init", "--manage", "Dockerfile", str(path))
    assert result.exit_code == 0, result.output
    assert (path / "Dockerfile").is_file() and not (path / ".dockerignore").exists()
    assert cli("check", "--manage", "Dockerfile", str(path)).exit_code == 0
