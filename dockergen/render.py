"""Render a BuildPlan with the Jinja templates, quoting every value for the place it lands in."""

from __future__ import annotations

import json
import re
import shlex
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import jinja2

from . import ci
from .facts import InspectError
from .plan import BuildPlan
from .project import CONTROL

E = TypeVar("E", bound=jinja2.Environment)


def _templates_dir() -> Path:
    """Installed: dockergen/templates; in a source checkout: the repository's templates/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "Dockerfile.j2").is_file():
            return candidate
    raise FileNotFoundError("dockergen templates not found")  # a broken installation


def _safe(value: object) -> str:
    text = str(value)
    if CONTROL.search(text):
        raise InspectError("dockergen", f"refusing to write {text!r} into a Dockerfile: control character or backslash")
    return text


def shell_word(value: object) -> str:
    """One shell word for a RUN line: single-quoted when it is not plainly safe."""
    return shlex.quote(_safe(value))


def printf_lines(script: str) -> str:
    """A script as single-quoted printf arguments, one per line (no heredocs before Docker 23)."""
    lines = [ln for ln in script.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for line in lines:
        if "'" in line or CONTROL.search(line):
            raise ValueError(f"template script line cannot be single-quoted: {line!r}")
    return " \\\n".join(f"    '{line}'" for line in lines)


def exec_form(words: tuple[str, ...] | list[str]) -> str:
    """A JSON array for CMD/ENTRYPOINT (exec form, no shell)."""
    return json.dumps([_safe(w) for w in words])


def env_value(value: object) -> str:
    """A double-quoted ENV value: the env setting allows no quote, backslash, $ or backtick in it."""
    text = _safe(value)
    if re.search(r'["$`]', text):
        raise InspectError("dockergen", f"refusing to write {text!r} as an ENV value: quote, $ or backtick")
    return f'"{text}"'


def yaml_value(value: object) -> str:
    """A YAML scalar, or a flow sequence of them: JSON's double-quoted strings are YAML's too."""
    if isinstance(value, (tuple, list)):
        return json.dumps([_safe(item) for item in value])
    return json.dumps(_safe(value))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return configure(
        jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(_templates_dir())),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            autoescape=False,  # Dockerfiles are not HTML; values are quoted by the filters below
        )
    )


def builtin_loader() -> jinja2.FileSystemLoader:
    """dockergen's own templates, for an environment of a project's template (project_template.py)."""
    return jinja2.FileSystemLoader(str(_templates_dir()))


def configure(env: E) -> E:
    """The filters that quote values, and the scripts the templates write, in env."""
    env.filters["sh"] = shell_word
    env.filters["exec_form"] = exec_form
    env.filters["printf_lines"] = printf_lines
    env.filters["env_value"] = env_value
    env.filters["yaml"] = yaml_value
    env.globals["helper_scripts"] = {
        name: (_templates_dir() / f"{name}.py").read_text()
        for name in ("split_layers", "pylock_without", "runtime_libs", "split_app")
    }
    return env


@lru_cache(maxsize=1)
def ci_environment() -> jinja2.Environment:
    """For the CI files: values are [[ ]], so that GitHub's ${{ }} expressions are text, and a block
    tag's line is dropped whole, as YAML's indentation is its syntax."""
    env = environment().overlay(
        trim_blocks=True, lstrip_blocks=True, variable_start_string="[[", variable_end_string="]]"
    )
    env.filters["ci_quote"] = ci.quoted
    return env


def render_ci(plan: ci.CiPlan, template: str) -> str:
    """A CI file (templates/github-workflow.yml.j2, templates/docker-bake.hcl.j2) for the CI plan."""
    text = ci_environment().get_template(template).render(ci=plan, dist=ci.DISTRIBUTION)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def render(plan: BuildPlan, template: str, **context: object) -> str:
    """The template for the plan; context holds what the plan does not (the .dockerignore's
    `dockerfiles`: where the Dockerfiles are written)."""
    env = environment()
    if template.endswith(".yaml.j2"):  # YAML's indentation: block tags leave no line of their own
        env = env.overlay(trim_blocks=True, lstrip_blocks=True)
    return tidy(env.get_template(template).render(plan=plan, **context))


def tidy(text: str) -> str:
    """At most one blank line in a row, and one newline at the end."""
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
