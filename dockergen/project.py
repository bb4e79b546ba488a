"""Read access to a project directory, with every failure turned into an InspectError."""

from __future__ import annotations

import errno
import json
import os
import posixpath
import re
import shlex
import stat
import sys
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, overload

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement

from .facts import AssetDir, InspectError, Origin, Requirement
from .options import COMMAND_WORD

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

T = TypeVar("T")
U = TypeVar("U")

MAX_FILE_BYTES = 50 * 1024 * 1024  # a lock this large is not a lock a person committed
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows
NONBLOCK = getattr(os, "O_NONBLOCK", 0)
MAX_NESTING = 64  # tables and arrays; real manifests and locks nest fewer than 10 deep
NESTED_TOO_DEEP = f"nested more than {MAX_NESTING} levels deep"
MAX_KEY_DOTS = 1000  # on one line of TOML (_no_long_dotted_key)
TOML_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')  # a basic or literal string on one line
LEADS_NOWHERE = "cannot read: a symbolic link that leads nowhere (a loop or a missing target)"
# What can never go into a Dockerfile: it would end an instruction or continue it on the next line.
CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")


def normalize(name: str) -> str:
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


class Project:
    """A project directory: cached, validated reads of the files inspectors look at.

    Every file is read here, and only when it resolves inside the project: a name with `..` or an
    absolute one is no file of the project, and a symbolic link that leads out of it (to
    /proc/self/environ, ~/.ssh, another checkout) is refused naming the link, so nothing outside
    the project is read, let alone printed. Links that stay inside are followed. A link found
    while scanning (glob) that leads out is passed over: the build context would hold only the
    link, not what it points to.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._toml: dict[str, dict[str, Any]] = {}

    @cached_property
    def _real_root(self) -> str:
        return os.path.realpath(self.root)

    @staticmethod
    def _named_outside(rel: str) -> bool:
        """Whether the name itself leaves the project: absolute, or `..` past its root."""
        name = posixpath.normpath(rel.replace(os.sep, "/")) if rel else "."
        return name == ".." or name.startswith(("../", "/")) or os.path.isabs(rel)

    def _leads_outside(self, rel: str) -> bool:
        """Whether rel, its links followed, is somewhere outside the project."""
        real = os.path.realpath(self.root / rel)
        return os.path.commonpath([self._real_root, real]) != self._real_root

    def exists(self, rel: str) -> bool:
        """Whether rel is a regular file of the project. A name outside it is not; a link that
        leads outside is (it is in the tree), and reading it is refused."""
        if self._named_outside(rel):
            return False
        path = self.root / rel
        if path.is_symlink() and not path.exists():
            raise InspectError(rel, LEADS_NOWHERE)
        return path.is_file()

    def has_path(self, rel: str) -> bool:
        """Whether rel is a file or a directory of the project; a link that leads outside is refused."""
        if self._named_outside(rel) or not os.path.lexists(self.root / rel):
            return False
        if self._leads_outside(rel):
            raise InspectError(rel, "is a symbolic link that leads outside the project: not read")
        return (self.root / rel).is_file() or (self.root / rel).is_dir()

    def glob(self, pattern: str) -> list[str]:
        found = (p.relative_to(self.root).as_posix() for p in self.root.glob(pattern) if p.is_file())
        return sorted(rel for rel in found if not self._leads_outside(rel))

    def read_bytes(self, rel: str) -> bytes:
        """The bytes of a regular file of the project; an InspectError naming rel for anything else."""
        if self._named_outside(rel):
            raise InspectError(rel, "is outside the project: not read")
        if self._leads_outside(rel):
            raise InspectError(rel, "is a symbolic link that leads outside the project: not read")
        try:
            # The resolved path, its last step not followed: what is read is what was checked.
            # O_NONBLOCK: opening a FIFO must not wait for a writer.
            fd = os.open(os.path.realpath(self.root / rel), os.O_RDONLY | NOFOLLOW | NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise InspectError(rel, LEADS_NOWHERE) from None
            raise InspectError(rel, f"cannot read: {exc.strerror or exc}") from None
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise InspectError(rel, "cannot read: not a regular file")
            if info.st_size > MAX_FILE_BYTES:
                raise InspectError(rel, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
            try:
                return handle.read(MAX_FILE_BYTES + 1)
            except OSError as exc:
                raise InspectError(rel, f"cannot read: {exc.strerror or exc}") from None

    def text(self, rel: str) -> str:
        data = self.read_bytes(rel)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InspectError(rel, f"not valid UTF-8 (byte {exc.start})") from None

    def toml(self, rel: str) -> dict[str, Any]:
        if rel not in self._toml:
            text = self.text(rel)
            _no_long_dotted_key(text, rel)
            try:
                self._toml[rel] = _shallow(tomllib.loads(text), rel, "TOML")
            except tomllib.TOMLDecodeError as exc:
                raise InspectError(rel, f"invalid TOML: {exc}") from None
            except RecursionError:  # the parser recurses once per level
                raise InspectError(rel, f"invalid TOML: {NESTED_TOO_DEEP}") from None
        return self._toml[rel]

    def json(self, rel: str) -> Any:
        try:
            return _shallow(json.loads(self.text(rel)), rel, "JSON")
        except json.JSONDecodeError as exc:
            raise InspectError(rel, f"invalid JSON: {exc}") from None
        except RecursionError:
            raise InspectError(rel, f"invalid JSON: {NESTED_TOO_DEEP}") from None

    @cached_property
    def pyproject(self) -> dict[str, Any] | None:
        return self.toml("pyproject.toml") if self.exists("pyproject.toml") else None

    def pyproject_table(self, *keys: str) -> dict[str, Any]:
        """A nested table of pyproject.toml, {} when absent; an error when it is not a table."""
        table: dict[str, Any] = self.pyproject or {}
        for depth, key in enumerate(keys):
            node = table.get(key, {})
            if not isinstance(node, dict):
                raise InspectError("pyproject.toml", f"[{'.'.join(keys[: depth + 1])}] must be a table")
            table = node
        return table

    @property
    def build_backend(self) -> str | None:
        backend = self.pyproject_table("build-system").get("build-backend")
        if backend is not None and not isinstance(backend, str):
            raise InspectError("pyproject.toml", "build-system.build-backend must be a string")
        return backend

    @property
    def settings(self) -> dict[str, Any]:
        return self.pyproject_table("tool", "dockergen")


def _shallow(document: Any, rel: str, kind: str) -> Any:
    """The parsed document, refused when it nests deeper than MAX_NESTING: the parser may survive
    a depth that the code walking the result (recursively, like json.dumps) would not."""
    todo = [(document, 1)]
    while todo:
        node, depth = todo.pop()
        if depth > MAX_NESTING:
            raise InspectError(rel, f"invalid {kind}: {NESTED_TOO_DEEP}")
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        todo.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return document


def _no_long_dotted_key(text: str, rel: str) -> None:
    """Refuse, unparsed, a line with more dots than any key may have: tomllib's memory grows with
    the square of a dotted key's length (a.a.a... 100,000 times takes tens of GB), and a dotted
    key cannot span lines. Dots inside strings do not count: a lock's line of extras may hold
    thousands (harlequin's poetry.lock: 1,612 in the version ranges of boto3-stubs[all])."""
    if text.count(".") <= MAX_KEY_DOTS:
        return
    for number, line in enumerate(text.split("\n"), 1):
        if line.count(".") > MAX_KEY_DOTS and TOML_STRING.sub("", line).count(".") > MAX_KEY_DOTS:
            raise InspectError(
                rel, f"invalid TOML: line {number} has more than {MAX_KEY_DOTS} dots, a key {NESTED_TOO_DEEP}"
            )


@overload
def expect(value: object, kind: type[T], where: str, what: str) -> T: ...


@overload
def expect(value: object, kind: tuple[type[T], type[U]], where: str, what: str) -> T | U: ...


def expect(value: object, kind: type[Any] | tuple[type[Any], ...], where: str, what: str) -> Any:
    """Return value when it has the expected type, else fail naming the file and the key."""
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        what = what if what.isprintable() else ascii(what)  # keys in `what` come from the file: one line
        raise InspectError(where, f"{what} must be a {names}, not {type(value).__name__}")
    return value


def parse_requirement(text: str, where: str, group: str = "main") -> Requirement:
    try:
        req = PackagingRequirement(text)
    except InvalidRequirement as exc:
        raise InspectError(where, f"invalid requirement {text!r}: {str(exc).splitlines()[0]}") from None
    marker = str(req.marker) if req.marker else None
    return Requirement(normalize(req.name), str(req.specifier), marker, group, tuple(sorted(req.extras)), req.url)


def pep621_requirements(project: Project) -> list[Requirement]:
    """Runtime requirements and dependency groups from PEP 621 [project] and PEP 735."""
    table = project.pyproject_table("project")
    deps = expect(table.get("dependencies", []), list, "pyproject.toml", "project.dependencies")
    reqs = [parse_requirement(expect(d, str, "pyproject.toml", "a dependency"), "pyproject.toml") for d in deps]
    groups = expect(
        (project.pyproject or {}).get("dependency-groups", {}), dict, "pyproject.toml", "[dependency-groups]"
    )
    for group in groups:
        reqs += [parse_requirement(item, "pyproject.toml", group) for item in dependency_group(groups, group)]
    return reqs


def dependency_group(groups: dict[str, Any], name: str, seen: tuple[str, ...] = ()) -> list[str]:
    """A PEP 735 group's requirement strings, with its `{include-group = "..."}` entries replaced
    by what those groups hold (names compared normalized, as the PEP says)."""
    table = {normalize(str(key)): value for key, value in groups.items()}
    key = normalize(name)
    where = "[dependency-groups]"
    if key in seen:
        raise InspectError("pyproject.toml", f"{where} {' -> '.join((*seen, key))}: a group includes itself")
    if key not in table:
        raise InspectError("pyproject.toml", f"{where} {seen[-1]} includes {name!r}, which is not a group")
    out = []
    for item in expect(table[key], list, "pyproject.toml", f"dependency-groups.{name}"):
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and set(item) == {"include-group"} and isinstance(item["include-group"], str):
            out += dependency_group(groups, item["include-group"], (*seen, key))
        else:
            raise InspectError("pyproject.toml", f"{where} {name}: {item!r} is not a requirement or include")
    return out


def script_name(name: str, where: str) -> str:
    """A console script's name, which may become the image's command: one plain word."""
    if not COMMAND_WORD.fullmatch(name):
        raise InspectError(where, f"console script name {name!r} is not a plain command name")
    return name


def pep621_scripts(project: Project) -> dict[str, str]:
    scripts = project.pyproject_table("project").get("scripts", {})
    return {
        script_name(str(k), "pyproject.toml"): str(v)
        for k, v in expect(scripts, dict, "pyproject.toml", "project.scripts").items()
    }


def pep621_name(project: Project) -> str | None:
    name = project.pyproject_table("project").get("name")
    return expect(name, str, "pyproject.toml", "project.name") if name is not None else None


# [project.urls] labels that name the source repository, normalized as the core metadata
# specification's well-known project URLs are (lower case, no punctuation or spaces).
SOURCE_URL_LABELS = ("source", "repository", "sourcecode", "github", "gitlab")


def source_url(project: Project) -> str | None:
    """The repository's URL from [project.urls], for the image's org.opencontainers.image.source."""
    urls = project.pyproject_table("project", "urls")
    by_label = {re.sub(r"[^a-z0-9]", "", str(label).lower()): url for label, url in urls.items()}
    url = next((by_label[label] for label in SOURCE_URL_LABELS if label in by_label), None)
    return url if isinstance(url, str) else None


def requires_python(project: Project) -> list[tuple[Origin, str]]:
    spec = project.pyproject_table("project").get("requires-python")
    if spec is None:
        return []
    return [
        (Origin("pyproject.toml", "requires-python"), expect(spec, str, "pyproject.toml", "project.requires-python"))
    ]


# A PEP 725 DepURL (a PURL or a virtual one): scheme, type and name, qualifiers, no spaces.
DEP_URL = re.compile(r"^[a-z]+:[A-Za-z0-9._~/@%+:=?&,-]{1,300}$")


def external(project: Project) -> dict[str, tuple[str, ...]]:
    """PEP 725 [external]: DepURL lists by key (build-requires, host-requires, dependencies, ...)."""
    table = expect((project.pyproject or {}).get("external", {}), dict, "pyproject.toml", "[external]")
    out = {}
    for key, urls in table.items():
        items = expect(urls, list, "pyproject.toml", f"external.{key}")
        out[key] = tuple(expect(u, str, "pyproject.toml", f"an external.{key} entry") for u in items)
        for url in out[key]:
            if not DEP_URL.fullmatch(url):
                raise InspectError("pyproject.toml", f"external.{key} entry {url!r} is not a DepURL (PEP 725)")
    return out


def data_toml(name: str) -> dict[str, Any]:
    """One of dockergen's own data/*.toml files (callers cache it)."""
    return tomllib.loads(resources.files("dockergen").joinpath(f"data/{name}").read_text())


@lru_cache(maxsize=1)
def _vcs_versions() -> dict[str, Any]:
    return data_toml("vcs_versions.toml")


def build_requires(project: Project) -> tuple[str, ...]:
    """The normalized names of what building the project's wheel installs: [build-system] requires,
    and the dependencies of Hatch build hooks (which hatchling installs for the build)."""
    requires = list(
        expect(
            project.pyproject_table("build-system").get("requires", []), list, "pyproject.toml", "build-system.requires"
        )
    )
    hooks = [project.pyproject_table("tool", "hatch", "build", "hooks")]
    hooks += [project.pyproject_table("tool", "hatch", "build", "targets", "wheel", "hooks")]
    for table in hooks:
        for hook in table.values():
            if isinstance(hook, dict) and isinstance(hook.get("dependencies"), list):
                requires += hook["dependencies"]
    names = (re.split(r"[\s<>=!~;\[(@]", item, maxsplit=1)[0] for item in requires if isinstance(item, str))
    return tuple(normalize(name) for name in names if name)


def version_variable(project: Project) -> str | None:
    """The variable the build backend reads the version from when git is not there
    (data/vcs_versions.toml), or None when the version does not come from git."""
    data = _vcs_versions()
    plugins: dict[str, dict[str, str]] = data["requires"]
    for name in build_requires(project):
        if name in plugins:
            return plugins[name]["variable"]
    if project.pyproject_table("tool", "pdm", "version").get("source") == "scm":
        pdm_scm: dict[str, str] = data["pdm-scm"]
        return pdm_scm["variable"]
    return None


def group_names(reqs: list[Requirement]) -> list[str]:
    return sorted({r.group for r in reqs if r.group != "main"})


# Directory names that mean an app's own state when a project's .gitignore names them at its root;
# var/, instance/ and tmp/ are left out: GitHub's Python template ignores them in every project.
STATE_DIRS = ("data", "log", "logs", "media", "uploads")


def state_dirs(project: Project) -> tuple[str, ...]:
    """The app keeps state in these directories of its tree: it writes them, git ignores them."""
    if not project.exists(".gitignore"):
        return ()
    names = {line.strip().strip("/") for line in project.text(".gitignore").splitlines()}
    return tuple(name for name in STATE_DIRS if name in names)


# Root directories no image needs: test suites and documentation.
UNNEEDED_DIRS = ("tests", "test", "docs", "doc")
BUILD_FILES = ("pyproject.toml", "setup.py", "setup.cfg", "MANIFEST.in", "hatch.toml", "Procfile")


def unneeded_dirs(project: Project) -> tuple[str, ...]:
    """The test and documentation directories at the root that no build file names (a readme or
    licence in docs/, data files, a test runner as the command): the build context leaves them
    out, so the image does not carry them (one real app copied 42 MB of tests)."""
    named = " ".join(project.text(f) for f in BUILD_FILES if project.exists(f))
    return tuple(
        d
        for d in UNNEEDED_DIRS
        if (project.root / d).is_dir() and not (project.root / d).is_symlink() and f"{d}/" not in named
    )


# Directories whose names say they hold what changes less often than the code: static files and
# vendored libraries, templates, translations. An app directory gives the large ones layers of
# their own (plan.plan_app_layers). media/ is not one: it is the app's state (STATE_DIRS).
ASSET_NAMES = frozenset(
    ("static", "staticfiles", "assets", "public", "vendor", "templates", "locale", "locales", "translations")
)
ASSET_DEPTH = 4  # how deep one is looked for: static, blog/static, src/app/static, apps/shop/templates
ASSET_SUBDEPTH = 2  # its subdirectories this far down are sized too: static/img, blog/static/blog/img
ASSET_MIN_BYTES = 500_000  # a subdirectory smaller than this never gets a layer: not recorded
MAX_TREE_ENTRIES = 50_000  # directory entries looked at: a larger tree is sized in part, the same part each time
MAX_TREE_DEPTH = 32  # below an asset directory: deeper files are not counted
# Never searched: environments, dependencies and caches, which the .dockerignore leaves out too.
TREE_SKIP = frozenset(
    (".git", ".hg", ".svn", ".venv", "venv", ".virtualenvs", "node_modules", "__pycache__", "site-packages", ".tox")
)
ROOT_SKIP = ("build", "dist")  # left out of the context at the root only
ABSOLUTE_PATTERN = re.compile(r"^/(?!.*\.\.)[A-Za-z0-9_*][A-Za-z0-9._/+*-]*$")  # a path (or * pattern) of app layers


def asset_dirs(project: Project, skip: tuple[str, ...] = ()) -> tuple[AssetDir, ...]:
    """The directories of the tree named for static files, templates, translations or vendored
    code (ASSET_NAMES, at most ASSET_DEPTH deep, not one inside another), each with the bytes of
    the files below it, and their subdirectories (ASSET_SUBDEPTH levels down) that hold at least
    ASSET_MIN_BYTES. Root directories in skip (tests, docs, state) and what the .dockerignore
    leaves out are not searched. Only names are listed and sizes read (lstat): no file is opened
    and no link followed. The walk looks at MAX_TREE_ENTRIES entries at most, in sorted order,
    so a huge tree gives the same answer each time."""
    budget = [MAX_TREE_ENTRIES]
    found: list[AssetDir] = []

    def listing(path: str) -> list[os.DirEntry[str]]:
        if budget[0] <= 0:
            return []
        try:
            with os.scandir(path) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)[: budget[0]]
        except OSError:
            return []
        budget[0] -= len(entries)
        return entries

    def is_dir(entry: os.DirEntry[str]) -> bool:
        try:
            return entry.is_dir(follow_symlinks=False)
        except OSError:
            return False

    def size(path: str, rel: str, depth: int) -> int:
        total, subdirs = 0, []
        for entry in listing(path):
            if is_dir(entry):
                if entry.name in TREE_SKIP or depth >= MAX_TREE_DEPTH:
                    continue
                inner = size(entry.path, f"{rel}/{entry.name}", depth + 1)
                if depth < ASSET_SUBDEPTH and inner >= ASSET_MIN_BYTES:
                    subdirs.append(AssetDir(f"{rel}/{entry.name}", inner, False))
                total += inner
            elif not entry.name.endswith((".pyc", ".pyo", ".pyd")):
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                total += info.st_size if stat.S_ISREG(info.st_mode) else 0
        found.extend(subdirs)
        return total

    def search(path: str, rel: str, depth: int) -> None:
        for entry in listing(path):
            name = entry.name
            if not is_dir(entry) or name in TREE_SKIP or name.startswith("."):
                continue
            if not rel and (name in skip or name in ROOT_SKIP):
                continue
            child = f"{rel}/{name}" if rel else name
            if name in ASSET_NAMES:
                found.append(AssetDir(child, size(entry.path, child, 0), True))
            elif depth + 1 < ASSET_DEPTH:
                search(entry.path, child, depth + 1)

    search(str(project.root), "", 0)
    return tuple(sorted(found, key=lambda d: d.path))


def previous_app_parts(project: Project) -> tuple[tuple[str, ...], ...]:
    """The parts the project's Dockerfile (one dockergen wrote) splits the app directory into, from
    its split_app.py line, so that a directory near the size threshold keeps the layer it has
    (plan.plan_app_layers). A Dockerfile that cannot be read, or has no such line, has none."""
    try:
        if not project.exists("Dockerfile"):
            return ()
        text = project.read_bytes("Dockerfile").decode("utf-8", errors="replace")
    except InspectError:
        return ()
    for line in text.replace("\\\n", " ").splitlines():
        if "/tmp/split_app.py /app-layers " not in line:
            continue
        try:
            words = shlex.split(line)
        except ValueError:
            return ()
        at = words.index("/tmp/split_app.py") if "/tmp/split_app.py" in words else len(words)
        parts = [tuple(arg.split(":")) for arg in words[at + 4 :]]  # after OUT OWNER ROOT
        return tuple(part for part in parts if all(ABSOLUTE_PATTERN.fullmatch(path) for path in part))
    return ()


# Build requirements that mean the project compiles extension modules of its own.
EXTENSION_BUILDERS = (
    "cython", "pybind11", "nanobind", "scikit-build-core", "scikit-build", "meson-python", "maturin",
    "setuptools-rust", "cffi", "mypy",
)  # fmt: skip


def compiles_extensions(project: Project) -> bool:
    """Whether the project's own wheel has compiled modules: a build requirement that compiles, or
    a setup.py that declares extensions. Its modules are then scanned for the libraries they link."""
    if any(name in EXTENSION_BUILDERS for name in build_requires(project)):
        return True
    return (
        project.exists("setup.py") and re.search(r"\b(Extension|ext_modules)\b", project.text("setup.py")) is not None
    )
