"""The command line as any Python CLI (issue 15, part 4): -h, -q/-v, colour for a terminal only,
`check --json`, a quiet exit when the reader goes away, errors that name the flag, flags a command
has no use for refused, and `--online` asking the index the installers would ask.

The colour and broken-pipe tests run the installed `dockergen` in a real pseudo-terminal or pipe,
as a person's shell or `| head` would.
"""

from __future__ import annotations

import http.server
import json
import os
import pty
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

import dockergen
from dockergen import api
from dockergen.cli import main
from dockergen.pypi import INDEX_VARIABLES

from .conftest import ROOT, SAMPLES

DOCKERGEN = Path(sys.executable).parent / "dockergen"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def cli(*args: str, **env: str):
    return CliRunner().invoke(main, list(args), env=env or None)


@pytest.fixture
def project(sample_copy) -> Path:
    return sample_copy("uv-fastapi")


def test_h_is_help_for_the_group_and_every_command():
    assert cli("-h").exit_code == 0 and "Commands:" in cli("-h").output
    for command in ("inspect", "init", "generate", "check"):
        result = cli(command, "-h")
        assert result.exit_code == 0 and f" {command} [OPTIONS] [PATH]" in result.output


def test_manager_lists_its_choices_in_help_and_error(project):
    assert "[uv|poetry|pdm|pipenv|pylock|pip-tools|hatch|requirements|setuptools]" in cli("inspect", "-h").output
    result = cli("inspect", "--manager", "conda", str(project))
    assert result.exit_code == 2 and "'conda' is not one of 'uv', 'poetry'" in result.output


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--python", "3.x"], "--python: '3.x' is not a valid Python version like '3.13'"),
        (["--port", "0"], "--port: 0 must be an integer 1-65535"),
        (["--group", "a b"], "--group: 'a b' is not a valid dependency group name"),
        (["--env", "API_TOKEN=x"], "--env: API_TOKEN looks like a secret"),
        (["--output", "../Dockerfile"], "--output: '../Dockerfile' is not a relative path inside the project"),
    ],
)
def test_a_flags_error_names_the_flag_not_pyproject(project, flags, message):
    result = cli("generate", "--stdout", *flags, str(project))
    assert result.exit_code == 2
    assert result.output.startswith(f"dockergen: error: {message}") and "pyproject.toml" not in result.output


def test_a_settings_error_still_names_pyproject(project):
    with open(project / "pyproject.toml", "a") as handle:
        handle.write('\n[tool.dockergen]\npython = "3.x"\n')
    result = cli("generate", "--stdout", str(project))
    assert result.output.startswith("dockergen: error: pyproject.toml: [tool.dockergen] python = '3.x'")


@pytest.mark.parametrize(
    ("command", "flag"), [("inspect", "--pin-digests"), ("check", "--online")], ids=["inspect", "check"]
)
def test_a_flag_that_means_nothing_for_the_command_is_refused(project, command, flag):
    result = cli(command, flag, str(project))
    assert result.exit_code == 2 and f"{flag} means nothing for `dockergen {command}`" in result.output


def test_quiet_keeps_only_what_fails(project):
    init = cli("init", "-q", str(project))
    assert init.exit_code == 0 and init.stderr == ""
    said = cli("init", str(project)).stderr.splitlines()
    assert said[0].startswith("project      uv-fastapi") and said[1].startswith("manager      uv:")
    assert cli("-q", "check", str(project)).stderr == ""  # the group's flag too
    assert "current" in cli("check", str(project)).stderr
    (project / "Dockerfile").write_text((project / "Dockerfile").read_text() + "# mine\n")
    failed = cli("check", "-q", str(project))
    assert failed.exit_code == 1 and "-# mine" in failed.stdout and "Dockerfile is edited by hand" in failed.stderr
    assert cli("check", "-q", "-v", str(project)).exit_code == 2  # one or the other


def test_check_json_gives_each_files_status_and_the_lock(project):
    missing = cli("check", "--json", str(project))
    data = json.loads(missing.stdout)
    assert missing.exit_code == 1 and data["version"] == 1 and data["ok"] is False
    assert data["lock"] == {
        "path": "uv.lock",
        "status": "current",
        "reason": "direct dependencies match pyproject.toml",
    }
    assert [(f["path"], f["status"]) for f in data["files"]] == [
        ("Dockerfile", "missing"),
        (".dockerignore", "missing"),
    ]
    assert set(data["files"][0]) == {"path", "status", "reason", "diff", "warnings"}
    assert cli("init", str(project)).exit_code == 0
    current = cli("check", "--json", str(project))
    assert current.exit_code == 0 and json.loads(current.stdout)["ok"] is True
    assert {f["status"] for f in json.loads(current.stdout)["files"]} == {"current"}
    (project / ".dockerignore").write_text("*\n")  # the team's now, and it hides what the build reads
    (project / "Dockerfile").write_text((project / "Dockerfile").read_text() + "# mine\n")
    data = json.loads(cli("check", "--json", str(project)).stdout)
    edited, owned = data["files"][1], data["files"][0]
    assert edited["status"] == "edited" and "-# mine" in edited["diff"]
    assert owned["status"] == "owned" and owned["reason"] == "no dockergen header" and owned["warnings"]


def test_check_json_reports_a_stale_lock(project):
    text = (project / "pyproject.toml").read_text()
    (project / "pyproject.toml").write_text(text.replace("dependencies = [", 'dependencies = [\n    "rich>=13",', 1))
    data = json.loads(cli("check", "--json", str(project)).stdout)
    assert data["lock"]["status"] == "stale" and "rich" in data["lock"]["reason"] and data["ok"] is False


def run_in_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """What a person at a terminal sees: stdout and stderr both a pseudo-terminal."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(args, cwd=cwd, env=env, stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode()


@pytest.fixture
def edited(project) -> Path:
    assert cli("init", str(project)).exit_code == 0
    (project / "Dockerfile").write_text((project / "Dockerfile").read_text() + "# mine\n")
    (project / ".dockerignore").write_text("*\n")
    return project


def test_a_terminal_gets_colour_a_pipe_and_no_color_do_not(edited):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")} | {"TERM": "xterm"}
    seen = run_in_terminal([str(DOCKERGEN), "check"], edited, env)
    assert "\x1b[31m-# mine" in seen  # the diff's removed line, red
    assert "\x1b[33m\x1b[1mdockergen: warning:" in seen  # the team's .dockerignore's warnings, yellow
    assert "\x1b[31mdockergen: Dockerfile is edited" in seen
    plain = run_in_terminal([str(DOCKERGEN), "check"], edited, env | {"NO_COLOR": "1"})
    assert not ANSI.search(plain) and "-# mine" in plain
    piped = subprocess.run([str(DOCKERGEN), "check"], cwd=edited, env=env, capture_output=True, text=True)
    assert not ANSI.search(piped.stdout + piped.stderr) and "-# mine" in piped.stdout


def test_a_reader_that_goes_away_ends_it_quietly_as_sigpipe_would():
    process = subprocess.Popen(
        [str(DOCKERGEN), "inspect", "--json", str(SAMPLES / "uv-torch")], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # as `| head -c 0` does, before dockergen writes its first byte
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141 and stderr == ""


def test_the_api_exceptions_and_types_are_exported():
    assert dockergen.InspectError.__module__ == "dockergen.facts"
    assert issubclass(dockergen.RefusedError, Exception) and dockergen.FileStatus.__name__ == "FileStatus"
    assert (ROOT / "dockergen" / "py.typed").is_file()
    with pytest.raises(dockergen.InspectError, match="not a directory"):
        dockergen.inspect(ROOT / "README.md")


def test_the_pre_commit_hook_runs_for_nested_lock_files():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    (pattern,) = re.findall(r"^  files: (.+)$", text, re.MULTILINE)
    (readme,) = re.findall(r"^        files: (.+)$", (ROOT / "README.md").read_text(), re.MULTILINE)
    assert readme == pattern  # the README's local hook runs on the same files
    files = re.compile(pattern)
    nested = ("services/api/uv.lock", "requirements/prod.txt", "app/pyproject.toml", "Dockerfile.cpu")
    outputs = ("docker-bake.hcl", ".github/workflows/docker.yml", "compose.yaml", ".dockerignore")
    for path in ("uv.lock", *nested, *outputs):
        assert files.search(path), path
    # every file a sample's Dockerfile is generated from (a path package's directory is mounted
    # whole: its manifest is what changes with its dependencies), and those any project's may be
    for sample in sorted(SAMPLES.iterdir()):
        if sample.is_dir():
            for name in (*dockergen.inspect(sample).inputs, *api.EXTRA_INPUTS):
                assert (sample / name).is_dir() or files.search(name), f"{sample.name}: {name}"
    for path in ("src/app/main.py", "docs/uv.lock.md", "README.md"):
        assert not files.search(path), path


class SimpleIndex(http.server.BaseHTTPRequestHandler):
    """A PEP 503 index (HTML) that lists one wheel per project, and records what it was asked."""

    asked: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self) -> None:
        type(self).asked.append((self.path, self.headers.get("Authorization")))
        name = self.path.strip("/").split("/")[-1]
        body = f'<html><body><a href="/files/{name}-2.0-cp313-cp313-manylinux_2_17_x86_64.whl#sha256=00">x</a>'
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_index(monkeypatch, tmp_path) -> Iterator[str]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for variable in INDEX_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    SimpleIndex.asked = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SimpleIndex)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("variable", INDEX_VARIABLES)
def test_online_asks_the_index_the_installers_variables_name(make_project, local_index, monkeypatch, variable):
    monkeypatch.setenv(variable, f"http://alice:s3cret@{local_index.removeprefix('http://')}/simple")
    path = make_project({"requirements.txt": "psycopg2==2.0\n", "main.py": "", ".python-version": "3.13"})
    facts = dockergen.inspect(path, online=True)
    assert {p.name: p.files for p in facts.packages}["psycopg2"] == (
        "psycopg2-2.0-cp313-cp313-manylinux_2_17_x86_64.whl",
    )
    assert SimpleIndex.asked == [("/simple/psycopg2/", "Basic YWxpY2U6czNjcmV0")]  # alice:s3cret, not in the URL


def test_online_asks_the_projects_own_index(make_project, local_index):
    path = make_project(
        {
            "requirements.txt": f"--index-url {local_index}/private\nlxml==2.0\n",
            "main.py": "",
            ".python-version": "3.13",
        }
    )
    result = cli("inspect", "-v", "--online", str(path))
    assert result.exit_code == 0, result.output
    assert f"looking up 1 packages on {local_index}/private (--online)" in result.stderr
    assert f"dockergen: lxml: {local_index}/private" in result.stderr  # -v: each look-up
    assert SimpleIndex.asked == [("/private/lxml/", None)]
    assert "dockergen: lxml:" not in cli("inspect", "--online", str(path)).stderr  # cached, and not verbose


def test_verbose_shows_the_traceback_of_a_bug(project, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("dockergen.api.inspect", broken)
    monkeypatch.delenv("DOCKERGEN_DEBUG", raising=False)
    short = cli("inspect", str(project))
    assert short.exit_code == 3 and "Traceback" not in short.output and "RuntimeError: a bug" in short.output
    assert "Traceback (most recent call last)" in cli("inspect", "-v", str(project)).stderr


def test_shell_completion_as_the_readme_sets_it_up():
    env = {**os.environ, "_DOCKERGEN_COMPLETE": "bash_source"}
    script = subprocess.run([str(DOCKERGEN)], env=env, capture_output=True, text=True).stdout
    assert "complete -o nosort -F _dockergen_completion dockergen" in script
    asked = {
        **os.environ,
        "_DOCKERGEN_COMPLETE": "bash_complete",
        "COMP_WORDS": "dockergen check --man",
        "COMP_CWORD": "2",
    }
    options = subprocess.run([str(DOCKERGEN)], env=asked, capture_output=True, text=True).stdout.split()
    assert options == ["plain,--manager", "plain,--manage"]
    asked |= {"COMP_WORDS": "dockergen check --manager pi", "COMP_CWORD": "3"}
    choices = subprocess.run([str(DOCKERGEN)], env=asked, capture_output=True, text=True).stdout.split()
    assert choices == ["plain,pipenv", "plain,pip-tools"]
