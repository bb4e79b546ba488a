"""--pin-digests: base images pinned by digest, and pins kept by later generate/check runs."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from dockergen.api import generate, write
from dockergen.cli import main
from dockergen.digests import existing_pins, resolve
from dockergen.facts import InspectError

FAKE = {
    "python:3.13-slim-trixie": "sha256:" + "1" * 64,
    "python:3.13-trixie": "sha256:" + "2" * 64,
    "ghcr.io/astral-sh/uv:0.13.8": "sha256:" + "3" * 64,
    "python:3.11-slim-bookworm": "sha256:" + "4" * 64,
}


@pytest.fixture
def registry(monkeypatch):
    """Stands in for `docker pull` + the engine's RepoDigests, which need a registry."""
    monkeypatch.setattr("dockergen.digests.resolve", lambda image: FAKE[image])


def test_pins_are_written_and_kept_by_check_and_generate(registry, sample_copy):
    path = sample_copy("uv-fastapi")
    write(path, pin_digests=True)
    dockerfile = (path / "Dockerfile").read_text()
    assert f"ARG PYTHON_IMAGE=python:3.13-slim-trixie@{FAKE['python:3.13-slim-trixie']}" in dockerfile
    assert f"ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.8@{FAKE['ghcr.io/astral-sh/uv:0.13.8']}" in dockerfile
    assert CliRunner().invoke(main, ["check", str(path)]).exit_code == 0  # offline, pins kept
    assert write(path)["Dockerfile"] == "unchanged"
    assert existing_pins(path)["python:3.13-slim-trixie"] == FAKE["python:3.13-slim-trixie"]


def test_a_pin_for_an_image_no_longer_planned_is_dropped(registry, sample_copy):
    path = sample_copy("uv-fastapi")
    write(path, pin_digests=True)
    dockerfile = generate(path, python="3.11")["Dockerfile"]
    assert "ARG PYTHON_IMAGE=python:3.11-slim-bookworm\n" in dockerfile  # not pinned: not resolved yet
    assert f"ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.8@{FAKE['ghcr.io/astral-sh/uv:0.13.8']}" in dockerfile


@pytest.mark.docker
def test_an_image_without_a_registry_digest_is_a_clear_error():
    # The local stand-ins were built here, never pulled: the engine records no digest for them.
    with pytest.raises(InspectError, match=r"^python:3\.13-slim-trixie: cannot pin by digest.*docker pull"):
        resolve("python:3.13-slim-trixie")


def test_the_cli_flag_reaches_the_written_file(registry, sample_copy):
    path = sample_copy("pdm-flask")
    result = CliRunner().invoke(main, ["generate", "--pin-digests", "--stdout", str(path)])
    assert result.exit_code == 0, result.output
    assert f"python:3.13-slim-trixie@{FAKE['python:3.13-slim-trixie']}" in result.output
