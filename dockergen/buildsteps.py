"""What a project's code says it needs at build time and at run time, read without running it.

Django: the settings module (from manage.py, or the `env` setting), whether it installs
django.contrib.staticfiles and sets STATIC_ROOT (then `collectstatic` belongs in the build), and
the environment variables the settings read with no default (os.environ["X"], django-environ's
env("X"), python-decouple's config("X")): the app cannot start without them. Translations: `.po`
catalogs, and how the project compiles them (Django's compilemessages, Babel's compile, a script
of its own). Everything here parses files with `ast` or reads them as text: project code is never
imported or run while inspecting.
"""

from __future__ import annotations

import ast
import configparser
import os
import posixpath
import re
from collections.abc import Set as AbstractSet

from .facts import DjangoFacts, EnvRead, InspectError, Translations
from .project import Project

DJANGO_SETTINGS = re.compile(r"""DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']""")
MODULE = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
MAX_SETTINGS_FILES = 16
# django-environ's readers: the variable each reads when given none, and the value type.
ENVIRON_READERS = {
    "str": (None, "str"), "bool": (None, "bool"), "int": (None, "int"), "float": (None, "float"),
    "json": (None, "json"), "list": (None, "str"), "tuple": (None, "str"), "dict": (None, "str"),
    "url": (None, "url"), "path": (None, "path"), "bytes": (None, "str"),
    "db": ("DATABASE_URL", "db"), "db_url": ("DATABASE_URL", "db"),
    "cache": ("CACHE_URL", "cache"), "cache_url": ("CACHE_URL", "cache"),
    "email": ("EMAIL_URL", "email"), "email_url": ("EMAIL_URL", "email"),
    "search_url": ("SEARCH_URL", "search"),
}  # fmt: skip
CASTS = {"int": "int", "bool": "bool", "float": "float", "db_url": "db", "parse": "db"}
# Directories never searched for catalogs: environments, dependencies, VCS data, build output.
SKIP_DIRS = {".git", ".hg", ".venv", "venv", "node_modules", "site-packages", "__pycache__", ".tox", "build", "dist"}
MAX_WALK = 20000  # directory entries looked at when searching the tree for .po files
# Task runners' tables where a project names the command that compiles its catalogs.
COMPILE_SCRIPT = re.compile(r"^(compile[_-]?(locales?|messages|catalogs?|translations?|i18n)|compilemessages)$")


def settings_module(project: Project, env: dict[str, str]) -> tuple[str | None, str]:
    """The Django settings module and where it was found: manage.py's default, else the `env`
    setting's DJANGO_SETTINGS_MODULE; (None, "") when neither names one."""
    match = DJANGO_SETTINGS.search(project.text("manage.py"))
    if match:
        if not MODULE.fullmatch(match.group(1)):  # '..etc.passwd' would name a file outside the project
            raise InspectError("manage.py", f"DJANGO_SETTINGS_MODULE {match.group(1)!r} is not a Python module path")
        return match.group(1), "manage.py"
    module = env.get("DJANGO_SETTINGS_MODULE")
    if module and MODULE.fullmatch(module):
        return module, "[tool.dockergen] env"
    return None, ""


def module_file(project: Project, module: str) -> str | None:
    base = module.replace(".", "/")
    for candidate in (f"{base}.py", f"{base}/__init__.py"):
        if project.exists(candidate):
            return candidate
    return None


def _parse(project: Project, path: str) -> ast.Module | None:
    """The file's syntax tree, or None when this Python cannot parse it (newer syntax)."""
    try:
        return ast.parse(project.text(path), filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # nesting deeper than the parser allows
        return None


def _star_imports(tree: ast.Module, module: str, is_package: bool) -> list[str]:
    """Modules a settings module takes everything from (`from .base import *`), in order."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            if node.level:
                parts = module.split(".")
                package = parts if is_package else parts[:-1]
                package = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = ".".join([*package, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target and MODULE.fullmatch(target):
                found.append(target)
    return found


def settings_files(project: Project, module: str) -> list[tuple[str, ast.Module]]:
    """The settings module's file and those it star-imports, base first, each read once."""
    out: list[tuple[str, ast.Module]] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        path = module_file(project, name)
        if path is None or path in seen or len(seen) >= MAX_SETTINGS_FILES:
            return
        seen.add(path)
        tree = _parse(project, path)
        if tree is None:
            return
        for imported in _star_imports(tree, name, path.endswith("__init__.py")):
            visit(imported)
        out.append((path, tree))

    visit(module)
    return out


class _EnvReads(ast.NodeVisitor):
    """Environment variables one file reads, and whether each is required (no default)."""

    def __init__(self, path: str, tree: ast.Module) -> None:
        self.path = path
        self.reads: list[EnvRead] = []
        self.guarded: set[str] = set()  # names tested with `"X" in os.environ`
        self.environ_names = {"os.environ"}  # `from os import environ`
        self.getenv_names = {"os.getenv"}
        self.env_objects: dict[str, set[str]] = {}  # django-environ Env objects -> variables with a scheme default
        self.decouple = {"decouple.config"}
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        self._imports(tree)
        self.visit(tree)

    def _imports(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("os", "decouple", "environ"):
                for alias in node.names:
                    local = alias.asname or alias.name
                    if node.module == "os" and alias.name == "environ":
                        self.environ_names.add(local)
                    elif node.module == "os" and alias.name == "getenv":
                        self.getenv_names.add(local)
                    elif node.module == "decouple" and alias.name == "config":
                        self.decouple.add(local)
                    elif node.module == "environ" and alias.name == "Env":
                        self.env_objects.setdefault("<class>" + local, set())
            elif (
                isinstance(node, ast.Compare)
                and isinstance(node.left, ast.Constant)
                and isinstance(node.left.value, str)
                and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops)
                and any(_dotted(c) in self.environ_names for c in node.comparators)
            ):
                self.guarded.add(node.left.value)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and len(node.targets) == 1:
                func = _dotted(node.value.func)
                target = node.targets[0]
                if isinstance(target, ast.Name) and (
                    func in ("environ.Env", "Env") or "<class>" + func in self.env_objects
                ):
                    self.env_objects[target.id] = {kw.arg for kw in node.value.keywords if kw.arg}

    def _required(self, node: ast.AST) -> bool:
        """Not when a try statement around it catches the error."""
        child, parent = node, self.parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.Try) and child in parent.body and parent.handlers:
                return False
            child, parent = parent, self.parents.get(parent)
        return True

    def _kind(self, node: ast.AST, kind: str) -> str:
        parent = self.parents.get(node)
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id in ("int", "float"):
            return "int"
        return kind

    def _add(self, name: str, node: ast.AST, how: str, required: bool, kind: str = "str") -> None:
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,127}", name):
            required = required and name not in self.guarded and self._required(node)
            self.reads.append(
                EnvRead(name, self.path, getattr(node, "lineno", 0), how, required, self._kind(node, kind))
            )

    def visit_Subscript(self, node: ast.Subscript) -> None:
        key = node.slice
        if (
            isinstance(node.ctx, ast.Load)
            and _dotted(node.value) in self.environ_names
            and isinstance(key, ast.Constant)
            and isinstance(key.value, str)
        ):
            self._add(key.value, node, f'os.environ["{key.value}"]', True)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = _dotted(node.func)
        first = node.args[0] if node.args else None
        name = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
        keywords = {kw.arg for kw in node.keywords}
        if name and (func in self.getenv_names or func in {f"{e}.get" for e in self.environ_names}):
            if len(node.args) == 1 and "default" not in keywords:
                self._add(name, node, f'{func}("{name}")', False)
        elif name and func in self.decouple:
            if len(node.args) == 1 and "default" not in keywords:
                cast = next((_dotted(kw.value).rsplit(".", 1)[-1] for kw in node.keywords if kw.arg == "cast"), "")
                self._add(name, node, f'config("{name}")', True, CASTS.get(cast, "str"))
        else:
            self._environ_call(node, func, name, keywords)
        self.generic_visit(node)

    def _environ_call(self, node: ast.Call, func: str, name: str | None, keywords: set[str | None]) -> None:
        """django-environ: env("X"), env.str("X"), env.db() ...; the scheme given to Env() is a default."""
        obj, _, method = func.partition(".")
        if obj not in self.env_objects or "default" in keywords:
            return
        if not method:  # env("X", cast, default)
            if name and len(node.args) < 3 and name not in self.env_objects[obj]:
                self._add(name, node, f'{obj}("{name}")', True)
            return
        if method not in ENVIRON_READERS:
            return
        variable, kind = ENVIRON_READERS[method]
        var = name or variable
        if var and len(node.args) < 2 and var not in self.env_objects[obj]:
            self._add(var, node, f'{func}("{var}")' if name else f"{func}()", True, kind)


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def _assignments(tree: ast.Module, name: str) -> list[ast.Assign]:
    """Assignments to a module-level name, including those under if/try, in file order."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            found.append(node)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            found.append(node)  # type: ignore[arg-type]  # .value is read the same way
    return sorted(found, key=lambda n: n.lineno)


ABSOLUTE = re.compile(r"^/(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9._/-]{0,200}$")


PATH_CALLS = ("Path", "PurePath", "PosixPath", "PurePosixPath")
SAME_PATH_CALLS = ("str", "os.fspath", "os.path.abspath", "os.path.realpath", "os.path.normpath")
MAX_PATH_STEPS = 50  # names followed and calls unwrapped while reading a path expression


class _TreePath:
    """A path expression of the settings as a directory of the project tree, relative to its root,
    when it is built the way Django's templates build BASE_DIR and what hangs off it:
    `Path(__file__).resolve().parent.parent / "staticfiles"`, `os.path.join(BASE_DIR, "static")`,
    `BASE_DIR.joinpath("x")`, `str(...)`, or a relative literal (collectstatic runs in /app, the
    tree's copy). Names are looked up among the settings files' module-level assignments, each
    read with its own file as __file__. None for anything else, or a path outside the tree."""

    def __init__(self, files: list[tuple[str, ast.Module]]) -> None:
        self.names: dict[str, tuple[str, ast.expr]] = {}
        for path, tree in files:
            for node in tree.body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    self.names[node.targets[0].id] = (path, node.value)
        self.steps = 0

    def __call__(self, file: str, node: ast.expr) -> str | None:
        """The directory node names, relative to the root ("" is the root itself), or None."""
        self.steps += 1
        if self.steps > MAX_PATH_STEPS:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return None if node.value.startswith("/") else self._join("", node.value)
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return file
            found = self.names.get(node.id)
            return self(*found) if found else None
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            return self._parent(self(file, node.value))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return self._join(self(file, node.left), _text(node.right))
        if isinstance(node, ast.Call) and not node.keywords and node.args:
            name = _call_name(node.func)
            first = self(file, node.args[0])
            rest = [_text(arg) for arg in node.args[1:]]
            if name in (*PATH_CALLS, "os.path.join"):
                for part in rest:
                    first = self._join(first, part)
                return first
            if len(node.args) == 1 and name in SAME_PATH_CALLS:
                return first
            if len(node.args) == 1 and name == "os.path.dirname":
                return self._parent(first)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, owner = node.func.attr, self(file, node.func.value)
            if method in ("resolve", "absolute") and not node.args:  # resolve(strict=True) too
                return owner
            if method == "joinpath" and not node.keywords:
                for arg in node.args:
                    owner = self._join(owner, _text(arg))
                return owner
        return None

    @staticmethod
    def _parent(path: str | None) -> str | None:
        if not path:  # the root's parent is outside the tree
            return None
        return posixpath.dirname(path)

    @staticmethod
    def _join(path: str | None, part: str | None) -> str | None:
        if path is None or part is None or part.startswith("/"):
            return None
        joined = posixpath.normpath(posixpath.join(path, part)) if path or part else ""
        joined = "" if joined == "." else joined
        return None if joined == ".." or joined.startswith("../") else joined


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _call_name(node: ast.expr) -> str:
    """The dotted name a call is made through: Path, pathlib.Path (as Path), os.path.join, str."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        owner = _call_name(node.value) if isinstance(node.value, (ast.Name, ast.Attribute)) else ""
        return node.attr if owner == "pathlib" else f"{owner}.{node.attr}"
    return ""


def _modules(tree: ast.Module) -> set[str]:
    """Top-level modules a settings file uses: its imports, and the dotted names in its strings
    (INSTALLED_APPS, MIDDLEWARE: 'debug_toolbar', 'debug_toolbar.middleware.DebugToolbarMiddleware')."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and MODULE.fullmatch(node.value):
            found.add(node.value.split(".")[0])
    return found


def dev_only(modules: set[str], dev_packages: AbstractSet[str]) -> list[str]:
    """The modules that are packages the project installs for development only (by the package's
    name: debug_toolbar is django-debug-toolbar): settings using them cannot load in the image."""
    found = []
    for module in sorted(modules):
        name = module.lower().replace("_", "-")
        if {name, f"django-{name}", f"{name}-django"} & dev_packages:
            found.append(module)
    return found


def django_facts(
    project: Project, env: dict[str, str], dev_packages: AbstractSet[str] = frozenset()
) -> tuple[DjangoFacts | None, list[EnvRead], list[str]]:
    """What a Django project's settings say, the variables they read, and notes. None when the
    root has no manage.py. dev_packages: packages locked or declared for development only."""
    if not project.exists("manage.py"):
        return None, [], []
    module, source = settings_module(project, env)
    reads: list[EnvRead] = []
    notes: list[str] = []
    if module is None:
        reads.append(EnvRead("DJANGO_SETTINGS_MODULE", "manage.py", 0, "manage.py sets no default", True, "module"))
        # The one settings module in the tree, if there is one, still says what else the app reads.
        guesses = [p for p in project.glob("*/settings.py") + project.glob("*/settings/__init__.py")]
        if len(guesses) != 1:
            return DjangoFacts(None, "", (), False, None, None, None, ""), reads, notes
        guessed = guesses[0].removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        files = settings_files(project, guessed)
        for path, tree in files:
            reads += _EnvReads(path, tree).reads
        return DjangoFacts(None, "", (), False, None, None, None, ""), _unique(reads), notes
    files = settings_files(project, module)
    if not files:
        notes.append(
            f"Django settings {module} ({source}): "
            + ("cannot be parsed by this Python" if module_file(project, module) else "no such module in the project")
            + "; collectstatic and the variables it needs are not known"
        )
        return DjangoFacts(module, source, (), False, None, None, None, ""), reads, notes
    staticfiles = False
    static_root: tuple[str, ast.expr] | None = None
    dev_modules: list[tuple[str, str]] = []
    for path, tree in files:
        dev_modules += [(module, path) for module in dev_only(_modules(tree), dev_packages)]
        visitor = _EnvReads(path, tree)
        reads += visitor.reads
        staticfiles = staticfiles or any(
            isinstance(n, ast.Constant) and n.value == "django.contrib.staticfiles" for n in ast.walk(tree)
        )
        for node in _assignments(tree, "STATIC_ROOT"):
            if node.value is not None:
                static_root = (path, node.value)
    root_text = root_path = root_env = root_dir = None
    root_file = ""
    if static_root is not None and not (isinstance(static_root[1], ast.Constant) and static_root[1].value is None):
        root_file, value = static_root
        try:
            root_text = ast.unparse(value)[:200]
        except RecursionError:
            root_text = "(an expression too deeply nested to show)"
        if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value.startswith("/"):
            root_path = value.value if ABSOLUTE.fullmatch(value.value) else None
            if root_path is None:
                notes.append(f"{root_file}: STATIC_ROOT {value.value!r} is not a path dockergen copies")
        lines = range(value.lineno, (value.end_lineno or value.lineno) + 1)
        root_env = next((r.name for r in reads if r.file == root_file and r.line in lines and r.required), None)
        root_dir = _TreePath(files)(root_file, value) if root_env is None else None
    facts = DjangoFacts(
        settings_module=module,
        settings_source=source,
        settings_files=tuple(path for path, _ in files),
        staticfiles=staticfiles,
        static_root=root_text,
        static_root_path=root_path,
        static_root_env=root_env,
        static_root_file=root_file,
        static_root_dir=root_dir or None,  # "" would be the root itself: not a directory of its own
        dev_modules=tuple(dev_modules),
    )
    return facts, _unique(reads), notes


MAX_CODE_FILES = 64  # code_env_reads parses at most this many of the root's modules


def code_env_reads(project: Project, command: tuple[str, ...]) -> list[EnvRead]:
    """The variables the app's own modules read (the root's *.py, and the module the command
    serves: pkg.main:app), required or not: what compose.yaml may wire a service's URL to."""
    files = [path for path in project.glob("*.py") if path != "setup.py"][:MAX_CODE_FILES]
    for word in command:
        module = word.split(":")[0] if ":" in word and not word.startswith("0.0.0.0") else ""
        for base in ("", "src/"):
            found = module_file(project, base + module) if re.fullmatch(r"[A-Za-z_][\w.]*", module) else None
            if found and found not in files:
                files.append(found)
    reads: list[EnvRead] = []
    for path in files:
        tree = _parse(project, path)
        if tree is not None:
            reads += _EnvReads(path, tree).reads
    return _unique(reads)


def _unique(reads: list[EnvRead]) -> list[EnvRead]:
    """The first place each variable is read; a required read outranks an optional one."""
    unique: dict[str, EnvRead] = {}
    for read in reads:
        if read.name not in unique or (read.required and not unique[read.name].required):
            unique[read.name] = read
    return list(unique.values())


def _walk_po(project: Project) -> list[str]:
    """Relative paths of the .po files in the tree, outside environments and dependencies."""
    found: list[str] = []
    seen = 0
    root = str(project.root)
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        seen += len(dirs) + len(files)
        if seen > MAX_WALK:
            break
        rel = os.path.relpath(current, root).replace(os.sep, "/")
        found += [name if rel == "." else f"{rel}/{name}" for name in sorted(files) if name.endswith(".po")]
    return found


def _scripts(project: Project) -> list[tuple[str, str]]:
    """(file and table, name) of task-runner scripts that look like they compile catalogs."""
    tables = [
        ("[tool.pdm.scripts]", project.pyproject_table("tool", "pdm", "scripts")),
        ("[tool.poe.tasks]", project.pyproject_table("tool", "poe", "tasks")),
    ]
    for env, table in project.pyproject_table("tool", "hatch", "envs").items():
        if isinstance(table, dict) and isinstance(table.get("scripts"), dict):
            tables.append((f"[tool.hatch.envs.{env}.scripts]", table["scripts"]))
    if project.exists("Pipfile"):
        scripts = project.toml("Pipfile").get("scripts", {})
        tables.append(("Pipfile [scripts]", scripts if isinstance(scripts, dict) else {}))
    found = [(where, name) for where, table in tables for name in table if COMPILE_SCRIPT.match(str(name))]
    for makefile in ("Makefile", "makefile", "justfile"):
        if project.exists(makefile):
            for line in project.text(makefile).splitlines():
                target = line.split(":", 1)[0].strip()
                if ":" in line and not line.startswith(("\t", " ")) and COMPILE_SCRIPT.match(target):
                    found.append((makefile, target))
    return found


CATALOG = re.compile(r"^(?:(.+)/)?([A-Za-z]{2,3}(?:[_@-][A-Za-z0-9]+)*)/LC_MESSAGES/([\w.-]+)\.po$")


def _babel_dirs(project: Project, po_files: list[str]) -> list[tuple[str, str]]:
    """(directory, domain) of each catalog set, from setup.cfg's [compile_catalog] or the paths."""
    if project.exists("setup.cfg"):
        parser = configparser.ConfigParser()
        try:
            parser.read_string(project.text("setup.cfg"))
        except configparser.Error:
            parser = configparser.ConfigParser()
        section = dict(parser.items("compile_catalog")) if parser.has_section("compile_catalog") else {}
        if section.get("directory"):
            directory = section["directory"].strip()
            domains = section.get("domain", "messages").split()
            return [(directory, domain) for domain in domains or ["messages"]]
    found = []
    for path in po_files:
        match = CATALOG.match(path)
        if match and match.group(1):
            found.append((match.group(1), match.group(3)))
    return list(dict.fromkeys(found))


def translations(project: Project, deps: set[str], django: DjangoFacts | None) -> tuple[Translations | None, list[str]]:
    """The project's .po catalogs and the way it compiles them, with a note when dockergen cannot."""
    try:
        po_files = _walk_po(project)
    except OSError as exc:
        raise InspectError(str(project.root), f"cannot list the tree: {exc.strerror or exc}") from None
    if not po_files:
        return None, []
    compiled = all(project.exists(p[: -len(".po")] + ".mo") for p in po_files)
    example = po_files[0]
    scripts = _scripts(project)
    script = f"{scripts[0][0]} {scripts[0][1]}" if scripts else ""
    if compiled:
        return Translations(len(po_files), True, "none", (), script, example), []
    if django is not None and "django" in deps:
        return Translations(len(po_files), False, "django", (), script, example), []
    if deps & {"babel", "flask-babel", "flask-babelex", "fastapi-babel", "quart-babel"}:
        catalogs = tuple(_babel_dirs(project, po_files))
        if catalogs:
            return Translations(len(po_files), False, "babel", catalogs, script, example), []
    if "django" in deps:
        manage = next(iter(project.glob("*/manage.py") + project.glob("*/*/manage.py")), "")
        if manage:
            note = (
                f"{len(po_files)} Django .po catalog(s) ({example}...) and {manage} below the root: compile them "
                f'with [tool.dockergen] build = ["python {manage} compilemessages"] (gettext comes with it)'
            )
            return Translations(len(po_files), False, "django", (), script, example), [note]
    how = f"{script} looks like it does: " if script else ""
    note = (
        f"{len(po_files)} .po catalog(s) ({example}...) and no compiler dockergen knows (Django's "
        f"compilemessages, Babel's compile): {how}compile them with a [tool.dockergen] build step"
    )
    return Translations(len(po_files), False, "script" if script else "none", (), script, example), [note]
