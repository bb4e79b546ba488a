"""Hostile files, round two (issue 17).

Error lines: a name or value quoted into an error or summary line (a newline, terminal escapes)
   is escaped, in one place: every error is one printable line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dockergen.cli import main
from dockergen.facts import InspectError, printable

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
