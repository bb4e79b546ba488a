"""Native system dependencies: which locked packages must be compiled, and what Debian packages
the builder and the runner need for them.

A package pulls build-time packages only when no wheel the lock records fits the target CPython
and platforms; run-time packages follow from data/native_deps.toml. Locks that record no files
(Pipfile.lock, requirements.txt) fall back to the table's `sdist-only` flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from .facts import LockedPackage
from .project import data_toml

# glibc of each Debian release decides which manylinux wheels it can run.
GLIBC = {"bookworm": (2, 36), "trixie": (2, 41)}
ARCHES = {"linux/amd64": "x86_64", "linux/arm64": "aarch64"}
DEFAULT_PLATFORMS = ("linux/amd64", "linux/arm64")


@dataclass(frozen=True)
class NativeNeed:
    package: str
    version: str | None
    built: bool  # compiled from its sdist in the builder
    build: tuple[str, ...]
    run: tuple[str, ...]  # installed in the runner as named (dlopen'd libraries, programs it runs)
    reason: str
    linked: tuple[str, ...] = ()  # what its compiled modules should link against: ldd finds them at build time
    maybe: bool = False  # the lock records no files: it may compile, so its build packages are made ready

    def describe(self) -> str:
        parts = []
        if self.build:
            parts.append("build: " + " ".join(self.build))
        if self.run:
            parts.append("run: " + " ".join(self.run))
        if self.linked:
            parts.append("run: what it links against, found by ldd at build time (" + " ".join(self.linked) + ")")
        return f"{self.package} {self.version or ''}: {self.reason} -> {'; '.join(parts) or 'nothing'}".replace(
            "  ", " "
        )


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    return data_toml("native_deps.toml")


@lru_cache(maxsize=1)
def external_table() -> dict[str, Any]:
    return data_toml("external_deps.toml")


EXTERNAL_ROLES = {"build-requires": ("build",), "host-requires": ("build", "run"), "dependencies": ("run",)}


def depurl_key(url: str) -> str:
    """'dep:virtual/compiler/c@>=9' or 'pkg:generic/openssl' -> 'virtual/compiler/c' / 'generic/openssl'."""
    body = url.split(":", 1)[1] if ":" in url else url
    return body.split("@", 1)[0].split("?", 1)[0].strip().lower()


def external_needs(external: dict[str, tuple[str, ...]], debian: str) -> tuple[list[NativeNeed], list[str]]:
    """PEP 725 [external] of the project itself, mapped to Debian packages where known."""
    needs, unknown = [], []
    for role, roles in EXTERNAL_ROLES.items():
        for url in external.get(role, ()):
            entry = external_table().get(depurl_key(url))
            if entry is None:
                unknown.append(url)
                continue
            lists = _entry_lists(entry, debian)
            build = tuple(lists["build"]) if "build" in roles else ()
            run = tuple(lists["run"]) if "run" in roles else ()
            needs.append(NativeNeed(url, None, bool(build), build, run, f"PEP 725 [external] {role}"))
    return needs, unknown


@lru_cache(maxsize=16)
def target_tags(python: str, debian: str, arch: str) -> frozenset[Tag]:
    major, minor = (int(x) for x in python.split("."))
    glibc_major, glibc_minor = GLIBC[debian]
    platforms = [f"manylinux_{glibc_major}_{m}_{arch}" for m in range(glibc_minor, 4, -1)]
    platforms += [f"manylinux2014_{arch}"] + (
        [f"manylinux2010_{arch}", f"manylinux1_{arch}"] if arch == "x86_64" else []
    )
    tags = set(cpython_tags((major, minor), platforms=platforms))
    tags |= set(compatible_tags((major, minor), f"cp{major}{minor}", platforms))
    return frozenset(tags)


@lru_cache(maxsize=8192)
def wheel_tags(filename: str) -> frozenset[Tag]:
    """A wheel file name's tags (none for a name that is not a wheel's), parsed once: the Python
    choice asks about the same files for every candidate minor. A name taken from a URL may be
    percent-encoded (PyTorch's index: torch-2.8.0%2Bcu128-...whl)."""
    try:
        return parse_wheel_filename(unquote(filename))[3]
    except InvalidWheelFilename:
        return frozenset()


def default_debian(python: str) -> str:
    """The Debian release the python images of a CPython minor are built on by default: 3.13 and
    later on Debian 13 (trixie); earlier ones on Debian 12 (bookworm), whose own Python is 3.11."""
    return "trixie" if tuple(int(x) for x in python.split(".")) >= (3, 13) else "bookworm"


def best_wheel(package: LockedPackage, python: str, debian: str, arch: str) -> str | None:
    """A wheel the lock records that installs on this CPython and platform, if any."""
    wanted = target_tags(python, debian, arch)
    return next((filename for filename in package.wheels if wheel_tags(filename) & wanted), None)


def has_wheel(package: LockedPackage, python: str, debian: str, arch: str) -> bool:
    return best_wheel(package, python, debian, arch) is not None


def wheel_bytes(package: LockedPackage, python: str, debian: str, arch: str = "x86_64") -> int:
    """Download size of the wheel that would install, where the lock records sizes; else 0."""
    filename = best_wheel(package, python, debian, arch)
    if filename is None or not package.sizes:
        return 0
    return dict(zip(package.files, package.sizes)).get(filename, 0)


def _entry_lists(entry: dict[str, Any], debian: str) -> dict[str, list[str]]:
    lists = {key: list(entry.get(key, [])) for key in ("build", "run", "run-always")}
    override = entry.get(debian, {})
    lists.update({key: list(value) for key, value in override.items() if key in lists})
    return lists


def installed_on(package: LockedPackage, python: str, platform: str) -> bool:
    """Whether the package's marker lets it install on linux/<arch> with this CPython.

    A marker that names something only a resolver knows (extras, groups) counts as true."""
    if not package.marker:
        return True
    environment = {
        "platform_machine": ARCHES[platform],
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "python_version": python,
        "python_full_version": f"{python}.0",
    }
    try:
        return Marker(package.marker).evaluate(environment)
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return True


def must_build(package: LockedPackage, python: str, debian: str, platforms: tuple[str, ...]) -> tuple[bool, str]:
    """Whether the builder compiles this package from its sdist, and why."""
    entry = table().get(package.name, {})
    platforms = tuple(p for p in platforms if installed_on(package, python, p))
    if not platforms:
        return False, "its marker excludes every target platform"
    if package.source.kind in ("git", "path", "directory", "url"):
        return True, f"installed from {package.source.kind} source"
    if not package.files:
        if entry.get("sdist-only"):
            return True, "the lock records no files and PyPI publishes no Linux wheels for it"
        return False, "the lock records no files; assuming a wheel exists"
    missing = [p for p in platforms if not has_wheel(package, python, debian, ARCHES[p])]
    if not missing:
        return False, "a wheel fits every target platform"
    cp = "cp" + python.replace(".", "")
    return True, f"no wheel for {cp} {' '.join(ARCHES[p] for p in missing)}"


def covered_platforms(packages: tuple[LockedPackage, ...], platforms: tuple[str, ...]) -> tuple[str, ...]:
    """The target platforms the lock speaks for.

    Universal locks (uv, poetry, pdm) record wheels for every architecture; `pip lock` and other
    single-platform locks record only the one they were made on. A lock with no wheel at all for
    an architecture says nothing about PyPI's wheels for it, so that architecture is not judged.
    """
    arch_wheels = {arch: False for arch in ARCHES.values()}
    any_platform_wheel = False
    for package in packages:
        for wheel in package.wheels:
            if "linux" in wheel:
                any_platform_wheel = True
                for arch in arch_wheels:
                    arch_wheels[arch] |= arch in wheel
    if not any_platform_wheel:
        return platforms
    return tuple(p for p in platforms if arch_wheels[ARCHES[p]])


def native_needs(
    packages: tuple[LockedPackage, ...], python: str, debian: str, platforms: tuple[str, ...] = DEFAULT_PLATFORMS
) -> list[NativeNeed]:
    platforms = covered_platforms(packages, platforms)
    needs = []
    for package in packages:
        if not any(installed_on(package, python, p) for p in platforms):
            continue
        built, reason = must_build(package, python, debian, platforms)
        entry = table().get(package.name)
        if entry is None:
            if built and package.source.kind == "registry" and package.files:
                needs.append(_unknown_build(package, reason))
            continue
        lists = _entry_lists(entry, debian)
        maybe = not built and not package.files and bool(lists["build"]) and package.source.kind == "registry"
        build = tuple(lists["build"]) if built or maybe else ()
        run = tuple(lists["run-always"])
        linked = tuple(lists["run"]) if built or maybe else ()
        if maybe:
            reason = "the lock records no files, so whether a wheel fits is not known: it may compile (--online checks)"
        if build or run or maybe:
            needs.append(NativeNeed(package.name, package.version, built, build, run, reason, linked, maybe))
    return needs


def _unknown_build(package: LockedPackage, reason: str) -> NativeNeed:
    """A package the table does not know, compiled from its sdist. With a wheel for some platform
    it has compiled modules: a compiler, and a warning. With no wheel, or only wheels for any
    platform (langdetect's py2-none-any), it is pure Python, published as an sdist for the target
    (packages with C extensions ship platform wheels, or are in the table): it builds with Python
    alone, in the slim builder."""
    if any(tag.platform != "any" for wheel in package.wheels for tag in wheel_tags(wheel)):
        why = reason + " (not in the table: a compiler only)"
        return NativeNeed(package.name, package.version, True, ("gcc",), (), why)
    return NativeNeed(
        package.name,
        package.version,
        True,
        (),
        (),
        "pure Python (no platform wheel), not in the native table: its sdist builds with no compiler "
        '(if it compiles, add its packages to [tool.dockergen.apt] build, e.g. ["gcc"])',
    )


def build_system_needs(requires: tuple[str, ...], debian: str) -> list[NativeNeed]:
    """What building the project's own wheel needs: its [build-system] requirements' build lists
    (a plugin that runs npm, say), since that wheel is always built from source."""
    needs = []
    for name in requires:
        entry = table().get(name)
        build = tuple(_entry_lists(entry, debian)["build"]) if entry else ()
        if build:
            needs.append(NativeNeed(name, None, True, build, (), "a [build-system] requirement of the project"))
    return needs
