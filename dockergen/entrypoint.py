"""Find the command that runs the project, in a fixed order of how explicit each source is.

Order: [tool.dockergen] entrypoint, Procfile (web first), Django's manage.py, an app object in a
module named for serving one (FastAPI, Starlette, Flask, Quart, or made by a factory), a
Streamlit script, a Flask factory in a package, an app object in any other root module, a
console script, a package's __main__.py, main.py and the like, a directory of scripts' main.py.
Every candidate is kept, so `init` can say what it saw.
"""

from __future__ import annotations

import re

from . import shell_words
from .buildsteps import settings_module
from .facts import Entrypoint, EntrypointKind, InspectError
from .project import CONTROL, Project

DEFAULT_PORT = 8000
APP_FILES = ("main.py", "app.py", "asgi.py", "wsgi.py", "server.py", "api.py")
APP_PATTERN = re.compile(r"^(\w+)\s*(?::[^=]*)?=\s*(?:\w+\.)?(FastAPI|Starlette|Flask|Quart)\(", re.MULTILINE)
FACTORY_APP = re.compile(
    r"^(app|application)\s*=\s*(?:\w+\.)*(?:create_app|make_app|get_app|build_app)\(", re.MULTILINE
)
FACTORY_DEF = re.compile(r"^def create_app\(", re.MULTILINE)
STREAMLIT_IMPORT = re.compile(r"^\s*import streamlit\b|^\s*from streamlit\b", re.MULTILINE)
SHELL_SYNTAX = re.compile(r"[$;&|<>`*?()]|\b(cd|export|exec)\b")
# fastapi's extras that bring uvicorn along (fastapi-cli, uvicorn[standard]).
FASTAPI_WITH_SERVER = {"fastapi[standard]", "fastapi[all]", "fastapi[standard-no-fastapi-cloud-cli]"}
SKIPPED_DIRS = (".", "tests/", "test/", "docs/", "examples/")
MAIN_FILES = ("main.py", "app.py", "run.py", "server.py", "bot.py")
STREAMLIT_PORT = 8501
MAIN_BLOCK = re.compile(r"""^if __name__ == ["']__main__["']\s*:""", re.MULTILINE)
WSGI_SETTING = re.compile(r"""^(WSGI|ASGI)_APPLICATION\s*=\s*["']([\w.]+)["']""", re.MULTILINE)
# A port a command names, any number of [0-9] digits: one outside 1-65535 is refused, not missed.
PORT_PATTERNS = (
    re.compile(r"--port[= ]([0-9]+)\b"),
    re.compile(r"--bind[= ][\w.\[\]:]*:([0-9]+)\b"),
    re.compile(r"(?<![\w-])-b[= ]?[\w.\[\]:]*:([0-9]+)\b"),  # not \b-b: no word boundary before the dash
)


def find_entrypoint(
    project: Project,
    configured: str | list[str] | None,
    scripts: dict[str, str],
    deps: set[str],
    name: str,
    port: int | None = None,
    env: dict[str, str] | None = None,
) -> tuple[Entrypoint | None, list[Entrypoint]]:
    """The command, and every candidate seen in precedence order (the first is the command unless
    configured is set). configured is the entrypoint setting (flag or [tool.dockergen]), already
    type-checked. port is the port setting: the commands dockergen writes listen on it. env is the
    env setting: its DJANGO_SETTINGS_MODULE names the settings when manage.py does not."""
    found = candidates(project, scripts, deps, name, port, env or {})
    if configured:
        command = tuple(shell_words.split(configured) if isinstance(configured, str) else configured)
        port_of = _port_of(command, "pyproject.toml", "[tool.dockergen] entrypoint")
        return Entrypoint(command, "setting", "entrypoint setting", port_of), found
    return (found[0] if found else None), found


def candidates(
    project: Project,
    scripts: dict[str, str],
    deps: set[str],
    name: str,
    port: int | None = None,
    env: dict[str, str] | None = None,
) -> list[Entrypoint]:
    found: list[Entrypoint] = _procfile(project, deps, port) + _django(project, deps, port, env or {})
    for finder in (_app_object, _streamlit, _factory, _root_app_object):
        found += finder(project, deps, port)
    found += _script(scripts, name) + _main_module(project) + _main_file(project)
    unique: dict[tuple[str, ...], Entrypoint] = {}
    for entry in found:
        unique.setdefault(entry.command, entry)
    return list(unique.values())


def _port_of(command: tuple[str, ...], where: str, what: str) -> int | None:
    """The port the command listens on, when it names one; it becomes EXPOSE, so it must be one."""
    text = " ".join(command)
    for pattern in PORT_PATTERNS:
        match = pattern.search(text)
        if match:
            port = int(match.group(1))
            if not 1 <= port <= 65535:
                raise InspectError(where, f"{what} listens on port {match.group(1)}, which is not a port (1-65535)")
            return port
    return None


def _procfile(project: Project, deps: set[str], port: int | None) -> list[Entrypoint]:
    """Each process of a Procfile, web first. A command with shell syntax ($PORT, ;, &&) runs as
    Heroku runs it, under `sh -c`; the image sets PORT, so `$PORT` is its port."""
    if not project.exists("Procfile"):
        return []
    processes: dict[str, str] = {}
    for line in project.text("Procfile").splitlines():
        kind, sep, text = line.partition(":")
        if sep and kind.strip() and not kind.lstrip().startswith("#") and text.strip():
            processes.setdefault(kind.strip(), text.strip())
    if not processes:
        raise InspectError("Procfile", "no 'name: command' line found")
    found = []
    for kind in sorted(processes, key=lambda k: k != "web"):
        text = processes[kind]
        if CONTROL.search(text):
            raise InspectError("Procfile", f"the {kind!r} command has a control character or backslash")
        try:
            words = tuple(shell_words.split(text))
        except ValueError as exc:
            raise InspectError("Procfile", f"cannot split the {kind!r} command: {exc}") from None
        shell = SHELL_SYNTAX.search(text) is not None
        command = ("sh", "-c", text) if shell else words
        listens = kind == "web" or "$PORT" in text or "${PORT" in text
        reason = f"Procfile '{kind}:' process" + (" (shell syntax: run by sh -c)" if shell else "")
        found.append(
            Entrypoint(
                command,
                "procfile",
                reason,
                _port_of(words, "Procfile", f"the {kind!r} command") or (port or DEFAULT_PORT if listens else None),
                shell=shell,
                source="Procfile",
            )
        )
    return found


def _django(project: Project, deps: set[str], port: int | None, env: dict[str, str]) -> list[Entrypoint]:
    """manage.py with its settings module named, by manage.py or by the env setting (a manage.py
    that names none runs with whatever DJANGO_SETTINGS_MODULE the environment gives it)."""
    if not project.exists("manage.py"):
        return []
    module, source = settings_module(project, env)
    if module is None:
        return []
    settings_file = module.replace(".", "/") + ".py"
    apps = {}
    for kind, target in WSGI_SETTING.findall(project.text(settings_file) if project.exists(settings_file) else ""):
        if not _dotted(target, parts=2):
            raise InspectError(settings_file, f"{kind}_APPLICATION = {target!r} is not a dotted path 'module.name'")
        app_module, name = target.rsplit(".", 1)
        apps[kind] = f"{app_module}:{name}"
    port = port or DEFAULT_PORT
    bind = f"0.0.0.0:{port}"
    reason = f"manage.py (settings {module}" + (f", from {source})" if source != "manage.py" else ")")
    command: tuple[str, ...]
    if "gunicorn" in deps and "WSGI" in apps:
        command = ("gunicorn", "--bind", bind, apps["WSGI"])
    elif "uvicorn" in deps and "ASGI" in apps:
        command = ("uvicorn", "--host", "0.0.0.0", "--port", str(port), apps["ASGI"])
    else:
        command = ("python", "manage.py", "runserver", "--noreload", bind)
        reason += "; no gunicorn or uvicorn dependency, so Django's development server"
        return [Entrypoint(command, "django", reason, port, dev_server="gunicorn")]
    return [Entrypoint(command, "django", reason, port)]


# Servers that listen on 127.0.0.1 unless told otherwise, and the options that tell them: inside
# a container that address is unreachable from outside. (gunicorn binds 0.0.0.0:$PORT when given
# no --bind, and the image sets PORT.)
LOOPBACK_SERVERS = {
    "uvicorn": ("--host", "--uds", "--fd"),
    "hypercorn": ("-b", "--bind"),
    "daphne": ("-b", "--bind", "-u", "--unix-socket"),
    "flask": ("-h", "--host"),
    "runserver": (),  # manage.py runserver ADDR:PORT
}


def loopback_only(entry: Entrypoint) -> str | None:
    """The server a command starts that will listen on the loopback only, if it is one."""
    words = shell_words.split(entry.command[2]) if entry.shell else list(entry.command)
    for index, word in enumerate(words):
        options = LOOPBACK_SERVERS.get(word.rsplit("/", 1)[-1])
        if options is None:
            continue
        rest = words[index + 1 :]
        if any(w.split("=")[0] in options for w in rest if options) or any(
            w.startswith(("0.0.0.0", "[::]", "::")) or ":0.0.0.0" in w for w in rest
        ):
            return None
        return word.rsplit("/", 1)[-1]
    return None


def _dotted(path: str, parts: int) -> bool:
    """Whether path is a dotted Python name of at least parts identifiers (settings, mysite.wsgi.application)."""
    names = path.split(".")
    return len(names) >= parts and all(name.isidentifier() for name in names)


def _candidate_app_files(project: Project, other_modules: bool = False) -> list[str]:
    """Modules named for serving an app (main.py, wsgi.py, */app.py...); or, with other_modules,
    the other modules at the root (microblog.py), which a package's app factory outranks."""
    files = list(APP_FILES)
    for pattern in ("*/main.py", "*/app.py", "*/asgi.py", "*/wsgi.py", "src/*/main.py", "src/*/app.py"):
        files += [f for f in project.glob(pattern) if not f.startswith(SKIPPED_DIRS)]
    if other_modules:
        files = [f for f in project.glob("*.py") if f not in files]
    return [f for f in dict.fromkeys(files) if _importable(f) and project.exists(f)]


def _importable(path: str) -> bool:
    """Whether the file is a module Python can import by its dotted name (src/ layout aside)."""
    return all(part.isidentifier() for part in _module_of(path).split("."))


def _root_of(path: str) -> str:
    return "src" if path.startswith("src/") else ""


def _module_of(path: str) -> str:
    parts = path[: -len(".py")].split("/")
    return ".".join(parts[1:] if parts[0] == "src" else parts)


def _server(framework: str, target: str, deps: set[str], number: int) -> tuple[str, ...] | None:
    """The command that serves an app object with the server the project depends on."""
    port = str(number)
    if framework in ("Flask", "wsgi"):
        if "gunicorn" in deps:
            return ("gunicorn", "--bind", f"0.0.0.0:{port}", target)
        if framework == "Flask":
            return ("flask", "--app", target, "run", "--host", "0.0.0.0", "--port", port)
        return None
    if "uvicorn" in deps or deps & FASTAPI_WITH_SERVER:
        return ("uvicorn", target, "--host", "0.0.0.0", "--port", port)
    if "hypercorn" in deps:
        return ("hypercorn", target, "--bind", f"0.0.0.0:{port}")
    if "gunicorn" in deps:
        return ("gunicorn", "--bind", f"0.0.0.0:{port}", target)
    return None


def _root_app_object(project: Project, deps: set[str], port: int | None) -> list[Entrypoint]:
    return _app_object(project, deps, port, other_modules=True)


def _app_object(project: Project, deps: set[str], port: int | None, other_modules: bool = False) -> list[Entrypoint]:
    """App objects: made by a framework's constructor (app = FastAPI()), or by a factory
    (application = create_app()), at the top level of a module."""
    found = []
    for path in _candidate_app_files(project, other_modules):
        text = project.text(path)
        if match := APP_PATTERN.search(text):
            framework = match.group(2)
        elif match := FACTORY_APP.search(text):
            framework = _factory_framework(path, deps)
        if not match or framework is None:
            continue
        target = f"{_module_of(path)}:{match.group(1)}"
        command = _server(framework, target, deps, port or DEFAULT_PORT)
        if command is None:
            continue
        kind: EntrypointKind = "wsgi" if framework in ("Flask", "wsgi") else "asgi"
        reason = f"{framework} app object in {path}"
        dev = "gunicorn" if command[0] == "flask" else ""  # _server's fallback: Flask's own server
        found.append(Entrypoint(command, kind, reason, port or DEFAULT_PORT, _root_of(path), dev_server=dev))
    return found


def _factory_framework(path: str, deps: set[str]) -> str | None:
    """What an app made by a factory is, from the project's dependencies and the file's name."""
    if "flask" in deps:
        return "Flask"
    if deps & {"quart", "fastapi", "starlette"} or path.endswith("asgi.py"):
        return "ASGI app"
    return "wsgi" if path.endswith("wsgi.py") else None


def _factory(project: Project, deps: set[str], port: int | None) -> list[Entrypoint]:
    """A Flask app factory (def create_app) in a package, served in gunicorn's factory form."""
    if "flask" not in deps:
        return []
    found = []
    for path in project.glob("*/__init__.py") + project.glob("src/*/__init__.py"):
        if path.startswith(SKIPPED_DIRS) or not _importable(path) or not FACTORY_DEF.search(project.text(path)):
            continue
        package = _module_of(path).rsplit(".", 1)[0]
        number = port or DEFAULT_PORT
        command = _server("Flask", f"{package}:create_app()", deps, number) if "gunicorn" in deps else None
        command = command or ("flask", "--app", package, "run", "--host", "0.0.0.0", "--port", str(number))
        reason = f"Flask app factory create_app() in {path}"
        dev = "gunicorn" if command[0] == "flask" else ""
        found.append(Entrypoint(command, "wsgi", reason, number, _root_of(path), dev_server=dev))
    return found


def _streamlit(project: Project, deps: set[str], port: int | None) -> list[Entrypoint]:
    """A Streamlit script at the root: `streamlit run` it, listening on all interfaces."""
    if "streamlit" not in deps:
        return []
    preferred = ("streamlit_app.py", "app.py", "main.py", "Home.py")
    files = [p for p in project.glob("*.py") if STREAMLIT_IMPORT.search(project.text(p))]
    files.sort(key=lambda p: preferred.index(p) if p in preferred else len(preferred))
    number = port or STREAMLIT_PORT
    options = ("--server.port", str(number), "--server.address", "0.0.0.0", "--server.headless", "true")
    return [Entrypoint(("streamlit", "run", p, *options), "streamlit", f"Streamlit script {p}", number) for p in files]


def main_blocks(project: Project) -> list[str]:
    """Python files at the root or one directory down with an `if __name__ == "__main__":` block:
    what to suggest when nothing else says how the project runs."""
    files = project.glob("*.py") + project.glob("*/*.py")
    return [f for f in files if not f.startswith(SKIPPED_DIRS) and MAIN_BLOCK.search(project.text(f))][:8]


def _script(scripts: dict[str, str], name: str) -> list[Entrypoint]:
    ordered = sorted(scripts, key=lambda script: script != name)
    reason = f" (of {len(scripts)}: {', '.join(scripts)})" if len(scripts) > 1 else ""
    return [Entrypoint((script,), "script", f"console script {script!r}{reason}") for script in ordered]


def _main_module(project: Project) -> list[Entrypoint]:
    found = []
    for path in project.glob("*/__main__.py") + project.glob("src/*/__main__.py"):
        module = _module_of(path).rsplit(".", 1)[0]
        if not path.startswith(SKIPPED_DIRS) and _importable(path):
            found.append(Entrypoint(("python", "-m", module), "module", f"{path}", import_root=_root_of(path)))
    return found


def _main_file(project: Project) -> list[Entrypoint]:
    """main.py and the like at the root, then a main.py one directory down (a bot/ of scripts)."""
    found = [Entrypoint(("python", p), "file", f"{p} in the project root") for p in MAIN_FILES if project.exists(p)]
    for path in project.glob("*/main.py"):
        if not path.startswith(SKIPPED_DIRS) and not project.exists(path.rsplit("/", 1)[0] + "/__init__.py"):
            found.append(Entrypoint(("python", path), "file", f"{path}, a script in a directory of scripts"))
    return found
