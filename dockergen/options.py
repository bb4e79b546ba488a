"""The settings a user can give, from [tool.dockergen] or the command line, and their grammar.

Every value here may end up in a Dockerfile, so each is checked against a strict pattern: a
value that could start a new instruction, continue a line or expand a variable is refused with
an error naming the setting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal, TypedDict, TypeVar, cast

from .facts import InspectError

C = TypeVar("C", bound=str)

APT_NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]{0,127}$")  # Debian policy 5.6.1, plus a length cap
IMAGE = re.compile(r"^[a-z0-9]+(?:[._/-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$")
USER = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
GROUP = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
PYTHON = re.compile(r"^3\.[0-9]{1,2}$")  # [0-9], not \d: that takes any script's digits (3.١٣)
CUDA = re.compile(r"^[0-9]{2}\.[0-9]{1,2}$")
# One word of a command: printable, no quotes, backslashes, dollar signs or control characters.
COMMAND_WORD = re.compile(r"^[A-Za-z0-9_./:=@%+,\[\]{}()-]{1,256}$")  # () for gunicorn's 'pkg:create_app()'

DebianRelease = Literal["bookworm", "trixie"]
DEBIAN_RELEASES: tuple[DebianRelease, ...] = ("bookworm", "trixie")
Variant = Literal["gpu", "cpu"]
VARIANTS: tuple[Variant, ...] = ("gpu", "cpu")
MANAGER = re.compile(r"^[a-z][a-z-]{0,31}$")  # one of the inspectors' names: checked by choose_manager
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,127}$")
# An ENV value, written double-quoted: printable ASCII with no quote, backslash, $ or backtick.
ENV_VALUE = re.compile(r"^[ !#%&(-\[\]-_a-~]{0,1024}$")
# Set by the Dockerfile itself, or by a setting of their own (port).
RESERVED_ENV = ("PATH", "VIRTUAL_ENV", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "PORT", "HOME")
# Names of secrets: an image's ENV is readable by anyone who can pull it (docker inspect).
SECRET_NAME = re.compile(r"(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)")
MAX_BUILD_STEPS = 32
# Where the Dockerfile goes: a relative path inside the project, each segment a plain name (no `.`
# or `..` segment, no absolute path, nothing a shell, a glob or a .dockerignore pattern reads).
OUTPUT_SEGMENT = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_.+-]{0,127}$")
MAX_OUTPUT_DEPTH = 8
# The outputs dockergen may manage; a file left out of `manage` is the team's.
Managed = Literal["Dockerfile", "dockerignore", "compose"]
MANAGED: tuple[Managed, ...] = ("Dockerfile", "dockerignore", "compose")
# The CI files dockergen writes (dockergen/ci.py): a GitHub workflow and docker-bake.hcl, or the bake file only.
Ci = Literal["github", "bake"]
CI: tuple[Ci, ...] = ("github", "bake")
# A label key: lower-case reverse-DNS words (OCI annotation rules), as `docker inspect` shows them.
LABEL_KEY = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+){0,31}$")
# Namespaces Docker keeps for itself, and the keys the Dockerfile fills from build arguments.
RESERVED_LABEL_PREFIXES = ("com.docker.", "io.docker.", "org.dockerproject.")
ARG_LABELS = {"org.opencontainers.image.version": "VERSION", "org.opencontainers.image.revision": "REVISION"}
MAX_LABELS = 32
# A URL in a label, written double-quoted: https only, no quote, backslash, $, backtick or space.
LABEL_URL = re.compile(r"^https://[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~%!&()*+,;=:@/-]{0,1024})?$")
MAX_COPIES = 32
# The health check's HTTP path: what urllib sends as it is, with no quote, backslash, $ or space.
# A workspace member's project name (PEP 508), as `--package` and `uv sync --package` take it.
PACKAGE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,126}[A-Za-z0-9])?$")
HEALTH_PATH = re.compile(r"^/[A-Za-z0-9._~%!&()*+,;=:@/?-]{0,255}$")


def _string(key: str, value: Any, pattern: re.Pattern[str], what: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InspectError("pyproject.toml", f"[tool.dockergen] {key} = {value!r} is not a valid {what}")
    return value


def _words(key: str, value: Any) -> list[str]:
    if isinstance(value, str) and re.search(r"[\x00-\x1f\x7f]", value.replace(" ", "")):
        raise InspectError("pyproject.toml", f"[tool.dockergen] {key} = {value!r} has a control character")
    words = value.split() if isinstance(value, str) else value
    if not isinstance(words, list) or not words:
        raise InspectError("pyproject.toml", f"[tool.dockergen] {key} must be a string or a list of strings")
    return [_string(key, w, COMMAND_WORD, "command word (letters, digits and ._/:=@%+,-[]{}() only)") for w in words]


def _commands(key: str, value: Any) -> list[list[str]]:
    """Commands (each a string of words, or a list of words), run with every word shell-quoted:
    the build setting's and the runner_steps setting's."""
    if not isinstance(value, list) or len(value) > MAX_BUILD_STEPS:
        raise InspectError(
            "pyproject.toml", f"[tool.dockergen] {key} must be a list of at most {MAX_BUILD_STEPS} commands"
        )
    return [_words(f"{key}[{n}]", command) for n, command in enumerate(value)]


def _env(value: Any) -> dict[str, str]:
    """Non-secret defaults for the image's environment: NAME = "value"."""
    if not isinstance(value, dict):
        raise InspectError("pyproject.toml", '[tool.dockergen] env must be a table of NAME = "value"')
    out = {}
    for name, text in value.items():
        if not isinstance(name, str) or not ENV_NAME.fullmatch(name):
            raise InspectError("pyproject.toml", f"[tool.dockergen] env: {name!r} is not a variable name (A-Z, 0-9, _)")
        if name in RESERVED_ENV:
            raise InspectError("pyproject.toml", f"[tool.dockergen] env: {name} is set by the Dockerfile itself")
        if SECRET_NAME.search(name):
            raise InspectError(
                "pyproject.toml",
                f"[tool.dockergen] env: {name} looks like a secret, which ENV would write into the image for "
                f"anyone who pulls it: pass it at run time (docker run -e {name}=...)",
            )
        out[name] = _quoted_value("env", name, text)
    return out


def _quoted_value(setting: str, key: str, text: Any) -> str:
    """A value written double-quoted into the Dockerfile (ENV, LABEL): nothing that ends the quotes
    or expands there."""
    if not isinstance(text, str) or not ENV_VALUE.fullmatch(text):
        raise InspectError(
            "pyproject.toml",
            f"[tool.dockergen] {setting}: {key} = {text!r} must be a string of printable characters "
            "without quotes, backslashes, $ or backticks",
        )
    return text


def _relative_path(bad: str, value: Any, example: str) -> str:
    """A relative path inside the project that a Dockerfile may name as it is: plain names joined by /."""
    if not isinstance(value, str):
        raise InspectError("pyproject.toml", f"{bad} must be a relative path like {example!r}")
    segments = value.split("/")
    if len(segments) > MAX_OUTPUT_DEPTH or not all(
        OUTPUT_SEGMENT.fullmatch(s) and s not in (".", "..") for s in segments
    ):
        raise InspectError(
            "pyproject.toml",
            f"{bad} is not a relative path inside the project (at most {MAX_OUTPUT_DEPTH} names of letters, digits "
            "and ._+- each, joined by /; no . or .. and no leading /)",
        )
    return value


def _output(value: Any) -> str:
    """The Dockerfile's path, relative to the project root (the build context stays the root)."""
    bad = f"[tool.dockergen] output = {value!r}"
    path = _relative_path(bad, value, "docker/Dockerfile")
    last = path.split("/")[-1]
    if last.endswith(".dockerignore") or re.search(r"\.bak(?:\.[0-9]+)?$", last):
        raise InspectError("pyproject.toml", f"{bad} is the name of an ignore file or a backup, not a Dockerfile")
    return path


def _copy(value: Any) -> list[str]:
    """Files or directories of the project the runner's /app must hold, besides what it has."""
    if not isinstance(value, list) or len(value) > MAX_COPIES:
        raise InspectError(
            "pyproject.toml", f"[tool.dockergen] copy must be a list of at most {MAX_COPIES} relative paths"
        )
    paths = [_relative_path(f"[tool.dockergen] copy: {path!r}", path, "config/") for path in value]
    if len(set(paths)) < len(paths):
        raise InspectError("pyproject.toml", "[tool.dockergen] copy names a path twice")
    return paths


def _labels(value: Any) -> dict[str, str]:
    """Image labels: `true` for the OCI ones dockergen fills (source, version, revision), or a
    table of "key" = "value" to add to them."""
    if value is True:
        return {}
    if not isinstance(value, dict) or len(value) > MAX_LABELS:
        raise InspectError(
            "pyproject.toml",
            f'[tool.dockergen] labels must be true, or a table of at most {MAX_LABELS} "key" = "value"',
        )
    out = {}
    for key, text in value.items():
        if not isinstance(key, str) or not LABEL_KEY.fullmatch(key):
            raise InspectError(
                "pyproject.toml",
                f"[tool.dockergen] labels: {key!r} is not a label key (lower-case words of a-z, 0-9 and -, "
                "joined by dots: org.opencontainers.image.licenses)",
            )
        if key.startswith(RESERVED_LABEL_PREFIXES):
            raise InspectError("pyproject.toml", f"[tool.dockergen] labels: {key} is in a namespace Docker reserves")
        if key in ARG_LABELS:
            raise InspectError(
                "pyproject.toml",
                f"[tool.dockergen] labels: {key} comes from a build argument: docker build --build-arg "
                f"{ARG_LABELS[key]}=...",
            )
        if key == "org.opencontainers.image.source" and not (isinstance(text, str) and LABEL_URL.fullmatch(text)):
            raise InspectError("pyproject.toml", f"[tool.dockergen] labels: {key} = {text!r} is not an https URL")
        out[key] = _quoted_value("labels", key, text)
    return out


def _healthcheck(value: Any) -> str | bool:
    """False: no HEALTHCHECK; an HTTP path ("/health"): a GET on the app's port must succeed."""
    if value is False or value == "off":
        return False
    if not isinstance(value, str) or not HEALTH_PATH.fullmatch(value):
        raise InspectError(
            "pyproject.toml",
            f"[tool.dockergen] healthcheck = {value!r} must be false, or an HTTP path like '/health' (no quotes, "
            "spaces, backslashes or $)",
        )
    return value


def _unique_choices(key: str, value: Any, choices: tuple[C, ...], low: int) -> list[C]:
    """A list of distinct choices, in the order given."""
    if not isinstance(value, list) or not low <= len(value) <= len(choices) or len(set(map(repr, value))) < len(value):
        raise InspectError(
            "pyproject.toml",
            f"[tool.dockergen] {key} must be a list of distinct names from {', '.join(choices)}",
        )
    return [_choice(key, item, choices) for item in value]


def _int(key: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InspectError("pyproject.toml", f"[tool.dockergen] {key} = {value!r} must be an integer {low}-{high}")
    return value


def _list(key: str, value: Any, pattern: re.Pattern[str], what: str) -> list[str]:
    if not isinstance(value, list):
        raise InspectError("pyproject.toml", f"[tool.dockergen] {key} must be a list")
    return [_string(key, v, pattern, what) for v in value]


def _apt(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict) or set(value) - {"build", "run"}:
        raise InspectError("pyproject.toml", "[tool.dockergen] apt must be a table with 'build' and/or 'run' lists")
    return {k: _list(f"apt.{k}", v, APT_NAME, "Debian package name") for k, v in value.items()}


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InspectError("pyproject.toml", f"[tool.dockergen] {key} must be true or false")
    return value


def _choice(key: str, value: Any, choices: tuple[C, ...]) -> C:
    if value not in choices:
        raise InspectError("pyproject.toml", f"[tool.dockergen] {key} = {value!r}: one of {', '.join(choices)}")
    return choices[choices.index(value)]


class AptSettings(TypedDict, total=False):
    build: list[str]
    run: list[str]


class Settings(TypedDict, total=False):
    """[tool.dockergen] with the command line's flags over it, validated: each key as VALIDATORS returns it."""

    python: str
    manager: str
    entrypoint: list[str]
    port: int
    image: str
    debian: DebianRelease
    apt: AptSettings
    user: str
    uid: int
    groups: list[str]
    extras: list[str]
    syntax: bool
    cuda: str
    variant: Variant
    layers: int
    app_layers: int
    app_directory: bool
    build: list[list[str]]
    env: dict[str, str]
    output: str
    variants: list[Variant]
    manage: list[Managed]
    ci: Ci
    labels: dict[str, str]
    copy: list[str]
    healthcheck: str | bool
    runner_steps: list[list[str]]
    compose: bool
    package: str


VALIDATORS: dict[str, Callable[[Any], object]] = {
    "python": lambda v: _string("python", v, PYTHON, "Python version like '3.13'"),
    "manager": lambda v: _string("manager", v, MANAGER, "manager name"),
    "entrypoint": lambda v: _words("entrypoint", v),
    "port": lambda v: _int("port", v, 1, 65535),
    "image": lambda v: _string("image", v, IMAGE, "image repository name"),
    "debian": lambda v: _choice("debian", v, DEBIAN_RELEASES),
    "apt": _apt,
    "user": lambda v: _string("user", v, USER, "user name"),
    "uid": lambda v: _int("uid", v, 1000, 2**31 - 2),
    "groups": lambda v: _list("groups", v, GROUP, "dependency group name"),
    "extras": lambda v: _list("extras", v, GROUP, "extra name"),
    "syntax": lambda v: _bool("syntax", v),
    "app_directory": lambda v: _bool("app_directory", v),
    "cuda": lambda v: _string("cuda", v, CUDA, "CUDA version like '12.8'"),
    "variant": lambda v: _choice("variant", v, VARIANTS),
    "layers": lambda v: _int("layers", v, 1, 64),
    "app_layers": lambda v: _int("app_layers", v, 1, 16),
    "build": lambda v: _commands("build", v),
    "env": _env,
    "output": _output,
    "variants": lambda v: _unique_choices("variants", v, VARIANTS, 1),
    "manage": lambda v: _unique_choices("manage", v, MANAGED, 0),
    "ci": lambda v: _choice("ci", v, CI),
    "labels": _labels,
    "copy": _copy,
    "healthcheck": _healthcheck,
    "runner_steps": lambda v: _commands("runner_steps", v),
    "compose": lambda v: _bool("compose", v),
    "package": lambda v: _string("package", v, PACKAGE, "workspace member name (a project name)"),
}


def validate_settings(settings: dict[str, Any]) -> Settings:
    unknown = sorted(set(settings) - set(VALIDATORS))
    if unknown:
        raise InspectError(
            "pyproject.toml", f"unknown [tool.dockergen] setting {unknown[0]!r} (known: {', '.join(VALIDATORS)})"
        )
    if "variant" in settings and "variants" in settings:
        raise InspectError(
            "pyproject.toml",
            "[tool.dockergen] variant and variants: set one (variants writes a Dockerfile for each variant)",
        )
    # Each validator returns its key's type in Settings, which mypy cannot follow through the table.
    return cast(Settings, {key: VALIDATORS[key](value) for key, value in settings.items()})


# What a validator's message starts with, naming the [tool.dockergen] key: a flag's error names the flag instead.
SETTING_PREFIX = re.compile(r"^\[tool\.dockergen\] [a-z_]+(?:\.[a-z]+|\[[0-9]+\])?(?: = |: | )?")


def validate_flags(flags: dict[str, Any], flag_name: Callable[[str], str]) -> None:
    """Check the command line's values alone, before they are merged with [tool.dockergen], so a
    bad one is reported as the flag's (flag_name(key)), not as pyproject.toml's."""
    for key, value in flags.items():
        validator = VALIDATORS.get(key)
        if validator is None:  # a flag that is not a setting (--online, --pin-digests)
            continue
        try:
            validator(value)
        except InspectError as exc:
            raise InspectError(flag_name(key), SETTING_PREFIX.sub("", exc.problem)) from None
