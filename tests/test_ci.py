"""The CI build (issue 15, part 2): `ci = "github"` writes a GitHub Actions workflow and a
docker-bake.hcl beside the Dockerfile, with the same header, ownership and `check` as the
Dockerfile; every workflow is linted with actionlint (tests/linters.py). tests/e2e/test_bake.py
runs `docker buildx bake` on the bake files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import dockergen
from dockergen.api import ownership
from dockergen.ci import BAKE, WORKFLOW
from dockergen.cli import main

from . import linters
from .conftest import SAMPLES
from .test_golden import check_golden


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def settings(path: Path, text: str) -> None:
    with open(path / "pyproject.toml", "a") as handle:
        handle.write(f"\n[tool.dockergen]\n{text}\n")


def matrix(workflow: str) -> list[dict[str, str]]:
    """The image job's matrix entries, as the template writes them (one key a line)."""
    entries: list[dict[str, str]] = []
    for key, value in re.findall(r'^ {10}(?:- )? {0,2}(target|dockerfile|suffix|platforms): "(.*)"$', workflow, re.M):
        if key == "target":
            entries.append({})
        entries[-1][key] = value
    return entries


@pytest.fixture
def fastapi(sample_copy) -> Path:
    path = sample_copy("uv-fastapi")
    settings(path, 'ci = "github"')
    return path


def test_init_writes_the_workflow_and_bake_file_and_check_keeps_them(fastapi):
    result = cli("init", str(fastapi))
    assert result.exit_code == 0, result.output
    assert f"{WORKFLOW}: created" in result.stderr and f"{BAKE}: created" in result.stderr
    workflow = (fastapi / WORKFLOW).read_text()
    assert ownership(workflow) == "ours" and ownership((fastapi / BAKE).read_text()) == "ours"
    assert matrix(workflow) == [
        {"target": "image", "dockerfile": "Dockerfile", "suffix": "", "platforms": "linux/amd64,linux/arm64"}
    ]
    for needed in (
        "uses: docker/setup-buildx-action@v3",
        "uses: docker/build-push-action@v6",
        "cache-from: type=registry,ref=${{ steps.image.outputs.name }}:buildcache${{ matrix.suffix }}",
        "format('type=registry,ref={0}:buildcache{1},mode=max'",
        "sbom: true",
        "provenance: mode=max",
        "type=semver,pattern={{version}}",
        'run: pipx run --spec "dockergen-py==0.1.0" dockergen check',
        'echo "name=ghcr.io/${GITHUB_REPOSITORY_OWNER,,}/uv-fastapi"',
    ):
        assert needed in workflow, needed
    assert cli("check", str(fastapi)).exit_code == 0
    assert linters.actionlint([fastapi / WORKFLOW]) == []
    ignored = (fastapi / ".dockerignore").read_text().splitlines()
    assert WORKFLOW in ignored and BAKE in ignored  # a workflow edit does not invalidate the code layers


def test_a_stale_edited_or_teams_workflow_is_reported_as_a_dockerfile_is(fastapi):
    assert cli("init", str(fastapi)).exit_code == 0
    settings_text = (fastapi / "pyproject.toml").read_text().replace('ci = "github"', 'ci = "github"\nport = 9000')
    (fastapi / "pyproject.toml").write_text(settings_text)
    states = {s.name: s.state for s in dockergen.status(fastapi)}
    assert states[WORKFLOW] == "stale" and states[BAKE] == "stale"  # the inputs changed
    assert cli("generate", str(fastapi)).exit_code == 0
    workflow = fastapi / WORKFLOW
    workflow.write_text(workflow.read_text().replace("fail-fast: false", "fail-fast: true"))
    result = cli("check", str(fastapi))
    assert result.exit_code == 1 and f"{WORKFLOW} is edited by hand" in result.stderr
    assert cli("generate", str(fastapi)).exit_code == 1  # refused, as for a Dockerfile
    ours = workflow.read_text()
    workflow.write_text(ours.split("\n\n", 1)[1])  # the header deleted: the team's now
    assert {s.name: s.state for s in dockergen.status(fastapi)}[WORKFLOW] == "owned"
    assert cli("generate", str(fastapi)).exit_code == 0 and workflow.read_text() == ours.split("\n\n", 1)[1]


def test_a_gpu_project_builds_each_variant_as_its_own_image(sample_copy):
    path = sample_copy("uv-torch")
    settings(path, 'ci = "github"\nvariants = ["gpu", "cpu"]')
    files = dockergen.generate(path)
    assert {"Dockerfile", "Dockerfile.cpu", WORKFLOW, BAKE} <= set(files)
    assert matrix(files[WORKFLOW]) == [
        {"target": "gpu", "dockerfile": "Dockerfile", "suffix": "", "platforms": "linux/amd64"},
        {"target": "cpu", "dockerfile": "Dockerfile.cpu", "suffix": "-cpu", "platforms": "linux/amd64,linux/arm64"},
    ]
    bake = files[BAKE]
    assert 'targets = ["gpu", "cpu"]' in bake and 'target "cpu" {' in bake and 'dockerfile = "Dockerfile.cpu"' in bake
    assert '":buildcache-cpu,mode=max"' not in bake and ":buildcache-cpu,mode=max" in bake
    assert cli("init", str(path)).exit_code == 0
    assert linters.actionlint([path / WORKFLOW]) == []


def test_a_private_index_passes_the_netrc_secret(make_project):
    path = make_project(
        {
            "requirements.txt": "--index-url https://pkgs.example.com/simple\nrequests==2.32.3\n",
            "main.py": "print('hi')\n",
            ".python-version": "3.13",
            "pyproject.toml": '[tool.dockergen]\nci = "github"\n',
        }
    )
    files = dockergen.generate(path)
    assert "NETRC: ${{ secrets.NETRC }}" in files[WORKFLOW]
    assert 'secret-files: "netrc=${{ runner.temp }}/netrc"' in files[WORKFLOW]
    assert 'secret     = ["id=netrc,src=${HOME}/.netrc"]' in files[BAKE]
    dockergen.write(path)
    assert linters.actionlint([path / WORKFLOW]) == []  # its run: script passes shellcheck too, when installed


def test_bake_only_writes_no_workflow(sample_copy):
    path = sample_copy("uv-fastapi")
    assert cli("init", "--ci", "bake", str(path)).exit_code == 0
    assert (path / BAKE).is_file() and not (path / ".github").exists()


def test_a_ci_flag_says_how_to_keep_the_files(sample_copy):
    path = sample_copy("uv-fastapi")
    result = cli("init", "--ci", "github", str(path))
    assert 'add to pyproject.toml:\n[tool.dockergen]\nci = "github"' in result.stderr


@pytest.mark.parametrize(("name", "image"), [("My_App.Server", "my-app-server"), ("x--y", "x-y")])
def test_the_image_is_named_after_the_project(make_project, name, image):
    path = make_project(
        {
            "pyproject.toml": f'[project]\nname = "{name}"\nversion = "1"\n[tool.dockergen]\nci = "github"\n',
            "main.py": "",
        }
    )
    files = dockergen.generate(path, entrypoint="python main.py")
    assert f'/{image}" >>' in files[WORKFLOW] and f'default = "{image}"' in files[BAKE]


def test_an_unknown_ci_is_refused_naming_the_setting(sample_copy):
    path = sample_copy("uv-fastapi")
    settings(path, 'ci = "gitlab"')
    result = cli("generate", "--stdout", str(path))
    assert result.exit_code == 2 and "[tool.dockergen] ci = 'gitlab': one of github, bake" in result.output
    assert "'gitlab' is not one of 'github', 'bake'" in cli("init", "--ci", "gitlab", str(path)).output


def test_actionlint_finds_what_it_should(tmp_path):
    """The linter is not a no-op: an input build-push-action does not have and a matrix key the
    matrix does not define are findings."""
    text = dockergen.generate(SAMPLES / "uv-fastapi", ci="github")[WORKFLOW]
    broken = text.replace("sbom: true", "sbom: true\n          bogus: true").replace(
        "matrix.suffix }},", "matrix.sufix }},"
    )
    (tmp_path / "docker.yml").write_text(broken)
    findings = linters.actionlint([tmp_path / "docker.yml"])
    assert len(findings) == 2 and any('input "bogus"' in f for f in findings)


@pytest.mark.parametrize(
    ("sample", "options"),
    [("uv-fastapi", {"ci": "github"}), ("uv-torch", {"ci": "github", "variants": ["gpu", "cpu"]})],
    ids=["uv-fastapi", "uv-torch"],
)
def test_ci_files_match_golden(sample, options):
    """The CI files under review as the Dockerfiles are (DOCKERGEN_UPDATE_GOLDEN=1 rewrites them)."""
    files = dockergen.generate(SAMPLES / sample, **options)
    check_golden(sample, "github-workflow.yml", files[WORKFLOW])
    check_golden(sample, "docker-bake.hcl", files[BAKE])
