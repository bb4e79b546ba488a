"""Plain, typed facts about a project: what the inspectors produce and the planner reads.

Nothing here decides anything about the Dockerfile; it only records what the project's own
files say, with the reason each fact was chosen where there was a choice.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:  # options.py imports InspectError from here
    from .options import Settings

# Where a command comes from (entrypoint.py); "none": nothing found, and the plan runs `python`.
EntrypointKind = Literal[
    "setting", "procfile", "django", "asgi", "wsgi", "streamlit", "script", "module", "file", "none"
]
# The userinfo of a URL runs to the last @ before the path: a password may hold an @ of its own.
USERINFO = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]*://)([^/?#\s]*)@")
VARIABLE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")


def redact(text: str) -> str:
    """The text with the user and password of every URL in it replaced by ***: facts, summaries
    and errors are printed, and never need them."""
    return USERINFO.sub(r"\1***@", text)


def written_credentials(url: str) -> bool:
    """Whether the URL carries a user or token written out, rather than ${VARIABLE}s that the
    installer fills in from the environment: a file holding one must not reach the image."""
    match = USERINFO.search(url)
    if match is None:
        return False
    user, colon, password = match.group(2).partition(":")
    return bool(VARIABLE.sub("", password if colon else user))  # a user name beside a password is no secret


class Origin(NamedTuple):
    """Where a Python constraint or pin was read: the file, and the key in it ('' for the whole
    file). Errors name the file; reasons print the two as one label."""

    file: str
    key: str = ""

    def __str__(self) -> str:
        return self.key if self.key.startswith("[") else f"{self.file} {self.key}".rstrip()


def printable(text: str) -> str:
    """text with every character that is not printable (control characters, escapes, line and
    paragraph separators, bidi overrides) shown as a Python escape: names and values come from
    files dockergen did not write, and must neither forge a line nor drive the terminal."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


class InspectError(Exception):
    """A project file could not be read; the message names the file and the problem.

    The message is printable() (one line, no terminal escapes) and redacted (no credentials of a
    URL), whatever the path or the values quoted into the problem hold: this is the one place
    error lines are made safe to print.
    """

    def __init__(self, path: str, problem: str) -> None:
        path, problem = redact(path), redact(problem)
        super().__init__(printable(f"{path}: {problem}"))
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class Source:
    """Where a locked package comes from."""

    kind: str  # registry | git | path | directory | editable | workspace | url
    url: str | None = None
    secret: bool = False  # the project's file writes a user or token in the URL

    def __post_init__(self) -> None:
        if self.url:
            object.__setattr__(self, "secret", self.secret or written_credentials(self.url))
            object.__setattr__(self, "url", redact(self.url))


@dataclass(frozen=True)
class LockedPackage:
    """One package pinned by the lock (or by a pinned requirement line)."""

    name: str  # PEP 503 normalised
    version: str | None
    groups: tuple[str, ...] = ("main",)
    marker: str | None = None
    source: Source = Source("registry")
    files: tuple[str, ...] = ()  # wheel and sdist file names the lock records
    hashed: bool = False  # the lock records at least one hash for it
    sizes: tuple[int, ...] = ()  # bytes of each of files, where the lock records them (uv.lock); 0 unknown

    @property
    def wheels(self) -> tuple[str, ...]:
        return tuple(f for f in self.files if f.endswith(".whl"))


@dataclass(frozen=True)
class Requirement:
    """A dependency the manifest declares (not pinned)."""

    name: str
    specifier: str = ""
    marker: str | None = None
    group: str = "main"
    extras: tuple[str, ...] = ()
    url: str | None = None  # a direct reference (name @ url): installed from there, never by name
    secret: bool = False  # the project's file writes a user or token in that URL

    def __post_init__(self) -> None:
        if self.url:
            object.__setattr__(self, "secret", self.secret or written_credentials(self.url))
            object.__setattr__(self, "url", redact(self.url))


@dataclass(frozen=True)
class Index:
    """A package index other than PyPI that the project names."""

    name: str
    url: str  # redacted: the install reads the project's own file, which keeps any credentials
    explicit: bool = False  # only used for packages that name it
    credentials: bool = False  # the project's file puts a user, token or ${VARIABLE} in the URL
    secret: bool = False  # of which a user or token written out (not a variable)

    def __post_init__(self) -> None:
        url = redact(self.url)
        object.__setattr__(self, "name", redact(self.name))  # an index without a name is named by its URL
        if url != self.url:
            object.__setattr__(self, "secret", self.secret or written_credentials(self.url))
            object.__setattr__(self, "url", url)
            object.__setattr__(self, "credentials", True)


@dataclass(frozen=True)
class PythonChoice:
    version: str  # "3.13"
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Entrypoint:
    command: tuple[str, ...]  # exec form
    kind: EntrypointKind
    reason: str
    port: int | None = None
    import_root: str = ""  # "src": the command imports a module from src/, which an app directory must put on sys.path
    shell: bool = False  # ("sh", "-c", line): a Procfile command with shell syntax, run as Heroku runs it
    source: str = "pyproject.toml"  # the file to change when the command is wrong (the setting, or the Procfile)
    dev_server: str = ""  # the framework's development server serves the app: the production server to add


@dataclass(frozen=True)
class EnvRead:
    """An environment variable the app's settings read (buildsteps.py), and where."""

    name: str
    file: str
    line: int  # 0: not a line of code (manage.py naming no settings module)
    how: str  # as written: 'os.environ["SECRET_KEY"]', 'env.db()'
    required: bool  # the read fails when it is unset; False: read with no default, None when unset
    kind: str = "str"  # what the value is parsed as: str, int, bool, db, cache, email, url, path, module...


@dataclass(frozen=True)
class DjangoFacts:
    """What a Django project's settings say, read as syntax trees (never imported)."""

    settings_module: str | None  # None: manage.py names none and no `env` setting does
    settings_source: str  # "manage.py" or "[tool.dockergen] env"
    settings_files: tuple[str, ...]  # the module's file and those it star-imports, base first
    staticfiles: bool  # 'django.contrib.staticfiles' is named in them
    static_root: str | None  # the STATIC_ROOT expression as written; None: not set (or None)
    static_root_path: str | None  # an absolute path outside the tree, when STATIC_ROOT is a literal one
    static_root_env: str | None  # STATIC_ROOT comes from this required variable: only known at run time
    static_root_file: str = ""  # where STATIC_ROOT is set
    static_root_dir: str | None = None  # STATIC_ROOT as a directory of the tree ("staticfiles"), when it is one
    dev_modules: tuple[tuple[str, str], ...] = ()  # (module, file): the settings use a package locked for dev only


@dataclass(frozen=True)
class Translations:
    """The project's gettext catalogs (.po files) and how it compiles them."""

    po_files: int
    compiled: bool  # every .po has its .mo beside it in the tree
    tool: Literal["django", "babel", "script", "none"]  # compilemessages, pybabel compile, a script of its own
    catalogs: tuple[tuple[str, str], ...]  # Babel: (directory, domain)
    script: str  # a task-runner script that looks like it compiles them: "Pipfile [scripts] compile_locales"
    file: str  # one of the .po files


@dataclass(frozen=True)
class AssetDir:
    """A directory of the tree whose files change less often than the code (static files,
    templates, translations, vendored libraries), found by its name (project.asset_dirs), or a
    large subdirectory of one, with the bytes of the files below it."""

    path: str  # from the root: "static", "blog/static/blog/img"
    size: int  # bytes of the regular files below it (links not followed)
    named: bool  # its own name says what it holds; False: a subdirectory of such a directory


@dataclass
class ManagerFacts:
    """What one package-manager inspector reads; the common parts are added afterwards."""

    name: str | None = None
    installable: bool = False
    build_backend: str | None = None
    lock_file: str | None = None
    lock_present: bool = False
    lock_consistent: bool | None = None  # None: the format does not let us tell
    lock_note: str = ""
    inputs: list[str] = field(default_factory=list)  # files the dependency install needs
    install_files: list[str] = field(default_factory=list)  # what `pip install -r` reads, when not the lock itself
    requirements: list[Requirement] = field(default_factory=list)
    packages: list[LockedPackage] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # non-default groups the manifest declares
    indexes: list[Index] = field(default_factory=list)
    python_constraints: list[tuple[Origin, str]] = field(default_factory=list)  # (origin, spec)
    python_pins: list[tuple[Origin, str]] = field(default_factory=list)  # (origin, "3.11")
    scripts: dict[str, str] = field(default_factory=dict)
    workspace_members: list[str] = field(default_factory=list)
    project_line: str | None = None  # the main requirements file installs the project itself: '-e .', '.[x]'
    local_paths: list[tuple[str, str]] = field(default_factory=list)  # (requirements file, other path in the tree)
    path_packages: list[tuple[str, str]] = field(default_factory=list)  # (name, directory) the lock installs from
    notes: list[str] = field(default_factory=list)  # what the inspector could not read, for `inspect`
    unusable: str = ""  # why the lock cannot install in a Linux image at all: another source of truth wins
    export_problem: str = ""  # why the manager's export of this lock fails: its own installer installs it
    own_entry: str | None = None  # the lock's entry for the project itself (from '.'): left to the project stage

    def locked_directories(self, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
        """(name, directory) of the runtime packages the lock installs from the project tree, other
        than the project and its workspace members."""
        found = []
        for package in self.packages:
            path = posixpath.normpath(package.source.url) if package.source.url else "."
            if package.source.kind in kinds and "main" in package.groups and path not in (".", *self.workspace_members):
                found.append((package.name, path))
        return found


@dataclass(frozen=True)
class ProjectFacts:
    """Everything later stages plan from."""

    root: str
    name: str
    manager: str
    manager_reason: str
    installable: bool
    build_backend: str | None
    lock_file: str | None  # None: no lock, or the manager's lock is missing
    lock_consistent: bool | None
    lock_note: str
    inputs: tuple[str, ...]
    python: PythonChoice
    requirements: tuple[Requirement, ...]
    packages: tuple[LockedPackage, ...]
    groups: tuple[str, ...]
    indexes: tuple[Index, ...]
    scripts: dict[str, str]
    workspace_members: tuple[str, ...]
    entrypoint: Entrypoint | None
    settings: Settings
    entrypoint_candidates: tuple[Entrypoint, ...] = ()  # every command seen, in precedence order
    external: dict[str, tuple[str, ...]] = field(default_factory=dict)  # PEP 725 [external]
    project_line: str | None = None  # the main requirements file installs the project itself: '-e .', '.[x]'
    install_files: tuple[str, ...] = ()  # what `pip install -r` reads, when not the lock itself
    local_paths: tuple[tuple[str, str], ...] = ()  # (requirements file, other path installed from the tree)
    version_variable: str | None = None  # the version comes from git: the build backend reads this instead
    build_requires: tuple[str, ...] = ()  # [build-system] requires, normalized names
    compiles_extensions: bool = False  # the project's own wheel has compiled modules
    state_dirs: tuple[str, ...] = ()  # root directories the .gitignore names as the app's own state (data, logs)
    unneeded_dirs: tuple[str, ...] = ()  # root test and docs directories no build file names
    path_packages: tuple[tuple[str, str], ...] = ()  # (name, directory): runtime packages locked from the tree
    export_problem: str = ""  # why the manager's export of this lock fails: its own installer installs it
    own_entry: str | None = None  # the lock's entry for the project itself (from '.'): left to the project stage
    django: DjangoFacts | None = None  # manage.py at the root
    translations: Translations | None = None  # .po catalogs in the tree
    env_reads: tuple[EnvRead, ...] = ()  # variables the Django settings read with no default
    code_env_reads: tuple[EnvRead, ...] = ()  # variables the app's own modules read (compose.yaml wires them)
    asset_dirs: tuple[AssetDir, ...] = ()  # static files, templates...: may get layers of their own
    package: str | None = None  # the workspace member built (--package), normalized; None: the project itself
    package_dir: str | None = None  # that member's directory, from the workspace root (the build context)
    package_reason: str = ""  # why that member: the setting, or dockergen was run from inside it
    previous_app_parts: tuple[tuple[str, ...], ...] = ()  # the app layers the Dockerfile in the tree has
    source_url: str | None = None  # [project.urls] Source or Repository: the image's source label
    notes: tuple[str, ...] = ()

    @property
    def run_env(self) -> tuple[EnvRead, ...]:
        """What the app needs at run time: required variables the `env` setting gives no default."""
        given = self.settings.get("env", {})
        return tuple(r for r in self.env_reads if r.required and r.name not in given)

    @property
    def runtime_packages(self) -> tuple[LockedPackage, ...]:
        return tuple(p for p in self.packages if "main" in p.groups)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["schema"] = 2
        data["run_env"] = [asdict(read) for read in self.run_env]
        return data
