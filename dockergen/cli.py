"""The command line: parse options, call the API, print, and map errors to exit codes.

Exit codes: 0 success; 1 `check` found stale files or `init`/`generate` refused to overwrite a
person's file; 2 bad input (a one-line message naming the file or the flag); 3 a dockergen bug;
141 the reader of the output went away (`dockergen inspect | head`), as for any command that
SIGPIPE ends.
"""

from __future__ import annotations

import difflib
import functools
import json
import logging
import os
import posixpath
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from . import __version__, api, console, project_template
from .entrypoint import main_blocks
from .facts import InspectError, ProjectFacts, printable
from .inspectors import MODULES
from .options import validate_flags
from .plan import make_plan
from .project import Project

# -h as well as --help, on the group and on every command.
CONTEXT = {"help_option_names": ["-h", "--help"]}
SIGPIPE_EXIT = 128 + 13  # what a shell reports for a command that SIGPIPE ended

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        apply_verbosity()
        try:
            return func(*args, **kwargs)
        except InspectError as exc:
            console.error(str(exc))
            sys.exit(2)
        except BrokenPipeError:  # `dockergen inspect | head`: the reader has what it wanted
            # What is left in stdout's buffer goes nowhere, so Python's flush at exit cannot fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(SIGPIPE_EXIT)
        except api.RefusedError as exc:
            console.diff(exc.diff, err=True)
            console.problem(f"dockergen: {exc}")
            sys.exit(1)
        except click.ClickException:  # a usage error: click prints it and exits 2
            raise
        except Exception as exc:  # a bug: say so in one line unless asked for the traceback
            if os.environ.get("DOCKERGEN_DEBUG"):
                raise
            if console.verbosity() == console.VERBOSE:
                click.echo("\n".join(map(printable, traceback.format_exc().splitlines())), err=True)
            click.echo(
                printable(
                    f"dockergen: internal error: {type(exc).__name__}: {exc} (-v or DOCKERGEN_DEBUG=1 shows more)"
                ),
                err=True,
            )
            sys.exit(3)

    return cast(F, wrapper)  # functools.wraps keeps func's signature, which F stands for


def plan_options(func: F) -> F:
    """Options shared by every command that plans a Dockerfile; flags beat [tool.dockergen]."""
    options = [
        click.option("--python", help="CPython minor to build for, e.g. 3.13."),
        click.option(
            "--manager",
            type=click.Choice([module.NAME for module in MODULES]),
            help="Force the package manager instead of detecting it.",
        ),
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
        click.option(
            "--ci",
            type=click.Choice(["github", "bake"]),
            help="Also write the CI build: github (a workflow and docker-bake.hcl) or bake (docker-bake.hcl).",
        ),
        click.option("--package", help="uv workspace: the member to build (default: the root project)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def verbosity_options(func: F) -> F:
    """-q and -v, accepted by the group (`dockergen -q check`) and by each command (`dockergen check -q`)."""

    def remember(context: click.Context, param: click.Parameter, value: bool) -> bool:
        if value:
            context.meta.setdefault("dockergen.flags", set()).add(param.name)
        return value

    func = click.option("-v", "--verbose", is_flag=True, callback=remember, expose_value=False, help="Say more.")(func)
    return click.option(
        "-q", "--quiet", is_flag=True, callback=remember, expose_value=False, help="Only errors, warnings and failures."
    )(func)


def apply_verbosity() -> None:
    given = click.get_current_context().meta.get("dockergen.flags", set())
    console.set_verbosity("quiet" in given, "verbose" in given)


def refuse_flags(kwargs: dict[str, Any], command: str, meaningless: dict[str, str]) -> None:
    """A flag given to a command it means nothing for is an error, not silently dropped."""
    for key, why in meaningless.items():
        if kwargs.get(key):
            raise click.UsageError(f"{flag_name(key)} means nothing for `dockergen {command}`: {why}")


def flag_name(key: str) -> str:
    """The flag that sets a setting (for messages)."""
    return {"groups": "--group", "extras": "--extra", "apt": "--apt-build/--apt-run"}.get(
        key, "--" + key.replace("_", "-")
    )


def overrides(kwargs: dict[str, Any]) -> dict[str, Any]:
    """CLI flags as settings, each checked alone so that an error names its flag; flags that were
    not given are left out so the file's values stay."""
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
    validate_flags(out, flag_name)
    return out


class EchoHandler(logging.Handler):
    """Progress from the library (e.g. `--online` look-ups) on stderr, where click prints it now."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            console.warn(record.getMessage())
        else:
            click.echo(printable(f"dockergen: {record.getMessage()}"), err=True)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="dockergen")
@verbosity_options
def main() -> None:
    """Write the Dockerfile an expert would write for a Python project."""
    logger = logging.getLogger("dockergen")
    if not any(isinstance(h, EchoHandler) for h in logger.handlers):
        logger.addHandler(EchoHandler())


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the facts as JSON (schema in the README).")
@plan_options
@verbosity_options
@handle_errors
def inspect(path: str, as_json: bool, **kwargs: Any) -> None:
    """Show what dockergen detects in PATH, and why."""
    refuse_flags(
        kwargs, "inspect", {"pin_digests": "digests are pinned in the Dockerfile that init and generate write"}
    )
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
    if facts.package_dir:
        lines.append(f"package      {facts.package_dir} ({facts.package_reason})")
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
            if line.startswith("  warning: "):
                console.warn(line.removeprefix("  warning: "))
            else:
                console.info(line)
    if "ci" in options and "ci" not in Project(Path(path)).settings:
        console.info(  # the check job runs a plain `dockergen check`, which reads the setting only
            "dockergen: to keep the CI files checked and regenerated, add to pyproject.toml:\n"
            f'[tool.dockergen]\nci = "{options["ci"]}"'
        )
    return actions


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Replace files a person wrote or edited (kept as .bak).")
@plan_options
@verbosity_options
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
    console.info(describe(facts))
    for line in plan.describe():
        console.info(line)
    actions = _write(path, force, False, options) or {}
    owned = [name for name, action in actions.items() if action.startswith("owned") and "Dockerfile" in name]
    if owned:  # init is asked for a Dockerfile: show the one it would write against the person's
        generated = api.generate(path, **options)
        for name in owned:
            theirs = (Path(facts.root) / name).read_text(encoding="utf-8", errors="replace")
            diff = difflib.unified_diff(
                theirs.splitlines(True), generated.get(name, "").splitlines(True), f"a/{name}", f"b/{name} (dockergen)"
            )
            console.diff("".join(diff))
    tag = (facts.name if facts.name.isidentifier() or facts.name.replace("-", "").isalnum() else "app").lower()
    # The build context stays the project (a workspace member's: the workspace root, run from
    # inside the member or not): a Dockerfile elsewhere is named with -f.
    context = os.path.relpath(facts.root) if facts.package else path
    for n, (name, variant) in enumerate(api.dockerfile_names(facts.settings)):
        dockerfile = "" if name == "Dockerfile" else f"-f {posixpath.normpath(posixpath.join(context, name))} "
        build = f"docker build {dockerfile}-t {tag}{f':{variant}' if n else ''} {context}"
        console.info(f"\nNext: {build}" if n == 0 else f"      {build}  (the {variant} variant)")
    if actions.get("compose.yaml", "").startswith(("created", "updated", "unchanged", "replaced")):
        dev = "up --wait  (or `docker compose watch`: edits reach the running app)"
        console.info(f"Dev:  docker compose {dev if plan.runner.port else 'run --rm app'}")
    if facts.run_env:  # names the variables' own grammar allows: nothing to escape
        flags = " ".join(f"-e {read.name}=..." for read in facts.run_env)
        console.info(f"Then: docker run {flags} {tag.lower()}  (the app requires them at run time)")


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Replace files a person wrote or edited (kept as .bak).")
@click.option("--stdout", is_flag=True, help="Print the Dockerfile instead of writing files.")
@plan_options
@verbosity_options
@handle_errors
def generate(path: str, force: bool, stdout: bool, **kwargs: Any) -> None:
    """Regenerate the Dockerfile and .dockerignore after the project changed."""
    _write(path, force, stdout, overrides(kwargs))


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--strict", is_flag=True, help="Fail on files the team owns too (no dockergen header, or not managed).")
@click.option("--json", "as_json", is_flag=True, help="Print each file's status as JSON (schema in the README).")
@plan_options
@verbosity_options
@handle_errors
def check(path: str, strict: bool, as_json: bool, **kwargs: Any) -> None:
    """Exit 1 (with a diff) when the committed files differ from what would be generated now.

    A file the team owns (no dockergen header, or left out of the `manage` setting) is reported and
    not checked; --strict fails on it."""
    refuse_flags(kwargs, "check", {"online": "check stays offline, so that its answer depends on the commit alone"})
    options = overrides(kwargs)
    statuses = api.status(path, **options)
    problems = [s for s in statuses if s.state not in ("current", "owned")]
    owned = [s.name for s in statuses if s.state == "owned"] if strict else []
    if as_json:
        click.echo(json.dumps(check_json(path, options, statuses, failed=bool(problems or owned)), indent=2))
    else:
        report_check(statuses, problems, owned)
    if problems or owned:
        sys.exit(1)


HINTS = {
    "missing": "missing: run `dockergen init`",
    "stale": "stale: run `dockergen generate`",
    "edited": "edited by hand since dockergen wrote it (its header says it is dockergen's): "
    "`dockergen generate --force` replaces it (kept as .bak); to keep your edits, delete its four "
    "header lines and dockergen leaves it to you",
}


def report_check(statuses: list[api.FileStatus], problems: list[api.FileStatus], owned: list[str]) -> None:
    """`check` for a person: each diff on stdout, what it means on stderr."""
    for item in statuses:
        if item.state == "owned":
            console.info(f"dockergen: {item.name} is yours ({item.reason}): owned, not checked")
            for line in filter(None, item.diff.split("\n")):
                console.warn(line)
    for item in problems:
        if item.state == "stale-lock":
            console.problem(f"dockergen: {item.diff}: the locked install step will fail until it is fixed")
            continue
        console.diff(item.diff)
        hint = f"stale: {item.reason}; `dockergen generate` removes it" if item.reason else HINTS[item.state]
        console.problem(f"dockergen: {item.name} is {hint}")
    if owned:
        console.problem(f"dockergen: --strict: {', '.join(owned)} {'is' if len(owned) == 1 else 'are'} not dockergen's")
    if problems or owned:
        return
    current = [s.name for s in statuses if s.state == "current"]
    if current:
        names = " and ".join([", ".join(current[:-1]), current[-1]] if len(current) > 2 else current)
        console.info(f"dockergen: {names} {'is' if len(current) == 1 else 'are'} current")
    else:
        console.info("dockergen: nothing to check: every output is the team's")


def check_json(path: str, options: dict[str, Any], statuses: list[api.FileStatus], failed: bool) -> dict[str, Any]:
    """`check --json` (README: check --json schema, version 1): a stable shape for CI and editors."""
    facts = api.inspect(path, **options)
    lock = None
    if facts.lock_file:
        state = {True: "current", False: "stale", None: "unchecked"}[facts.lock_consistent]
        lock = {"path": facts.lock_file, "status": state, "reason": facts.lock_note or ""}
    files = [
        {
            "path": item.name,
            "status": item.state,
            "reason": item.reason,
            "diff": item.diff if item.state != "owned" else "",
            "warnings": item.diff.splitlines() if item.state == "owned" else [],
        }
        for item in statuses
        if item.state != "stale-lock"
    ]
    return {"version": 1, "ok": not failed, "lock": lock, "files": files}
