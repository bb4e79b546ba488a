"""Base images as bots update them: --pin-digests, and the patch tags and digests that Dependabot
and Renovate write into the FROM lines, kept by later generate/check runs (issue 14, item 5)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from dockergen.api import RefusedError, generate, status, write
from dockergen.cli import main
from dockergen.digests import existing_references, is_bump, resolve
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
    assert f"FROM python:3.13-slim-trixie@{FAKE['python:3.13-slim-trixie']} AS runner" in dockerfile
    assert f"FROM ghcr.io/astral-sh/uv:0.13.8@{FAKE['ghcr.io/astral-sh/uv:0.13.8']} AS uv" in dockerfile
    assert CliRunner().invoke(main, ["check", str(path)]).exit_code == 0  # offline, pins kept
    assert write(path)["Dockerfile"] == "unchanged"
    assert existing_references(path)["runner"] == f"python:3.13-slim-trixie@{FAKE['python:3.13-slim-trixie']}"


def test_a_pin_for_an_image_no_longer_planned_is_dropped(registry, sample_copy):
    path = sample_copy("uv-fastapi")
    write(path, pin_digests=True)
    dockerfile = generate(path, python="3.11")["Dockerfile"]
    assert "FROM python:3.11-slim-bookworm AS runner\n" in dockerfile  # not pinned: not resolved yet
    assert f"FROM ghcr.io/astral-sh/uv:0.13.8@{FAKE['ghcr.io/astral-sh/uv:0.13.8']} AS uv\n" in dockerfile


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


# --- the bots' edits, made as each bot makes them -------------------------------------------------

NEW_DIGEST = "sha256:" + "9" * 64
FAKE_DIGEST = "sha256:" + "8" * 64


def dependabot_bump(text: str, image: str, old_tag: str, new_tag: str) -> str:
    """Dependabot's docker file updater: every `FROM [--platform=...] image:old_tag` line (followed by
    a space or the end of the line) gets `:new_tag` for `:old_tag`."""
    declaration = re.compile(
        rf"^FROM(\s+--platform=\S+)?\s+(docker\.io/)?{re.escape(f'{image}:{old_tag}')}(?=\s|$)", re.M
    )
    return declaration.sub(lambda match: match[0].replace(f":{old_tag}", f":{new_tag}"), text)


def renovate_pin_digest(text: str, image: str, tag: str, digest: str) -> str:
    """Renovate's pinDigests: the FROM line's reference `image:tag` replaced by `image:tag@digest`
    (its template `{{depName}}:{{newValue}}@{{newDigest}}` over the reference it extracted)."""
    line = re.compile(rf"^(FROM\s+){re.escape(f'{image}:{tag}')}(\s|$)", re.M)
    return line.sub(lambda match: f"{match[1]}{image}:{tag}@{digest}{match[2]}", text)


def state(path) -> str:
    return next(s.state for s in status(path) if s.name == "Dockerfile")


def test_a_bots_patch_bump_and_digest_are_kept_by_generate_and_check(sample_copy):
    path = sample_copy("uv-fastapi")
    write(path)
    dockerfile = path / "Dockerfile"
    text = dependabot_bump(dockerfile.read_text(), "ghcr.io/astral-sh/uv", "0.13.8", "0.13.9")
    text = dependabot_bump(text, "python", "3.13-slim-trixie", "3.13.5-slim-trixie")  # a team's patch pin
    text = renovate_pin_digest(text, "python", "3.13.5-slim-trixie", NEW_DIGEST)
    assert text.count(f"python:3.13.5-slim-trixie@{NEW_DIGEST} AS") == 2  # base and runner
    dockerfile.write_text(text)
    assert state(path) == "current"
    assert CliRunner().invoke(main, ["check", str(path)]).exit_code == 0
    assert write(path)["Dockerfile"] == "unchanged"
    assert generate(path)["Dockerfile"] == text
    # ...and kept when the project changes and the file is written again
    (path / "pyproject.toml").write_text((path / "pyproject.toml").read_text() + "\n")
    assert write(path)["Dockerfile"] == "updated"
    assert "FROM ghcr.io/astral-sh/uv:0.13.9 AS uv\n" in dockerfile.read_text()
    assert f"FROM python:3.13.5-slim-trixie@{NEW_DIGEST} AS runner\n" in dockerfile.read_text()
    # a later bump of the bumped tag, as the bot's next pull request makes it
    dockerfile.write_text(dependabot_bump(dockerfile.read_text(), "ghcr.io/astral-sh/uv", "0.13.9", "0.13.10"))
    assert state(path) == "current"


def test_a_digest_a_bot_moves_is_kept(sample_copy):
    path = sample_copy("pdm-flask")
    write(path)
    dockerfile = path / "Dockerfile"
    dockerfile.write_text(renovate_pin_digest(dockerfile.read_text(), "python", "3.13-slim-trixie", FAKE_DIGEST))
    assert state(path) == "current"
    moved = dockerfile.read_text().replace(FAKE_DIGEST, NEW_DIGEST)
    dockerfile.write_text(moved)
    assert state(path) == "current" and generate(path)["Dockerfile"] == moved


@pytest.mark.parametrize(
    ("image", "old", "new"),
    [
        ("python", "3.13-slim-trixie", "3.14-slim-trixie"),  # another minor: what .python-version decides
        ("python", "3.13-slim-trixie", "3.13.5-slim-bookworm"),  # another variant
        ("python", "3.13-slim-trixie", "3.13.5"),  # the full image instead of the slim one
        ("ghcr.io/astral-sh/uv", "0.13.8", "0.14.0"),
    ],
)
def test_another_minor_or_variant_is_an_edit(sample_copy, image, old, new):
    path = sample_copy("uv-fastapi")
    write(path)
    dockerfile = path / "Dockerfile"
    dockerfile.write_text(dependabot_bump(dockerfile.read_text(), image, old, new))
    assert state(path) == "edited"
    assert CliRunner().invoke(main, ["check", str(path)]).exit_code == 1
    with pytest.raises(RefusedError):
        write(path)


def test_another_image_is_an_edit(sample_copy):
    path = sample_copy("uv-fastapi")
    write(path)
    dockerfile = path / "Dockerfile"
    dockerfile.write_text(
        dockerfile.read_text().replace("FROM python:3.13-slim-trixie AS runner", "FROM pypy:3.11-slim AS runner")
    )
    assert state(path) == "edited"


def test_a_tag_older_than_the_planned_one_is_replaced(sample_copy):
    path = sample_copy("uv-fastapi")
    write(path)
    dockerfile = path / "Dockerfile"
    dockerfile.write_text(dependabot_bump(dockerfile.read_text(), "ghcr.io/astral-sh/uv", "0.13.8", "0.13.7"))
    assert state(path) == "stale"  # dockergen's still (same minor), but it plans 0.13.8: check fails
    assert write(path)["Dockerfile"] == "updated"
    assert "FROM ghcr.io/astral-sh/uv:0.13.8 AS uv\n" in dockerfile.read_text()


def test_pins_written_by_the_earlier_build_argument_form_are_kept(sample_copy):
    path = sample_copy("uv-fastapi")
    (path / "Dockerfile").write_text(f"ARG PYTHON_IMAGE=python:3.13-slim-trixie@{FAKE_DIGEST}\n")
    assert f"FROM python:3.13-slim-trixie@{FAKE_DIGEST} AS runner\n" in generate(path)["Dockerfile"]


@pytest.mark.parametrize(
    ("planned", "found", "bump"),
    [
        ("python:3.13-slim-trixie", "python:3.13-slim-trixie", True),
        ("python:3.13-slim-trixie", f"python:3.13-slim-trixie@{FAKE_DIGEST}", True),
        ("python:3.13-slim-trixie", "python:3.13.0-slim-trixie", True),
        ("python:3.13-slim-trixie", "python:3.13.12-slim-trixie", True),
        ("python:3.13-slim-trixie", "python:3.14-slim-trixie", False),
        ("python:3.13-slim-trixie", "python:3.13.1-slim-bookworm", False),
        ("python:3.13-slim-trixie", "registry.example/python:3.13.1-slim-trixie", False),
        ("ghcr.io/astral-sh/uv:0.13.8", "ghcr.io/astral-sh/uv:0.13.10", True),
        ("ghcr.io/astral-sh/uv:0.13.8", "ghcr.io/astral-sh/uv:0.13.7", False),
        ("ghcr.io/astral-sh/uv:0.13.8", "ghcr.io/astral-sh/uv:latest", False),
        ("nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04", "nvidia/cuda:12.8.2-cudnn-runtime-ubuntu24.04", True),
        ("nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04", "nvidia/cuda:12.9.0-cudnn-runtime-ubuntu24.04", False),
    ],
)
def test_what_counts_as_a_bump(planned, found, bump):
    assert is_bump(planned, found) is bump


def test_a_reference_with_a_line_after_it_is_not_read(sample_copy):
    """Only whole FROM lines as dockergen writes them are read: nothing else on the line is carried."""
    path = sample_copy("uv-fastapi")
    write(path)
    dockerfile = path / "Dockerfile"
    text = dockerfile.read_text().replace(
        "FROM python:3.13-slim-trixie AS runner", "FROM python:3.13.5-slim-trixie AS runner\nRUN echo injected"
    )
    dockerfile.write_text(text)
    assert "injected" not in generate(path)["Dockerfile"]
