"""A project's own Dockerfile template, `.dockergen/Dockerfile.j2`: it extends dockergen's and
fills named blocks, so a team adds what no setting covers and still regenerates.

    {% extends "dockergen/Dockerfile.j2" %}
    {% block runner_setup %}
    COPY --from=frontend /frontend/dist /app/static
    {% endblock %}

What a block writes is the team's own Dockerfile text, trusted as a Dockerfile they wrote by hand
would be: it is not checked. It runs in Jinja's sandbox, with dockergen's templates as the only
files it can name, so rendering it reads nothing else and calls nothing unsafe; the plan's values
it prints passed their settings' grammar, and the `sh`, `exec_form` and `env_value` filters quote
them as the built-in template does.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from .facts import InspectError
from .plan import BuildPlan
from .project import Project
from .render import builtin_loader, configure, tidy

PATH = ".dockergen/Dockerfile.j2"
BUILTIN = "dockergen/Dockerfile.j2"
# The blocks of templates/Dockerfile.j2, in the order they come in the Dockerfile.
BLOCKS = (
    "after_deps",  # the deps stage, after the locked install
    "after_project",  # the project stage, after the wheels are installed (only when there is one)
    "stages",  # before the runner: stages of the team's own (FROM ... AS name)
    "runner_setup",  # the runner, as root, after the app is copied and before USER
    "before_cmd",  # the runner, as the app's user, just before CMD
)


def read(root: Path) -> str | None:
    """The project's template (None: it has none), read as every project file is."""
    project = Project(root)
    return project.text(PATH) if project.exists(PATH) else None


@lru_cache(maxsize=4)
def _environment(source: str) -> SandboxedEnvironment:
    """A sandbox whose loader holds dockergen's templates (also as dockergen/...) and this one."""
    loader = jinja2.ChoiceLoader(
        [
            builtin_loader(),
            jinja2.PrefixLoader({"dockergen": builtin_loader()}),
            jinja2.DictLoader({PATH: source}),
        ]
    )
    env = SandboxedEnvironment(
        loader=loader, undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False
    )
    return configure(env)


@lru_cache(maxsize=4)
def blocks(source: str) -> frozenset[str]:
    """The blocks the template fills; an error naming the line for a syntax error, a template that
    does not extend dockergen's, and a block dockergen's has not (Jinja would drop it silently)."""
    try:
        tree = _environment(source).parse(source, PATH, PATH)
    except jinja2.TemplateSyntaxError as exc:
        raise InspectError(PATH, f"line {exc.lineno}: {exc.message}") from None
    extends = list(tree.find_all(nodes.Extends))
    if len(extends) != 1 or not isinstance(extends[0].template, nodes.Const) or extends[0].template.value != BUILTIN:
        raise InspectError(PATH, f'must extend dockergen\'s template once: {{% extends "{BUILTIN}" %}}')
    for block in tree.find_all(nodes.Block):
        if block.name not in BLOCKS:
            raise InspectError(
                PATH,
                f"line {block.lineno}: dockergen's template has no block {block.name!r} (it has {', '.join(BLOCKS)})",
            )
    return frozenset(block.name for block in tree.find_all(nodes.Block))


def render(plan: BuildPlan, source: str) -> str:
    """The Dockerfile for the plan from the project's template."""
    if "after_project" in blocks(source) and plan.project is None:
        raise InspectError(
            PATH, "block after_project: this Dockerfile has no project stage (nothing is built as a wheel)"
        )
    try:
        text = _environment(source).get_template(PATH).render(plan=plan)
    except jinja2.TemplateError as exc:  # an undefined name, an unsafe call the sandbox refused
        raise InspectError(PATH, f"cannot render: {exc.message or type(exc).__name__}") from None
    return tidy(text)
