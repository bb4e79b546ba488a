"""Where the files go and whose they are (issue 14, items 3 and 4).

Outputs: the `output` setting puts the Dockerfile below the root (the build context stays the
root), and `variants` writes a GPU project's CPU and GPU Dockerfiles side by side; `check` checks
each. Ownership: a file without dockergen's header, or one the `manage` setting leaves out, is the
team's: `init`/`generate` leave it as it is, `check` reports it as owned and passes, `check
--strict` fails. A file that still carries dockergen's header and was edited stays an error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import dockergen
from dockergen.api import HAND_EDIT, OLD_HAND_EDIT, is_unedited_output, ownership, split_header, status
from dockergen.cli import main
from dockergen.facts import InspectError

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


# --- output --------------------------------------------------------------------------------------


def test_the_output_setting_writes_the_dockerfile_below_the_root_and_check_checks_it(sample_copy):
    path = sample_copy("uv-fastapi")
    settings(path, 'output = "docker/Dockerfile"')
    result = cli("init", str(path))
    assert result.exit_code == 0, result.output
    assert "docker/Dockerfile: created" in result.output and ".dockerignore: created" in result.output
    # The build context stays the project: the Dockerfile is named with -f.
    assert f"Next: docker build -f {path}/docker/Dockerfile -t uv-fastapi {path}" in result.output
    assert not (path / "Dockerfile").exists() and not (path / "docker" / ".dockerignore").exists()
    # dockergen's .dockerignore stays at the context's root, and leaves the Dockerfile out of it.
    assert "\nDockerfile\n.dockerignore\ndocker/Dockerfile\n" in (path / ".dockerignore").read_text()
    assert body((path / "docker" / "Dockerfile").read_text()) == body(
        (GOLDEN / "uv-fastapi" / "Dockerfile").read_text()
    )
    check = cli("check", str(path))
    assert check.exit_code == 0 and "docker/Dockerfile and .dockerignore are current" in check.output
    lock = path / "uv.lock"
    lock.write_text(lock.read_text().replace('version = "0.1.0"', 'version = "0.1.1"', 1))
    stale = cli("check", str(path))
    assert stale.exit_code == 1 and "dockergen: docker/Dockerfile is stale" in stale.output


def test_the_output_flag_and_the_build_command_from_the_project(sample_copy, monkeypatch):
    path = sample_copy("pdm-flask")
    monkeypatch.chdir(path)
    result = cli("init", "--output", "deploy/app.Dockerfile")
    assert result.exit_code == 0, result.output
    assert "Next: docker build -f deploy/app.Dockerfile -t pdm-flask ." in result.output
    assert is_unedited_output((path / "deploy" / "app.Dockerfile").read_text())
    assert cli("check", "--output", "deploy/app.Dockerfile").exit_code == 0
    assert "is missing" in cli("check").output, "a flag is not remembered: the setting is"


@pytest.mark.parametrize(
    "value",
    [
        "../Dockerfile",
        "/etc/Dockerfile",
        "docker/../Dockerfile",
        "./Dockerfile",
        "docker//Dockerfile",
        "docker/",
        "",
        "Dockerfile\nRUN id",
        "a b",
        "$(id)",
        "*",
        "docker\\Dockerfile",
        "a/b/c/d/e/f/g/h/Dockerfile",
        ".dockerignore",
        "docker/Dockerfile.dockerignore",
        "Dockerfile.bak",
        "Dockerfile.bak.2",
        7,
    ],
)
def test_an_output_that_is_no_plain_path_inside_the_project_is_refused(sample_copy, value):
    path = sample_copy("requirements-plain")
    settings(path, f"output = {json.dumps(value)}")  # a TOML basic string is written as JSON's is
    before = sorted(os.listdir(path))
    with pytest.raises(InspectError, match=r"^pyproject\.toml: \[tool\.dockergen\] output = "):
        dockergen.write(path, force=True)
    assert sorted(os.listdir(path)) == before
    if isinstance(value, str) and value:  # the flag's value is checked as the setting's, and named as a flag
        result = cli("generate", "--output", str(value), str(path))
        assert result.exit_code == 2 and result.output.startswith("dockergen: error: --output: ")
        assert "pyproject.toml" not in result.output


@pytest.mark.parametrize("value", ["requirements.txt", "pyproject.toml", ".python-version", "sub/pyproject.toml"])
def test_an_output_that_names_a_file_dockergen_reads_is_refused(sample_copy, value):
    path = sample_copy("requirements-plain")
    result = cli("init", "--force", "--output", value, str(path))
    assert result.exit_code == 2
    assert result.output.strip().endswith(f"{value} is a file dockergen reads")


def test_moving_the_output_removes_dockergens_old_dockerfile_and_nothing_of_a_persons(sample_copy):
    path = sample_copy("requirements-plain")
    assert cli("init", str(path)).exit_code == 0
    settings(path, 'output = "docker/Dockerfile"')
    check = cli("check", str(path))
    assert check.exit_code == 1
    assert (
        "dockergen: Dockerfile is stale: the Dockerfile is written at docker/Dockerfile now ([tool.dockergen] "
        "output); `dockergen generate` removes it"
    ) in check.output
    result = cli("generate", str(path))
    assert result.exit_code == 0, result.output
    assert "Dockerfile: removed: the Dockerfile is written at docker/Dockerfile now" in result.output
    assert not (path / "Dockerfile").exists() and (path / "docker" / "Dockerfile").is_file()
    assert cli("check", str(path)).exit_code == 0
    # A Dockerfile of a person's at the old place is theirs: neither removed nor reported.
    (path / "Dockerfile").write_text("FROM python:3.13-slim\n")
    assert cli("generate", str(path)).exit_code == 0 and (path / "Dockerfile").read_text() == "FROM python:3.13-slim\n"
    assert states(path) == {"docker/Dockerfile": "current", ".dockerignore": "current"}


def test_pins_are_kept_from_each_dockerfile_where_it_is(sample_copy, monkeypatch):
    """--pin-digests, then check offline: the pins are read back from docker/Dockerfile and from
    docker/Dockerfile.cpu, not from a Dockerfile at the root."""
    digest = "sha256:" + "5" * 64
    monkeypatch.setattr("dockergen.digests.resolve", lambda image: digest)
    path = sample_copy("uv-torch")
    settings(path, 'output = "docker/Dockerfile"\nvariants = ["gpu", "cpu"]')
    dockergen.write(path, pin_digests=True)
    for name in ("Dockerfile", "Dockerfile.cpu"):
        assert f"FROM python:3.13-slim-trixie@{digest} AS runner" in (path / "docker" / name).read_text()
    monkeypatch.undo()
    assert cli("check", str(path)).exit_code == 0
    assert set(dockergen.write(path).values()) == {"unchanged"}


def test_a_persons_dockerignore_is_amended_beside_a_dockerfile_below_the_root(sample_copy):
    """BuildKit reads docker/Dockerfile.dockerignore in place of .dockerignore for `-f docker/Dockerfile`."""
    path = sample_copy("uv-fastapi")
    settings(path, 'output = "docker/Dockerfile"')
    (path / ".dockerignore").write_text("*.lock\n")
    result = cli("init", str(path))
    assert result.exit_code == 0, result.output
    assert "docker/Dockerfile.dockerignore applies it with these fixed, for docker/Dockerfile" in result.output
    assert (path / "docker" / "Dockerfile.dockerignore").read_text().endswith("\n!uv.lock\n.git\n.venv\n.env\n")
    assert not (path / "Dockerfile.dockerignore").exists()
    assert states(path) == {
        ".dockerignore": "owned",
        "docker/Dockerfile": "current",
        "docker/Dockerfile.dockerignore": "current",
    }


def test_a_failed_write_leaves_no_directory_it_made(sample_copy, monkeypatch):
    path = sample_copy("pipenv-app")
    before = sorted(os.listdir(path))

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("dockergen.api.tempfile.mkstemp", denied)
    result = cli("init", "--output", "deploy/docker/Dockerfile", str(path))
    assert result.exit_code == 2
    assert "dockergen: error: deploy/docker/Dockerfile: cannot write: Permission denied" in result.output
    assert sorted(os.listdir(path)) == before


@pytest.mark.parametrize("where", ["outside", "inside"])
def test_an_output_directory_that_is_a_link_is_never_written_through(sample_copy, tmp_path_factory, where):
    path = sample_copy("pdm-flask")
    target = tmp_path_factory.mktemp("outside") if where == "outside" else path / "deploy"
    target.mkdir(exist_ok=True)
    (path / "docker").symlink_to(target)
    result = cli("init", "--output", "docker/Dockerfile", str(path))
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines()[-1] == (
        "dockergen: error: docker: is a symbolic link: dockergen writes no file through a link "
        "(remove it, or use --stdout)"
    )
    assert os.listdir(target) == [] and not (path / ".dockerignore").exists()


def test_an_output_directory_that_is_a_file_is_one_line(sample_copy):
    path = sample_copy("pdm-flask")
    (path / "docker").write_text("not a directory\n")
    result = cli("init", "--output", "docker/Dockerfile", str(path))
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == "dockergen: error: docker: exists and is not a directory"


# --- variants ------------------------------------------------------------------------------------


def test_variants_write_the_gpu_and_cpu_dockerfiles_side_by_side_and_check_checks_each(sample_copy):
    path = sample_copy("uv-torch")
    settings(path, 'variants = ["gpu", "cpu"]')
    result = cli("init", str(path))
    assert result.exit_code == 0, result.output
    assert "Dockerfile: created" in result.output and "Dockerfile.cpu: created" in result.output
    assert "Next: docker build -t torch-app " in result.output
    assert f"docker build -f {path}/Dockerfile.cpu -t torch-app:cpu {path}  (the cpu variant)" in result.output
    # Each is what `variant` gives alone: the golden files of the sample.
    assert body((path / "Dockerfile").read_text()) == body((GOLDEN / "uv-torch" / "Dockerfile").read_text())
    assert body((path / "Dockerfile.cpu").read_text()) == body((GOLDEN / "uv-torch" / "Dockerfile.cpu").read_text())
    assert "\n.dockerignore\nDockerfile.cpu\n" in (path / ".dockerignore").read_text()
    check = cli("check", str(path))
    assert check.exit_code == 0 and "Dockerfile, Dockerfile.cpu and .dockerignore are current" in check.output
    cpu = path / "Dockerfile.cpu"
    cpu.write_text(cpu.read_text().replace("USER 10001:10001", "USER root"))
    edited = cli("check", str(path))
    assert edited.exit_code == 1 and "dockergen: Dockerfile.cpu is edited by hand" in edited.output
    assert "dockergen: Dockerfile is" not in edited.output


def test_the_first_variant_is_written_at_output_and_the_others_beside_it(sample_copy):
    path = sample_copy("uv-torch")
    settings(path, 'variants = ["cpu", "gpu"]\noutput = "docker/Dockerfile"')
    files = dockergen.generate(path)
    assert list(files) == ["docker/Dockerfile", "docker/Dockerfile.gpu", ".dockerignore"]
    assert body(files["docker/Dockerfile"]) == body((GOLDEN / "uv-torch" / "Dockerfile.cpu").read_text())
    assert body(files["docker/Dockerfile.gpu"]) == body((GOLDEN / "uv-torch" / "Dockerfile").read_text())
    # --stdout prints the first; a flag's variant or variants replaces the setting's list.
    assert cli("generate", "--stdout", str(path)).output == files["docker/Dockerfile"]
    one = cli("generate", "--stdout", "--variant", "gpu", str(path)).output
    assert body(one) == body(files["docker/Dockerfile.gpu"])
    assert body(cli("generate", "--stdout", "--variants", "gpu", str(path)).output) == body(one)


def test_a_variant_no_longer_written_is_removed_when_it_is_dockergens(sample_copy):
    path = sample_copy("uv-torch")
    settings(path, 'variants = ["gpu", "cpu"]')
    assert cli("init", str(path)).exit_code == 0
    pyproject = path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('variants = ["gpu", "cpu"]', 'variants = ["gpu"]'))
    check = cli("check", str(path))
    assert (
        check.exit_code == 1
        and "dockergen: Dockerfile.cpu is stale: no Dockerfile dockergen writes now" in check.output
    )
    result = cli("generate", str(path))
    assert "Dockerfile.cpu: removed: no Dockerfile dockergen writes now ([tool.dockergen] variants)" in result.output
    assert not (path / "Dockerfile.cpu").exists() and cli("check", str(path)).exit_code == 0


def test_a_persons_dockerignore_is_amended_for_each_variant(sample_copy):
    path = sample_copy("uv-torch")
    settings(path, 'variants = ["gpu", "cpu"]')
    (path / ".dockerignore").write_text("*.lock\n")
    result = cli("init", str(path))
    assert result.exit_code == 0, result.output
    for name in ("Dockerfile", "Dockerfile.cpu"):
        assert f"{name}.dockerignore applies it with these fixed, for {name}\n" in result.output
        assert (path / f"{name}.dockerignore").read_text().endswith("\n!uv.lock\n.git\n.venv\n.env\n")
    assert cli("check", str(path)).exit_code == 0


def test_variants_of_a_project_without_gpu_packages_are_refused(sample_copy):
    with pytest.raises(InspectError, match="installs no GPU packages, so its variants' Dockerfiles would be the same"):
        dockergen.generate(sample_copy("uv-fastapi"), variants=["gpu", "cpu"])


@pytest.mark.parametrize("value", [[], ["gpu", "gpu"], ["tpu"], "gpu", ["gpu", "cpu", "gpu"], [1]])
def test_variants_are_a_list_of_distinct_variants(sample_copy, value):
    path = sample_copy("uv-torch")
    settings(path, f"variants = {value!r}".replace("'", '"'))
    with pytest.raises(InspectError, match=r"\[tool\.dockergen\] variants"):
        dockergen.generate(path)


def test_variant_and_variants_in_one_place_are_refused(sample_copy):
    path = sample_copy("uv-torch")
    settings(path, 'variant = "cpu"\nvariants = ["gpu", "cpu"]')
    result = cli("check", str(path))
    assert result.exit_code == 2
    assert "[tool.dockergen] variant and variants: set one" in result.output


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


def test_the_manage_and_variants_flags(sample_copy):
    path = sample_copy("uv-torch")
    result = cli("init", "--manage", "Dockerfile", "--variants", "gpu,cpu", str(path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in path.iterdir() if p.name.startswith(("Dockerfile", ".docker"))) == [
        "Dockerfile",
        "Dockerfile.cpu",
    ]
    assert cli("check", "--manage", "Dockerfile", "--variants", "gpu,cpu", str(path)).exit_code == 0
