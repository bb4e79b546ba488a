"""Choose the CPython minor to build for, and say why."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from .facts import InspectError, LockedPackage, Origin, PythonChoice
from .native import default_debian, has_wheel, installed_on, wheel_tags
from .project import Project, data_toml

PATCHES_TRIED = range(0, 40)
MATURE = datetime.timedelta(days=180)  # how long a new CPython is out before it is the default
# Versions are [0-9] digits: \d would take any script's (3.١٣), which would reach the image name. No
# digit of any script may follow them either (3.1٣ is not 3.1).
PIN_PATTERN = re.compile(r"^(?:cpython-?|python-?)?(3)\.([0-9]+)(?:\.[0-9]+)?(?:[^\d\s]\S*)?$")


@lru_cache(maxsize=1)
def released_minors(today: datetime.date | None = None) -> tuple[str, ...]:
    """Feature releases out by today, oldest first, from data/python_releases.toml."""
    today = today or datetime.date.today()
    return tuple(v for v, date in sorted(_release_dates().items(), key=lambda kv: kv[1]) if date <= today)


def parse_pin(text: str, origin: str) -> str:
    """'3.13', '3.13.1', 'cpython-3.13' or 'python-3.11.7' -> '3.13'."""
    match = PIN_PATTERN.match(text.strip())
    if not match:
        raise InspectError(origin, f"cannot read a CPython version from {text.strip()!r}")
    return f"{match.group(1)}.{match.group(2)}"


SETTING = Origin("pyproject.toml", "[tool.dockergen] python / --python")


class Hint(NamedTuple):
    """A minor the project names without constraining it (classifiers, CI, tox, a compiled file)."""

    origin: str
    minor: str
    compiled: bool = False  # a requirements file compiled with that Python: its pins were chosen for it


def _error(origin: Origin, problem: str) -> InspectError:
    return InspectError(origin.file, f"{origin.key}: {problem}" if origin.key else problem)


def read_pins(
    project: Project, setting: str | None, manager_pins: list[tuple[Origin, str]]
) -> list[tuple[Origin, str]]:
    """The exact minors asked for, most binding first: the setting, .python-version, the
    manager's own pin (Pipfile), runtime.txt."""
    pins = []
    if setting:
        pins.append((SETTING, parse_pin(setting, "pyproject.toml")))
    if project.exists(".python-version"):
        lines = [ln for ln in project.text(".python-version").splitlines() if ln.strip() and not ln.startswith("#")]
        if lines:
            pins.append((Origin(".python-version"), parse_pin(lines[0], ".python-version")))
    pins += manager_pins
    if project.exists("runtime.txt"):
        pins.append((Origin("runtime.txt"), parse_pin(project.text("runtime.txt"), "runtime.txt")))
    return pins


def _predicate(spec: str, origin: Origin) -> Callable[[Version], bool]:
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


def minor_allowed(minor: str, spec: str, origin: Origin) -> bool:
    allows = _predicate(spec, origin)
    return any(allows(Version(f"{minor}.{patch}")) for patch in PATCHES_TRIED)


def choose_python(
    constraints: list[tuple[Origin, str]],
    pins: list[tuple[Origin, str]],
    packages: tuple[LockedPackage, ...] = (),
    hints: list[Hint] | None = None,
    today: datetime.date | None = None,
) -> PythonChoice:
    """The first pin a constraint allows wins (pins come in priority order; one it forbids is an
    error when it is the dockergen setting, else a warning). Otherwise, of the released minors every
    constraint allows: the newest on which every locked package that ships version-specific
    wheels has one; with no such evidence, what the project itself names (hints: a compiled
    requirements header, classifiers, CI, tox); else the newest out for MATURE, since wheels for
    a new CPython take months to appear and a build that compiles them fails or crawls.

    Every constraint must allow the choice, since building for another would fail at install time.
    """
    satisfied = [f"{origin} {spec!r}" for origin, spec in constraints]
    ignored = []
    for origin, version in pins:
        conflict = next((f"{o} is {s!r}" for o, s in constraints if not minor_allowed(version, s, o)), None)
        if conflict and origin == SETTING:
            raise _error(origin, f"asks for Python {version}, but {conflict}")
        if conflict:  # a stale .python-version or runtime.txt: the project's own constraint wins
            ignored.append(f"WARNING {origin} pins {version}, ignored: {conflict}")
            continue
        reasons = [f"{origin} pins {version}"] + [f"allowed by {s}" for s in satisfied] + ignored
        reasons += [f"{o} ({v}) ignored: {origin} comes first" for o, v in pins if v != version and o != origin]
        return PythonChoice(version, tuple(reasons + support_warnings(version, origin, today)))
    choice = _choose_unpinned(constraints, satisfied, packages, hints, today)
    where = constraints[0][0] if constraints else Origin("project")
    warnings = support_warnings(choice.version, where, today)
    return PythonChoice(choice.version, choice.reasons + tuple(ignored + warnings))


def support_warnings(minor: str, origin: Origin, today: datetime.date | None = None) -> list[str]:
    """Whether the chosen minor is out and still supported: a pin can name one that is not out yet
    (no image exists), and an old project's constraints can leave only one past its end of life."""
    today = today or datetime.date.today()
    released, ends = _release_dates().get(minor), _end_of_life().get(minor)
    if released is None or released > today:
        due = f": its first release is due {released}" if released else ""
        return [f"WARNING Python {minor} ({origin}) is not released yet, so no python:{minor} image exists{due}"]
    if ends is not None and ends < today:
        return [
            f"WARNING Python {minor} reached its end of life on {ends}: no security fixes, and its python images are "
            f"no longer updated; move {origin} to a supported Python"
        ]
    return []


def _choose_unpinned(
    constraints: list[tuple[Origin, str]],
    satisfied: list[str],
    packages: tuple[LockedPackage, ...],
    hints: list[Hint] | None,
    today: datetime.date | None,
) -> PythonChoice:
    allowed_by = f"allowed by {' and '.join(satisfied)}" if satisfied else "no Python constraint found"
    candidates = [minor for minor in released_minors() if all(minor_allowed(minor, s, o) for o, s in constraints)]
    if not candidates:
        where = constraints[0][0] if constraints else Origin("project")
        raise _error(where, "no released CPython satisfies " + " and ".join(satisfied))
    binary = [p for p in packages if version_specific(p)]
    if any(p.files for p in binary):
        return _by_recorded_wheels(candidates, binary, allowed_by)
    fit, ruled_out = candidates, ""
    if binary:  # pins without file names: the table keeps the minors they were made for
        missing = {minor: [p.name for p in binary if lacks_wheel(p, minor)] for minor in candidates}
        fewest = min(len(names) for names in missing.values())
        fit = [minor for minor in candidates if len(missing[minor]) == fewest]
        out = [f"{m} ({', '.join(missing[m][:3])})" for m in candidates if m not in fit]
        ruled_out = f"; no wheel of the pinned version for {', '.join(out)} (data/wheel_minors.toml)" if out else ""
    for origin, minor, compiled in hints or []:
        if minor in fit:
            return PythonChoice(minor, (f"the project names it: {origin} ({allowed_by}){ruled_out}",))
        if _key(minor) < _key(fit[0]) and compiled:
            oldest = fit[0]  # pins made for an older Python fit the oldest one offered best
            return PythonChoice(oldest, (f"oldest release offered: {origin} ({allowed_by}){ruled_out}",))
    mature = [m for m in fit if released_on(m) <= (today or datetime.date.today()) - MATURE]
    chosen = (mature or fit)[-1]
    why = f"newest release out for {MATURE.days} days or more ({allowed_by})"
    if chosen != fit[-1]:
        why += f"; {fit[-1]} is newer, but its wheels are still appearing"
    elif not mature:
        why = f"newest released CPython ({allowed_by})"
    return PythonChoice(chosen, (why + ruled_out,))


def _by_recorded_wheels(candidates: list[str], binary: list[LockedPackage], allowed_by: str) -> PythonChoice:
    """The newest minor on which the lock's version-specific packages all have a wheel: the lock's
    file names say so exactly."""
    missing = {minor: [p.name for p in binary if lacks_wheel(p, minor)] for minor in candidates}
    best = min(reversed(candidates), key=lambda minor: len(missing[minor]))
    newer = [m for m in candidates if _key(m) > _key(best)]
    why = f"newest release on which every locked package with version-specific wheels has one ({allowed_by})"
    if missing[best]:
        why = f"fewest locked packages without a wheel ({', '.join(missing[best][:5])}) ({allowed_by})"
    if newer:
        why += "; " + ", ".join(f"{m} lacks {len(missing[m])} ({', '.join(missing[m][:3])})" for m in newer)
    return PythonChoice(best, (why,))


def _key(minor: str) -> tuple[int, int]:
    major, _, rest = minor.partition(".")
    return int(major), int(rest)


def version_specific(package: LockedPackage) -> bool:
    """Whether the package has wheels built for particular CPython versions (cp313-cp313-...):
    such a package compiles from source on a version it has none for. Known from the wheels the
    lock records, or, for a pin with no file names, from data/wheel_minors.toml."""
    if not package.files:
        return _pinned(package) is not None and package.name in wheel_minors()
    return any(
        t.interpreter.startswith("cp3") and t.abi not in ("none", "abi3")
        for filename in package.wheels
        for t in wheel_tags(filename)
    )


def lacks_wheel(package: LockedPackage, minor: str) -> bool:
    if not installed_on(package, minor, "linux/amd64"):
        return False
    if not package.files:
        pin, span = _pinned(package), wheel_minors().get(package.name, {}).get(minor)
        return pin is None or span is None or not span[0] <= pin <= span[1]
    return not has_wheel(package, minor, default_debian(minor), "x86_64")


def _pinned(package: LockedPackage) -> Version | None:
    try:
        return Version(package.version) if package.version else None
    except ValueError:
        return None


@lru_cache(maxsize=1)
def wheel_minors() -> dict[str, dict[str, tuple[Version, Version]]]:
    """package -> minor -> (first, last) release with a manylinux x86_64 wheel for that minor."""
    data = data_toml("wheel_minors.toml")
    return {
        name: {minor: (Version(span[0]), Version(span[1])) for minor, span in table.items()}
        for name, table in data.items()
    }


def released_on(minor: str) -> datetime.date:
    return _release_dates()[minor]


@lru_cache(maxsize=1)
def _release_dates() -> dict[str, datetime.date]:
    return dict(data_toml("python_releases.toml")["releases"])


@lru_cache(maxsize=1)
def _end_of_life() -> dict[str, datetime.date]:
    return dict(data_toml("python_releases.toml")["end-of-life"])


COMPILED_WITH = re.compile(
    r"^#.*(?:autogenerated by pip-compile with Python|--python-version[= ])\s*(3\.[0-9]+)(?!\d)", re.MULTILINE
)
CLASSIFIER = re.compile(r"Programming Language :: Python :: (3\.[0-9]+)\s*$")
CI_PYTHON = re.compile(r"^\s*(?:-\s*)?(?:python-version|python_version|python)\s*:\s*(.+)$", re.MULTILINE)
TOX_ENV = re.compile(r"\bpy3([0-9]{1,2})\b")
MINOR = re.compile(r"\b3\.([0-9]{1,2})\b")


def python_hints(project: Project) -> list[Hint]:
    """Minors the project itself says it runs on, in the order they are trusted: the Python a
    compiled requirements file was made with (its pins fit that one), then each source's newest:
    trove classifiers, the CI workflows' Python versions, tox's envlist."""
    hints: list[Hint] = []
    for name in project.glob("requirements*.txt") + project.glob("requirements/*.txt"):
        header = COMPILED_WITH.search(project.text(name)[:2000])
        if header:
            hints.append(Hint(f"{name}, compiled with Python {header.group(1)}", header.group(1), compiled=True))
            break
    classifiers = project.pyproject_table("project").get("classifiers", [])
    if project.exists("setup.cfg"):
        classifiers = [*classifiers, *project.text("setup.cfg").splitlines()]
    found = [m.group(1) for c in classifiers if isinstance(c, str) and (m := CLASSIFIER.search(c.strip()))]
    if found:
        hints.append(Hint("its trove classifiers", max(found, key=_key)))
    versions = []
    for workflow in project.glob(".github/workflows/*.yml") + project.glob(".github/workflows/*.yaml"):
        for value in CI_PYTHON.findall(project.text(workflow)):
            versions += [f"3.{m}" for m in MINOR.findall(value)]
    if versions:
        hints.append(Hint("its CI workflows", max(versions, key=_key)))
    if project.exists("tox.ini"):
        envs = [f"3.{m}" for m in TOX_ENV.findall(project.text("tox.ini"))]
        if envs:
            hints.append(Hint("tox.ini", max(envs, key=_key)))
    return hints
