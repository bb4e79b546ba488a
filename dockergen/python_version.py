"""Choose the CPython minor to build for, and say why."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from .facts import InspectError, PythonChoice
from .project import tomllib

PATCHES_TRIED = range(0, 40)
PIN_PATTERN = re.compile(r"^(?:cpython-?|python-?)?(3)\.(\d+)(?:\.\d+)?\S*$")


@lru_cache(maxsize=1)
def released_minors(today: datetime.date | None = None) -> tuple[str, ...]:
    """Feature releases out by today, oldest first, from data/python_releases.toml."""
    data = tomllib.loads(resources.files("dockergen").joinpath("data/python_releases.toml").read_text())
    today = today or datetime.date.today()
    return tuple(v for v, date in sorted(data["releases"].items(), key=lambda kv: kv[1]) if date <= today)


def parse_pin(text: str, origin: str) -> str:
    """'3.13', '3.13.1', 'cpython-3.13' or 'python-3.11.7' -> '3.13'."""
    match = PIN_PATTERN.match(text.strip())
    if not match:
        raise InspectError(origin, f"cannot read a CPython version from {text.strip()!r}")
    return f"{match.group(1)}.{match.group(2)}"


def _error(origin: str, problem: str) -> InspectError:
    """An error naming the file an origin comes from: 'uv.lock requires-python' is uv.lock's,
    '[tool.poetry.dependencies] python' and '[tool.dockergen] python / --python' pyproject.toml's."""
    path = "pyproject.toml" if origin.startswith("[tool.") else origin.split()[0]
    detail = origin[len(path) :].strip() if origin.startswith(path) else origin
    return InspectError(path, f"{detail}: {problem}" if detail else problem)


def _predicate(spec: str, origin: str) -> Callable[[Version], bool]:
    """A PEP 440 specifier set, or failing that a Poetry constraint (^3.11, ~3.11, 3.11.*)."""
    try:
        specifier = SpecifierSet(spec)
        return lambda v: specifier.contains(v, prereleases=False)
    except InvalidSpecifier:
        pass
    from poetry.core.constraints.version import Version as PoetryVersion
    from poetry.core.constraints.version import parse_constraint
    from poetry.core.constraints.version.exceptions import ParseConstraintError

    try:
        constraint = parse_constraint(spec)
    except (ParseConstraintError, ValueError) as exc:
        raise _error(origin, f"invalid Python constraint {spec!r} ({' '.join(str(exc).split())})") from None
    return lambda v: constraint.allows(PoetryVersion.parse(str(v)))


def minor_allowed(minor: str, spec: str, origin: str) -> bool:
    allows = _predicate(spec, origin)
    return any(allows(Version(f"{minor}.{patch}")) for patch in PATCHES_TRIED)


def choose_python(constraints: list[tuple[str, str]], pins: list[tuple[str, str]]) -> PythonChoice:
    """The first pin wins (pins come in priority order); otherwise the newest released minor.

    Every constraint must allow the choice: a pin that a constraint forbids is an error, since
    building for it would fail at install time.
    """
    satisfied = [f"{origin} {spec!r}" for origin, spec in constraints]
    if pins:
        origin, version = pins[0]
        for c_origin, spec in constraints:
            if not minor_allowed(version, spec, c_origin):
                raise _error(origin, f"asks for Python {version}, but {c_origin} is {spec!r}")
        reasons = [f"{origin} pins {version}"] + [f"allowed by {s}" for s in satisfied]
        reasons += [f"{o} ({v}) ignored: {origin} comes first" for o, v in pins[1:] if v != version]
        return PythonChoice(version, tuple(reasons))
    candidates = [minor for minor in released_minors() if all(minor_allowed(minor, s, o) for o, s in constraints)]
    if not candidates:
        where = constraints[0][0] if constraints else "project"
        raise _error(where, "no released CPython satisfies " + " and ".join(satisfied))
    newest = candidates[-1]
    if not constraints:
        return PythonChoice(newest, (f"no Python constraint found: newest release {newest}",))
    return PythonChoice(newest, (f"newest released CPython allowed by {' and '.join(satisfied)}",))
