"""What the command line prints, and how: colour only for a person at a terminal, and as much as asked.

Colour is click's: styled text is written as it is to a terminal and stripped of its escapes for a
pipe or a file, and NO_COLOR (https://no-color.org: set and not empty) turns it off everywhere.
`-q` keeps errors, warnings and what fails (a diff, a stale file); `-v` adds the library's debug
lines (each index look-up) and a traceback for a dockergen bug.
"""

from __future__ import annotations

import logging
import os

import click

from .facts import printable

QUIET, NORMAL, VERBOSE = 0, 1, 2
VERBOSITY = "dockergen.verbosity"  # the key in click's context meta, shared by the group and its command


def use_color() -> bool | None:
    """False when NO_COLOR is set; None lets click decide by the stream (a terminal or not)."""
    return False if os.environ.get("NO_COLOR") else None


def verbosity() -> int:
    context = click.get_current_context(silent=True)
    return int(context.meta.get(VERBOSITY, NORMAL)) if context else NORMAL


def set_verbosity(quiet: bool, verbose: bool) -> None:
    """-q or -v, given to the group or to the command (the command's wins); both is an error."""
    if quiet and verbose:
        raise click.UsageError("-q/--quiet and -v/--verbose: give one")
    context = click.get_current_context()
    if quiet or verbose:
        context.meta[VERBOSITY] = QUIET if quiet else VERBOSE
    logging.getLogger("dockergen").setLevel(
        {QUIET: logging.WARNING, NORMAL: logging.INFO, VERBOSE: logging.DEBUG}[verbosity()]
    )


def info(message: str) -> None:
    """Progress or a summary, on stderr; -q drops it. Its own lines stay lines, each made printable."""
    if verbosity() > QUIET:
        click.echo("\n".join(map(printable, message.split("\n"))), err=True)


def warn(message: str) -> None:
    label = click.style("dockergen: warning:", fg="yellow", bold=True)
    click.echo(f"{label} {printable(message)}", err=True, color=use_color())


def problem(message: str) -> None:
    """What makes the command fail (a stale file, a refusal), on stderr, whatever the verbosity."""
    click.echo(click.style(printable(message), fg="red"), err=True, color=use_color())


def error(message: str) -> None:
    label = click.style("dockergen: error:", fg="red", bold=True)
    click.echo(f"{label} {printable(message)}", err=True, color=use_color())


DIFF_COLORS = (("+++", "bright_white"), ("---", "bright_white"), ("@@", "cyan"), ("+", "green"), ("-", "red"))


def diff(text: str, err: bool = False) -> None:
    """A unified diff, its lines coloured as git colours them; every line made printable."""
    for raw in text.splitlines():
        line = "\t".join(printable(part) for part in raw.split("\t"))  # a tab is safe, and a Dockerfile's own
        color = next((c for prefix, c in DIFF_COLORS if line.startswith(prefix)), None)
        click.echo(click.style(line, fg=color) if color else line, err=err, color=use_color())
