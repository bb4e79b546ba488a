"""The command line: parse options, call the API, print, and map errors to exit codes.

Exit codes: 0 success; 1 `check` found stale files or `init`/`generate` refused to overwrite a
person's file; 2 bad input (a one-line message naming the file); 3 a dockergen bug.
"""

from __future__ import annotations

import difflib
import functools
import json
import logging
import os
import posixpath
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from . import __version__, api, project_template
from .entrypoint import main_blocks
from .facts import InspectError, ProjectFacts, printable
from .plan import make_plan
from .project import Project

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InspectError as exc:
            click.echo(f"dockergen: error: {exc}", err=True)
            sys.exit(2)
        except BrokenPipeError:  # `dockergen inspect | head`: the reader has what it wanted
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115  (Python reports the flush at exit otherwise)
            sys.exit(0)
        except api.RefusedError as exc:
            click.echo(str(exc.diff), err=True, nl=False)
            click.echo(printable(f"dockergen: {exc}"), err=True)
            sys.exit(1)
        except Exception as exc:  # a bug: say so in one line unless asked for the traceback
            if os.environ.get("DOCKERGEN_DEBUG"):
                raise
            click.echo(
                printable(f"dockergen: internal error: {type(exc).__name__}: {exc} (DOCKERGEN_DEBUG=1 shows more)"),
                err=True,
            )
            sys.exit(3)

    return cast(F, wrapper)  # functools.wraps keeps func's signature, which F stands for


def plan_options(func: F) -> F:
    """Options shared by every command that plans a Dockerfile; flags beat [tool.dockergen]."""
    options = [
        click.option("--python", help="CPython minor to build for, e.g. 3.13."),
        click.option("--manager", help="Force the package manager instead of detecting it."),
        click.option("--entrypoint", help="Command the image runs (space-separated words)."),
        click.option("--port", type=int, help="Port the app listens on (EXPOSE)."),
        click.option("--image", help="Base image repository (default: python)."),
        click.option("--debian", type=click.Choice(["bookworm", "trixie"]), help="Debian release of the images."),
        click.option("--apt-build", multiple=True, help="Extra Debian package for the builder (repeatable)."),
        click.option("--apt-run", multiple=True, help="Extra Debian package for the runner (repeatable)."),
        click.option("--user", help="Name of the non-root user in the runner (default: app)."),
        click.option("--uid", type=int, help="UID/GID of that user (default: 10001)."),
        click.option("--group", "groups", multiple=True, help="Dependency group to include (repeatable)."),
        click.option("--extra", "extras", multiple=True, help="Extra to include (repeatable)."),
        click.option("--syntax/--no-syntax", default=None, help="Add a '# syntax=docker/dockerfile:1' line."),
        click.option("--cuda", help="CUDA version for an nvidia/cuda toolkit image, e.g. 12.8."),
        click.option("--layers", type=int, help="Layers the runner's virtualenv is split into (1: off; default 16)."),
        click.option(
            "--app-layers", type=int, help="Layers the app directory may be split into at most (1: off; default 8)."
        ),
        click.option(
            "--online", is_flag=True, default=None, help="Ask PyPI which files exist where the lock lists none."
        ),
        click.option(
            "--pin-digests", is_flag=True, default=None, help="Pin base images by digest (docker pull first)."
        ),
        click.option("--variant", type=click.Choice(["gpu", "cpu"]), help="GPU project: build the GPU or CPU image."),
        click.option(
            "--build",
            multiple=True,
            help="Command run in the app's build stage, after the code is copied (repeatable).",
        ),
        click.option("--env", multiple=True, help="NAME=VALUE: a non-secret default in the image's ENV (repeatable)."),
        click.option("--output", help="Where the Dockerfile goes, relative to PATH (default: Dockerfile)."),
        click.option(
            "--variants", help="GPU project: a Dockerfile for each, e.g. gpu,cpu (Dockerfile, Dockerfile.cpu)."
        ),
        click.option("--manage", help="The outputs dockergen manages: Dockerfile,dockerignore,compose (default: all)."),
        click.option("--compose/--no-compose", default=None, help="Write compose.yaml and a dev stage too."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def overrides(kwargs: dict[str, Any]) -> dict[str, Any]:
    """CLI flags as settings; flags that were not given are left out so the file's values stay."""
    apt = {k: list(v) for k, v in (("build", kwargs.pop("apt_build", ())), ("run", kwargs.pop("apt_run", ()))) if v}
    env = kwargs.pop("env", ())
    for key in ("variants", "manage"):  # comma-separated lists
        if kwargs.get(key) is not None:
            kwargs[key] = [item.strip() for item in kwargs[key].split(",")]
    out = {k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs.items() if v not in (None, ())}
    if env:
        pairs = [item.partition("=") for item in env]
        bad = [item for item, (_, sep, _) in zip(env, pairs) if not sep]
        if bad:
            raise InspectError("--env", f"{bad[0]!r}: expected NAME=VALUE")
        out["env"] = {name: value for name, _, value in pairs}
    if apt:
        out["apt"] = apt
    return out


class EchoHandler(logging.Handler):
    """Progress from the library (e.g. `--online` look-ups) on stderr, where click prints it now."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(printable(f"dockergen: {record.getMessage()}"), err=True)


@click.group()
@click.version_option(__version__, prog_name="dockergen")
def main() -> None:
    """Write the Dockerfile an expert would write for a Python project."""
    logger = logging.getLogger("dockergen")
    if not any(isinstance(h, EchoHandler) for h in logger.handlers):
        logger.addHandler(EchoHandler())
        logger.setLevel(logging.INFO)


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the facts as JSON (schema in the README).")
@plan_options
@handle_errors
def inspect(path: str, as_json: bool, **kwargs: Any) -> None:
    """Show what dockergen detects in PATH, and why."""
    facts = api.inspect(path, **overrides(kwargs))
    try:
        plan, plan_error = make_plan(facts), None
    except InspectError as exc:  # the facts are still worth showing
        plan, plan_error = None, str(exc)
    if as_json:
        data = facts.to_json()
        data["plan"] = plan.to_json() if plan else None
        data["plan_error"] = plan_error
        click.echo(json.dumps(data, indent=2, sort_keys=True))
        return
    click.echo(describe(facts))
    for line in plan.describe() if plan else [f"plan         cannot plan a Dockerfile: {plan_error}"]:
        click.echo(printable(line))
    template = template_line(Path(path))
    if template:
        click.echo(printable(template))


def template_line(root: Path) -> str | None:
    """What the project's own template fills, or why it cannot be used (None: it has none)."""
    try:
        source = project_template.read(root)
        filled = project_template.blocks(source) if source is not None else None
    except InspectError as exc:
        return f"template     cannot be used: {exc}"
    if filled is None:
        return None
    names = [name for name in project_template.BLOCKS if name in filled]
    return f"template     {project_template.PATH} fills {', '.join(names) or 'no block'}"


def describe(facts: ProjectFacts) -> str:
    lock = facts.lock_file or "none"
    if facts.lock_consistent is not None:
        lock += " (current)" if facts.lock_consistent else " (STALE)"
    runtime = facts.runtime_packages
    kind = f"installable package, {facts.build_backend}" if facts.installable else "app directory"
    entry = facts.entrypoint
    lines = [
        f"project      {facts.name} ({kind})",
        f"manager      {facts.manager}: {facts.manager_reason}",
        f"lock         {lock}{': ' + facts.lock_note if facts.lock_note else ''}",
        f"python       {facts.python.version}: {'; '.join(facts.python.reasons)}",
        f"entrypoint   {' '.join(entry.command) + '  (' + entry.reason + ')' if entry else 'none found'}",
    ]
    if facts.entrypoint and facts.entrypoint.port:
        lines.append(f"port         {facts.entrypoint.port}")
    lines.append(
        f"runtime      {len(runtime)} packages: "
        + ", ".join(f"{p.name}=={p.version or '*'}" for p in runtime[:12])
        + (" ..." if len(runtime) > 12 else "")
    )
    if facts.groups:
        lines.append(f"groups       {', '.join(facts.groups)} (not installed unless asked for)")
    for index in facts.indexes:
        lines.append(f"index        {index.name}: {index.url}{' (explicit)' if index.explicit else ''}")
    if facts.workspace_members:
        lines.append(f"workspace    {', '.join(facts.workspace_members)}")
    django = facts.django
    if django is not None:
        module = f"{django.settings_module} (from {django.settings_source})" if django.settings_module else "not named"
        static = f"STATIC_ROOT = {django.static_root}" if django.static_root else "no STATIC_ROOT"
        apps = "staticfiles" if django.staticfiles else "no staticfiles"
        lines.append(f"django       settings {module}; {apps}, {static}")
    if facts.translations is not None:
        catalogs = facts.translations
        how = (
            "compiled in the tree"
            if catalogs.compiled
            else {"django": "compilemessages", "babel": "pybabel compile"}.get(catalogs.tool, "no known compiler")
        )
        lines.append(f"translations {catalogs.po_files} .po catalog(s), e.g. {catalogs.file}: {how}")
    for read in facts.run_env:
        where = f"{read.file}:{read.line} {read.how}" if read.line else f"{read.file}: {read.how}"
        lines.append(f"run env      {read.name} required ({where}): docker run -e {read.name}=...")
    lines += [f"note         {note}" for note in facts.notes]
    return "\n".join(printable(line) for line in lines)


def interactive() -> bool:
    """Whether a person is at the terminal to answer a question (docker init asks too)."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def ask_entrypoint(path: str) -> str:
    """No entrypoint was found: offer the files with a __main__ block, or any command typed in."""
    choices = [f"python {file}" for file in main_blocks(Project(Path(path)))]
    click.echo("dockergen: no entrypoint found. What should the image run?", err=True)
    for number, choice in enumerate(choices, 1):
        click.echo(f"  {number}. {printable(choice)}", err=True)
    answer = click.prompt("Number, a command, or empty for `python`", default="", show_default=False, err=True).strip()
    command = choices[int(answer) - 1] if answer.isdigit() and 0 < int(answer) <= len(choices) else answer
    if command:
        click.echo(
            f'dockergen: to keep it, add to pyproject.toml:\n[tool.dockergen]\nentrypoint = "{printable(command)}"',
            err=True,
        )
    return command


def _write(path: str, force: bool, stdout: bool, options: dict[str, Any]) -> dict[str, str] | None:
    if stdout:  # the first Dockerfile: the `output` setting's
        click.echo(next(iter(api.generate(path, **options).values())), nl=False)
        return None
    actions = api.write(path, force=force, **options)
    for name, action in actions.items():
        for line in f"{name}: {action}".split("\n"):  # an action's warnings are lines of their own
            click.echo(printable(line), err=True)
    return actions


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Replace files a person wrote or edited (kept as .bak).")
@plan_options
@handle_errors
def init(path: str, force: bool, **kwargs: Any) -> None:
    """Inspect PATH and write its Dockerfile and .dockerignore."""
    options = overrides(kwargs)
    facts, plan = api.plan(path, **options)
    if facts.entrypoint is None and interactive():
        command = ask_entrypoint(path)
        if command:
            options["entrypoint"] = command
            facts, plan = api.plan(path, **options)
    click.echo(describe(facts), err=True)
    for line in plan.describe():
        click.echo(printable(line), err=True)
    actions = _write(path, force, False, options) or {}
    owned = [name for name, action in actions.items() if action.startswith("owned") and "Dockerfile" in name]
    if owned:  # init is asked for a Dockerfile: show the one it would write against the person's
        generated = api.generate(path, **options)
        for name in owned:
            theirs = (Path(path) / name).read_text(encoding="utf-8", errors="replace")
            diff = difflib.unified_diff(
                theirs.splitlines(True), generated.get(name, "").splitlines(True), f"a/{name}", f"b/{name} (dockergen)"
            )
            click.echo("".join(printable(line.rstrip("\n")) + "\n" for line in diff), nl=False)
    tag = (facts.name if facts.name.isidentifier() or facts.name.replace("-", "").isalnum() else "app").lower()
    for n, (name, variant) in enumerate(api.dockerfile_names(facts.settings)):
        # The build context stays the project: a Dockerfile elsewhere is named with -f.
        dockerfile = "" if name == "Dockerfile" else f"-f {posixpath.normpath(posixpath.join(path, name))} "
        build = f"docker build {dockerfile}-t {tag}{f':{variant}' if n else ''} {path}"
        click.echo(f"\nNext: {build}" if n == 0 else f"      {build}  (the {variant} variant)", err=True)
    if actions.get("compose.yaml", "").startswith(("created", "updated", "unchanged", "replaced")):
        dev = "up --wait  (or `docker compose watch`: edits reach the running app)"
        click.echo(f"Dev:  docker compose {dev if plan.runner.port else 'run --rm app'}", err=True)
    if facts.run_env:  # names the variables' own grammar allows: nothing to escape
        flags = " ".join(f"-e {read.name}=..." for read in facts.run_env)
        click.echo(f"Then: docker run {flags} {tag.lower()}  (the app requires them at run time)", err=True)


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Replace files a person wrote or edited (kept as .bak).")
@click.option("--stdout", is_flag=True, help="Print the Dockerfile instead of writing files.")
@plan_options
@handle_errors
def generate(path: str, force: bool, stdout: bool, **kwargs: Any) -> None:
    """Regenerate the Dockerfile and .dockerignore after the project changed."""
    _write(path, force, stdout, overrides(kwargs))


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--strict", is_flag=True, help="Fail on files the team owns too (no dockergen header, or not managed).")
@plan_options
@handle_errors
def check(path: str, strict: bool, **kwargs: Any) -> None:
    """Exit 1 (with a diff) when the committed files differ from what would be generated now.

    A file the team owns (no dockergen header, or left out of the `manage` setting) is reported and
    not checked; --strict fails on it."""
    statuses = api.status(path, **overrides(kwargs))
    for item in statuses:
        if item.state == "owned":
            click.echo(printable(f"dockergen: {item.name} is yours ({item.reason}): owned, not checked"), err=True)
            for line in filter(None, item.diff.split("\n")):
                click.echo(printable(f"dockergen: warning: {line}"), err=True)
    problems = [s for s in statuses if s.state not in ("current", "owned")]
    for item in problems:
        if item.state == "stale-lock":
            click.echo(f"dockergen: {item.diff}: the locked install step will fail until it is fixed", err=True)
            continue
        click.echo(item.diff, nl=False)
        hint = {
            "missing": "missing: run `dockergen init`",
            "stale": f"stale: {item.reason}; `dockergen generate` removes it"
            if item.reason
            else "stale: run `dockergen generate`",
            "edited": "edited by hand since dockergen wrote it (its header says it is dockergen's): "
            "`dockergen generate --force` replaces it (kept as .bak); to keep your edits, delete its four "
            "header lines and dockergen leaves it to you",
        }[item.state]
        click.echo(printable(f"dockergen: {item.name} is {hint}"), err=True)
    owned = [s.name for s in statuses if s.state == "owned"] if strict else []
    if owned:
        click.echo(
            printable(f"dockergen: --strict: {', '.join(owned)} {'is' if len(owned) == 1 else 'are'} not dockergen's"),
            err=True,
        )
    if problems or owned:
        sys.exit(1)
    current = [s.name for s in statuses if s.state == "current"]
    if current:
        names = " and ".join([", ".join(current[:-1]), current[-1]] if len(current) > 2 else current)
        click.echo(printable(f"dockergen: {names} {'is' if len(current) == 1 else 'are'} current"), err=True)
    else:
        click.echo("dockergen: nothing to check: every output is the team's", err=True)
