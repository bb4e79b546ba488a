"""Hostile files, round two (issue 17).

Error lines: a name or value quoted into an error or summary line (a newline, terminal escapes)
   is escaped, in one place: every error is one printable line.
A. Every file dockergen reads or writes resolves inside the project, or is refused in one line
   naming it; no file is written through a link; nothing read from outside is printed.
   A write that fails (a full disk, a read-only directory) leaves nothing partial behind.
B. A byte outside dockergen's own output makes the file the person's: refused unless --force.
C. Deep nesting, Django settings that are no dotted path, non-ASCII digits and impossible ports
   end in one line and exit 2.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import dockergen
from dockergen.api import is_unedited_output
from dockergen.cli import main
from dockergen.facts import InspectError, printable
from dockergen.project import Project

CANARY = "CANARY-7f3a: not the project's"
LINK_OUT = "is a symbolic link that leads outside the project: not read"


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def last_line(result) -> str:
    return result.output.rstrip("\n").splitlines()[-1]


def assert_one_line_error(result, message: str) -> None:
    """Exit 2, the error is the output's last line, and it is the only error line."""
    assert result.exit_code == 2, result.output
    assert last_line(result) == f"dockergen: error: {message}", result.output
    assert result.output.count("dockergen: error:") == 1 and "Traceback" not in result.output


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory beside the project, never inside it."""
    return tmp_path_factory.mktemp("outside")


# --- Error lines: one printable line -------------------------------------------------------------

# Names and values quoted into an error line: one printable line, whatever they hold.
FORGED = "x\ndockergen: error: forged line"
ESCAPE = "x\x1b]0;pwned\x07\x1b[2J"


@pytest.mark.parametrize(
    ("files", "path_shown"),
    [
        ({f"{FORGED}.py": b"\xff", "requirements.txt": b"flask==3.1.0\n"}, f"{FORGED}.py"),  # a module scanned
        ({f"{ESCAPE}.txt": b"flask ==== 1\n", "requirements.txt": f"-r {ESCAPE}.txt\n".encode()}, f"{ESCAPE}.txt"),
        (
            {
                "pyproject.toml": b'[project]\nname = "x"\nlicense = {file = "L\\nRUN id"}\n[tool.poetry]\n',
                "poetry.lock": b'[metadata]\nlock-version = "2.1"\n',
                "L\nRUN id": b"MIT\n",
                "main.py": b"print(1)\n",
            },
            "L\nRUN id",
        ),
    ],
    ids=["newline-in-a-scanned-module", "escapes-in-an-include", "newline-in-a-license-file"],
)
def test_names_in_error_lines_are_escaped(make_project, files, path_shown):
    path = make_project(files)
    result = cli("generate", "--stdout", str(path))
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and "\x1b" not in result.output and "\x07" not in result.output
    assert result.output.startswith(f"dockergen: error: {printable(path_shown)}: ")


def test_printable_escapes_every_character_that_moves_the_cursor_or_breaks_a_line():
    for ch in ["\n", "\r", "\x1b", "\x07", "\x85", "\x9b", "\u2028", "\u2029", "\u202e", "\u200f", "\x0b", "\x1c"]:
        shown = printable(f"a{ch}b")
        assert shown.isprintable() and len(shown.splitlines()) == 1 and shown == "a" + ascii(ch)[1:-1] + "b"
    assert printable("é ü 中 plain 'quoted' \\ ") == "é ü 中 plain 'quoted' \\ "
    error = InspectError("a\nb", "c\x1b[2Jd")
    assert str(error) == "a\\nb: c\\x1b[2Jd" and error.path == "a\nb"


# --- A. links ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "name"),
    [
        ("requirements-plain", ".python-version"),
        ("requirements-plain", "runtime.txt"),
        ("requirements-plain", "requirements.txt"),
        ("requirements-plain", "Procfile"),
        ("requirements-plain", "other.txt"),  # an include: `-r other.txt`
        ("uv-fastapi", "pyproject.toml"),
        ("uv-fastapi", "uv.lock"),
        ("poetry-django", "poetry.lock"),
        ("poetry-django", "mysite/settings.py"),  # DJANGO_SETTINGS_MODULE's file
        ("poetry-django", "LICENSE"),  # license = {file = "LICENSE"}: an input, hashed into the header
        ("pipenv-app", "Pipfile.lock"),
        ("pdm-flask", "app.py"),
        ("setuppy-pkg", "setup.py"),
        ("pdm-flask", "Dockerfile"),  # read for its pins, and by check
        ("pdm-flask", ".dockerignore"),  # a person's is kept, and copied into Dockerfile.dockerignore
    ],
)
@pytest.mark.parametrize("command", [["inspect"], ["generate", "--stdout"], ["check"], ["init", "--force"]])
def test_a_file_linked_out_of_the_project_is_refused_and_never_printed(sample_copy, outside, sample, name, command):
    path = sample_copy(sample)
    if name == "other.txt":
        (path / "requirements.txt").write_text((path / "requirements.txt").read_text() + "-r other.txt\n")
    # What the link leads to would be printed if it were read: in an error about its first
    # line, in a diff, or copied into a file dockergen writes.
    secret = outside / "secret"
    secret.write_text(f"{CANARY} ==== 1\n[{CANARY}\n")
    (path / name).unlink(missing_ok=True)
    (path / name).symlink_to(secret)
    result = cli(*command, str(path))
    if command == ["inspect"] and name in ("Dockerfile", ".dockerignore", "LICENSE"):
        assert result.exit_code == 0, result.output  # inspect reads none of them
    else:
        assert_one_line_error(result, f"{name}: {LINK_OUT}")
    assert CANARY not in result.output
    assert not any(
        CANARY in p.read_text(errors="replace") for p in path.rglob("*") if p.is_file() and not p.is_symlink()
    )
    assert secret.read_text() == f"{CANARY} ==== 1\n[{CANARY}\n"


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="Linux /proc")
def test_a_dockerfile_linked_to_the_process_environment_is_not_printed_by_check(sample_copy):
    path = sample_copy("requirements-plain")
    (path / "Dockerfile").symlink_to("/proc/self/environ")
    result = subprocess.run(
        [sys.executable, "-c", "from dockergen.cli import main; main()", "check", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "DOCKERGEN_CANARY": CANARY},
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"dockergen: error: Dockerfile: {LINK_OUT}\n"
    assert CANARY not in result.stdout + result.stderr


def test_a_link_to_a_link_that_leads_out_and_a_linked_directory_are_refused(sample_copy, outside):
    path = sample_copy("requirements-plain")
    (outside / "reqs").mkdir()
    (outside / "reqs" / "base.txt").write_text(f"{CANARY} ==== 1\n")
    (path / "reqs").symlink_to(outside / "reqs")
    (path / "requirements.txt").write_text("-r reqs/base.txt\n")
    assert_one_line_error(cli("inspect", str(path)), f"reqs/base.txt: {LINK_OUT}")
    (path / "requirements.txt").write_text("flask==3.1.0\n")
    (path / "hop").symlink_to(outside / "reqs" / "base.txt")
    (path / ".python-version").unlink()
    (path / ".python-version").symlink_to("hop")
    assert_one_line_error(cli("inspect", str(path)), f".python-version: {LINK_OUT}")


def test_links_that_stay_inside_the_project_are_followed(sample_copy):
    path = sample_copy("requirements-plain")
    (path / "reqs").mkdir()
    (path / "requirements.txt").rename(path / "reqs" / "base.txt")
    (path / "requirements.txt").symlink_to("reqs/base.txt")
    assert cli("init", str(path)).exit_code == 0
    (path / "docker").mkdir()
    (path / "Dockerfile").rename(path / "docker" / "Dockerfile")
    (path / "Dockerfile").symlink_to("docker/Dockerfile")
    check = cli("check", str(path))
    assert check.exit_code == 0 and "Dockerfile and .dockerignore are current" in check.output
    assert "Dockerfile: unchanged" in cli("generate", str(path)).output


def test_files_found_by_scanning_that_lead_out_are_passed_over(sample_copy, outside):
    """A linked directory of scripts is not the project's: the build context holds only the link."""
    path = sample_copy("pipenv-app")
    (outside / "tools").mkdir()
    (outside / "tools" / "main.py").write_bytes(b"\xff not even UTF-8")
    (path / "tools").symlink_to(outside / "tools")
    result = cli("inspect", str(path))
    assert result.exit_code == 0, result.output
    assert "tools/main.py" not in result.output


@pytest.mark.parametrize("settings", ["..etc.passwd", ".etc.passwd", "mysite..settings", "mysite.settings."])
def test_a_django_settings_module_that_is_no_module_is_refused(sample_copy, settings):
    path = sample_copy("poetry-django")
    manage = path / "manage.py"
    manage.write_text(manage.read_text().replace("'mysite.settings'", repr(settings)))
    assert_one_line_error(
        cli("inspect", str(path)), f"manage.py: DJANGO_SETTINGS_MODULE {settings!r} is not a Python module path"
    )


def test_names_outside_the_project_are_no_files_of_it(tmp_path):
    project = Project(tmp_path / "proj")
    (tmp_path / "proj").mkdir()
    (tmp_path / "secret.py").write_text(CANARY)
    for name in ("../secret.py", "/etc/passwd", "a/../../secret.py", str(tmp_path / "secret.py")):
        assert not project.exists(name)
        with pytest.raises(InspectError, match="is outside the project: not read"):
            project.text(name)


@pytest.mark.parametrize("backup", ["Dockerfile.bak", ".dockerignore.bak"])
@pytest.mark.parametrize("target", ["existing", "absent"])
def test_a_backup_name_that_is_a_link_is_passed_over_not_written_through(sample_copy, outside, backup, target):
    path = sample_copy("pdm-flask")
    name = backup.removesuffix(".bak")
    mine = "# a person's file\n"
    (path / name).write_text(mine)
    victim = outside / "victim"
    if target == "existing":
        victim.write_text("precious\n")
    (path / backup).symlink_to(victim)
    result = cli("init", "--force", str(path))
    assert result.exit_code == 0, result.output
    assert f"{name}: replaced (old file kept as {backup}.1)" in result.output
    assert (path / f"{backup}.1").read_text() == mine
    assert os.readlink(path / backup) == str(victim), "the link is left as it was"
    assert victim.read_text() == "precious\n" if target == "existing" else not victim.exists()


@pytest.mark.parametrize("name", ["Dockerfile", ".dockerignore"])
def test_a_file_to_write_that_is_a_link_is_refused(sample_copy, name):
    """dockergen writes no file through a link, even one that stays inside: the link is the person's.
    (Without --force a file without dockergen's header is the team's, never written: only --force
    would replace it.)"""
    path = sample_copy("pdm-flask")
    (path / "docker").mkdir()
    (path / "docker" / name).write_text("# the person's real file\n")
    (path / name).symlink_to(f"docker/{name}")
    # Without --force the file has no dockergen header: it is the team's, left as it is.
    result = cli("generate", str(path))
    assert result.exit_code == 0 and f"{name}: owned (no dockergen header): left as it is" in result.output
    before = sorted(os.listdir(path))
    for command in (["init", "--force"], ["generate", "--force"]):
        result = cli(*command, str(path))
        assert result.exit_code == 2, result.output
        assert last_line(result).startswith(f"dockergen: error: {name}: is a symbolic link: dockergen writes no")
        assert (path / name).is_symlink() and (path / "docker" / name).read_text() == "# the person's real file\n"
        assert sorted(os.listdir(path)) == before, "nothing is written unless every file may be"


# --- A. a failed write leaves nothing behind -----------------------------------------------------
# A full disk and a read-only directory, simulated: the tests may run as root, where chmod does not
# stop a write. Only files under the project fail; everything else (pytest's own files) works.


def _in(path: Path, target) -> bool:
    name = target if not isinstance(target, int) else os.readlink(f"/proc/self/fd/{target}")
    return os.path.realpath(os.fsdecode(name)).startswith(os.path.realpath(path) + os.sep)


@pytest.fixture
def persons_dockerfile(sample_copy):
    path = sample_copy("pdm-flask")
    (path / "Dockerfile").write_text("FROM python:3.13-slim\nCOPY . .\n")
    return path


def _listing(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="Linux /proc")
@pytest.mark.parametrize("failing", ["backup", "new file", "both"])
def test_init_force_on_a_full_disk_leaves_nothing_behind(persons_dockerfile, monkeypatch, failing):
    path = persons_dockerfile
    before = _listing(path)
    real_write = os.write

    def write(fd, data):
        name = os.readlink(f"/proc/self/fd/{fd}")
        hit = (".bak" in name and failing != "new file") or (".tmp" in name and failing != "backup")
        if _in(path, fd) and hit:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    result = cli("init", "--force", str(path))
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    assert last_line(result).startswith("dockergen: error: ")
    assert last_line(result).endswith("No space left on device; nothing was written")
    assert _listing(path) == before, "no empty or partial .bak, no temporary file, the old file as it was"


@pytest.mark.parametrize("at", [0, 1])
def test_a_rename_that_fails_leaves_each_file_whole(persons_dockerfile, monkeypatch, at):
    path = persons_dockerfile
    before = _listing(path)
    real_replace, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if _in(path, src) and len(calls) > at:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    result = cli("init", "--force", str(path))
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    after = _listing(path)
    if at == 0:
        assert last_line(result).endswith("Read-only file system; nothing was written")
        assert after == before
    else:  # the Dockerfile was replaced: its backup stays; the .dockerignore was not written
        assert last_line(result).endswith("Read-only file system; Dockerfile written")
        assert after["Dockerfile.bak"] == before["Dockerfile"] and ".dockerignore" not in after
        assert not [n for n in after if n.endswith(".tmp")]


@pytest.mark.parametrize("force", [False, True])
def test_a_read_only_directory_is_one_line_and_changes_nothing(persons_dockerfile, monkeypatch, force):
    path = persons_dockerfile
    if not force:
        (path / "Dockerfile").unlink()
    before = _listing(path)
    real_open = os.open

    def open_(name, flags, *args, **kwargs):
        if flags & os.O_CREAT and _in(path, name):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    result = cli("init", *(["--force"] if force else []), str(path))
    monkeypatch.undo()
    what = "cannot keep the old file as Dockerfile.bak (or .bak.N)" if force else "cannot write"
    assert_one_line_error(result, f"Dockerfile: {what}: Read-only file system; nothing was written")
    assert _listing(path) == before


# --- B. a person's bytes anywhere make the file theirs -------------------------------------------


def _edits(text: str) -> dict[str, str]:
    lines = text.splitlines(keepends=True)
    return {
        "line-above": "ARG HTTP_PROXY=http://proxy.example:3128\n" + text,
        "comment-above": "# keep: our proxy\n" + text,
        "blank-above": "\n" + text,
        "inside-header": "".join(lines[:2]) + "# NOTE: mirror below\n" + "".join(lines[2:]),
        "header-line-edited": text.replace(".\n", ". Do not touch: see NOTES.md.\n", 1),
        "header-deleted-but-digest": "".join(lines[3:]),
        "blank-after-header-removed": "".join(lines[:4]) + "".join(lines[5:]),
        "directive-above": "# escape=`\n" + text,
    }


@pytest.mark.parametrize("edit", sorted(_edits("1\n2\n3\n4\n5\n6\n")))
def test_a_byte_outside_dockergens_output_makes_the_dockerfile_the_persons(sample_copy, edit):
    path = sample_copy("requirements-plain")
    assert cli("init", str(path)).exit_code == 0
    edited = _edits((path / "Dockerfile").read_text())[edit]
    (path / "Dockerfile").write_text(edited)
    assert not is_unedited_output(edited)
    check = cli("check", str(path))
    assert check.exit_code == 1
    assert "dockergen: Dockerfile is edited by hand since dockergen wrote it" in check.output
    generate = cli("generate", str(path))
    assert generate.exit_code == 1 and "refusing to overwrite Dockerfile" in generate.output
    assert (path / "Dockerfile").read_text() == edited, "nothing the person wrote is lost"
    forced = cli("generate", "--force", str(path))
    assert forced.exit_code == 0 and (path / "Dockerfile.bak").read_text() == edited


def test_a_line_above_the_header_of_a_dockerignore_makes_it_edited(sample_copy):
    """The header left in it says the file is dockergen's: an edit is refused, as a Dockerfile's is."""
    path = sample_copy("requirements-plain")
    assert cli("init", str(path)).exit_code == 0
    edited = "secrets/\n" + (path / ".dockerignore").read_text()
    (path / ".dockerignore").write_text(edited)
    result = cli("generate", str(path))
    assert result.exit_code == 1 and "refusing to overwrite .dockerignore" in result.output
    assert (path / ".dockerignore").read_text() == edited
    assert "dockergen: .dockerignore is edited by hand" in cli("check", str(path)).output


def test_an_unedited_file_with_a_parser_directive_is_still_dockergens(sample_copy):
    path = sample_copy("requirements-plain")
    assert cli("init", "--syntax", str(path)).exit_code == 0
    assert is_unedited_output((path / "Dockerfile").read_text())
    (path / "requirements.txt").write_text((path / "requirements.txt").read_text() + "six==1.17.0\n")
    assert "Dockerfile: updated" in cli("generate", "--syntax", str(path)).output


# --- C. clean failures ---------------------------------------------------------------------------

DEEP = 100_000


def _deep_toml(kind: str) -> str:
    if kind == "array":
        return "deep = " + "[" * DEEP + "]" * DEEP + "\n"
    if kind == "inline-table":
        return "deep = " + "{a = " * DEEP + "1" + "}" * DEEP + "\n"
    if kind == "dotted-key":
        return "deep" + ".a" * DEEP + " = 1\n"
    return "deep = " + "[" * 200 + "]" * 200 + "\n"  # "shallow": survives the parser, not the limit


@pytest.mark.parametrize("kind", ["array", "inline-table", "dotted-key", "shallow"])
@pytest.mark.parametrize(
    ("sample", "name"),
    [
        ("uv-fastapi", "pyproject.toml"),
        ("uv-fastapi", "uv.lock"),
        ("poetry-django", "poetry.lock"),
        ("pdm-flask", "pdm.lock"),
        ("pylock-app", "pylock.toml"),
        ("pipenv-app", "Pipfile"),
    ],
)
def test_toml_nested_too_deep_is_one_line(sample_copy, sample, name, kind):
    path = sample_copy(sample)
    with open(path / name, "a") as handle:
        handle.write("\n[hostile]\n" + _deep_toml(kind))
    result = cli("inspect", str(path))
    if kind == "dotted-key":  # refused unparsed: tomllib's memory grows with the square of its length
        lines = (path / name).read_text().count("\n")
        message = f"{name}: invalid TOML: line {lines} has more than 1000 dots, a key nested more than 64 levels deep"
    else:
        message = f"{name}: invalid TOML: nested more than 64 levels deep"
    assert_one_line_error(result, message)


def test_dots_inside_strings_are_not_a_dotted_key(sample_copy):
    """A real lock line: harlequin's poetry.lock lists boto3-stubs[all]'s extras on one line, 1,612
    dots in its version ranges. Only a key's dots count; the lock reads as before."""
    path = sample_copy("poetry-legacy")
    extras = ", ".join(f'"mypy-boto3-s{i} (>=1.36.0,<1.37.0)"' for i in range(300))
    with open(path / "poetry.lock", "a") as handle:
        handle.write(f"\n[hostile-extras]\nall = [{extras}]\nquoted = 'a.{'.a' * 1200}'\n")
    assert (path / "poetry.lock").read_text().count(".") > 2000
    assert cli("inspect", str(path)).exit_code == 0


@pytest.mark.parametrize("depth", [DEEP, 200])
def test_json_nested_too_deep_is_one_line(sample_copy, depth):
    path = sample_copy("pipenv-app")
    lock = json.loads((path / "Pipfile.lock").read_text())
    text = json.dumps(lock)[:-1] + ', "hostile": ' + "[" * depth + "]" * depth + "}"
    (path / "Pipfile.lock").write_text(text)
    assert_one_line_error(cli("inspect", str(path)), "Pipfile.lock: invalid JSON: nested more than 64 levels deep")


@pytest.mark.parametrize("expression", ["-" * DEEP + "1", "x" + ".a" * DEEP, "1" + "+1" * DEEP, "f" + "(x)" * DEEP])
def test_a_setup_py_nested_too_deep_is_one_line(make_project, expression):
    path = make_project({"setup.py": f"from setuptools import setup\nsetup(name='x', install_requires={expression})\n"})
    assert_one_line_error(
        cli("inspect", str(path)), "setup.py: cannot read: an expression nested too deeply for Python's parser"
    )


@pytest.mark.parametrize("value", ["application", "mysite..application", ".application", "mysite.wsgi."])
@pytest.mark.parametrize("kind", ["WSGI", "ASGI"])
def test_a_wsgi_or_asgi_application_that_is_no_dotted_path_is_one_line(sample_copy, kind, value):
    path = sample_copy("poetry-django")
    settings = path / "mysite" / "settings.py"
    settings.write_text(settings.read_text() + f"\n{kind}_APPLICATION = {value!r}\n")
    if kind == "WSGI":
        text = settings.read_text().replace("WSGI_APPLICATION = 'mysite.wsgi.application'\n", "")
        settings.write_text(text)
    assert_one_line_error(
        cli("inspect", str(path)),
        f"mysite/settings.py: {kind}_APPLICATION = {value!r} is not a dotted path 'module.name'",
    )


@pytest.mark.parametrize("value", ["3.١٣", "3.1٣", "３.１３", "3.१३", "3.13\u0663"])
@pytest.mark.parametrize("where", [".python-version", "runtime.txt", "setting"])
def test_python_versions_take_ascii_digits_only(sample_copy, where, value):
    path = sample_copy("requirements-plain")
    (path / ".python-version").unlink()
    if where == "setting":
        result = cli("generate", "--stdout", "--python", value, str(path))
        assert_one_line_error(result, f"--python: {value!r} is not a valid Python version like '3.13'")
        return
    (path / where).write_text(("python-" if where == "runtime.txt" else "") + value + "\n")
    result = cli("generate", "--stdout", str(path))
    shown = ("python-" if where == "runtime.txt" else "") + value
    assert_one_line_error(result, f"{where}: cannot read a CPython version from {shown!r}")


def test_a_cuda_setting_takes_ascii_digits_only(sample_copy):
    result = cli("generate", "--stdout", "--cuda", "١٢.٨", str(sample_copy("uv-torch")))
    assert_one_line_error(result, "--cuda: '١٢.٨' is not a valid CUDA version like '12.8'")


@pytest.mark.parametrize(
    ("line", "port"),
    [
        ("gunicorn app:app --bind 0.0.0.0:99999", "99999"),
        ("gunicorn app:app --bind=0.0.0.0:65536", "65536"),
        ("gunicorn app:app -b [::]:1234567", "1234567"),
        ("uvicorn app:app --port 0", "0"),
        ("uvicorn app:app --port=100000", "100000"),
    ],
)
def test_a_procfile_port_outside_1_to_65535_is_refused(sample_copy, line, port):
    path = sample_copy("requirements-plain")
    (path / "Procfile").write_text(f"web: {line}\n")
    assert_one_line_error(
        cli("generate", "--stdout", str(path)),
        f"Procfile: the 'web' command listens on port {port}, which is not a port (1-65535)",
    )


def test_an_entrypoint_setting_port_outside_1_to_65535_is_refused(sample_copy):
    result = cli(
        "generate", "--stdout", "--entrypoint", "gunicorn --bind 0.0.0.0:99999 app:app", str(sample_copy("pdm-flask"))
    )
    assert_one_line_error(
        result, "pyproject.toml: [tool.dockergen] entrypoint listens on port 99999, which is not a port (1-65535)"
    )


@pytest.mark.parametrize("port", ["1", "65535"])
def test_ports_at_the_edges_are_exposed(sample_copy, port):
    path = sample_copy("requirements-plain")
    (path / "Procfile").write_text(f"web: gunicorn app:app --bind 0.0.0.0:{port}\n")
    assert f"\nEXPOSE {port}\n" in dockergen.generate(path)["Dockerfile"]
