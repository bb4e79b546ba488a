"""Find the command that runs the project, in a fixed order of how explicit each source is.

Order: [tool.dockergen] entrypoint, Procfile (web first), Django's manage.py, an ASGI/WSGI app
object (FastAPI, Starlette, Flask), a console script, a package's __main__.py, main.py/app.py.
"""

from __future__ import annotations

import re
import shlex

from .facts import Entrypoint, InspectError
from .project import CONTROL, Project

DEFAULT_PORT = 8000
APP_FILES = ("main.py", "app.py", "asgi.py", "wsgi.py", "server.py", "api.py")
APP_PATTERN = re.compile(r"^(\w+)\s*(?::[^=]*)?=\s*(?:\w+\.)?(FastAPI|Starlette|Flask|Quart)\(", re.MULTILINE)
DJANGO_SETTINGS = re.compile(r"""DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']""")
WSGI_SETTING = re.compile(r"""^(WSGI|ASGI)_APPLICATION\s*=\s*["']([\w.]+)["']""", re.MULTILINE)
PORT_PATTERNS = (
    re.compile(r"--port[= ](\d{2,5})\b"),
    re.compile(r"--bind[= ][\w.\[\]:]*:(\d{2,5})\b"),
    re.compile(r"\b-b[= ]?[\w.\[\]:]*:(\d{2,5})\b"),
)


def find_entrypoint(
    project: Project, configured: str | list[str] | None, scripts: dict[str, str], deps: set[str], name: str
) -> Entrypoint | None:
    """configured is the entrypoint setting (flag or [tool.dockergen]), already type-checked."""
    if configured:
        command = tuple(shlex.split(configured) if isinstance(configured, str) else configured)
        return Entrypoint(command, "setting", "entrypoint setting", _port_of(command))
    for finder in (_procfile, _django, _app_object):
        found = finder(project, deps)
        if found:
            return found
    return _script(scripts, name) or _main_module(project) or _main_file(project)


def _port_of(command: tuple[str, ...]) -> int | None:
    text = " ".join(command)
    for pattern in PORT_PATTERNS:
        match = pattern.search(text)
        if match:
            return int(match.group(1))
    return None


def _procfile(project: Project, deps: set[str]) -> Entrypoint | None:
    if not project.exists("Procfile"):
        return None
    processes: dict[str, str] = {}
    for line in project.text("Procfile").splitlines():
        kind, sep, command = line.partition(":")
        if sep and kind.strip() and not kind.lstrip().startswith("#") and command.strip():
            processes.setdefault(kind.strip(), command.strip())
    if not processes:
        raise InspectError("Procfile", "no 'name: command' line found")
    kind = "web" if "web" in processes else next(iter(processes))
    try:
        command = tuple(shlex.split(processes[kind]))
    except ValueError as exc:
        raise InspectError("Procfile", f"cannot split the {kind!r} command: {exc}") from None
    if any(CONTROL.search(word) for word in command):
        raise InspectError("Procfile", f"the {kind!r} command has a control character or backslash")
    port = _port_of(command) or (DEFAULT_PORT if kind == "web" else None)
    return Entrypoint(command, "procfile", f"Procfile '{kind}:' process", port)


def _django(project: Project, deps: set[str]) -> Entrypoint | None:
    if not project.exists("manage.py"):
        return None
    match = DJANGO_SETTINGS.search(project.text("manage.py"))
    if not match:
        return None
    settings_module = match.group(1)
    settings_file = settings_module.replace(".", "/") + ".py"
    apps = dict(
        (kind, target.rsplit(".", 1)[0] + ":" + target.rsplit(".", 1)[1])
        for kind, target in WSGI_SETTING.findall(project.text(settings_file) if project.exists(settings_file) else "")
    )
    bind = f"0.0.0.0:{DEFAULT_PORT}"
    reason = f"manage.py (settings {settings_module})"
    if "gunicorn" in deps and "WSGI" in apps:
        command = ("gunicorn", "--bind", bind, apps["WSGI"])
    elif "uvicorn" in deps and "ASGI" in apps:
        command = ("uvicorn", "--host", "0.0.0.0", "--port", str(DEFAULT_PORT), apps["ASGI"])
    else:
        command = ("python", "manage.py", "runserver", "--noreload", bind)
        reason += "; no gunicorn or uvicorn dependency, so Django's development server"
    return Entrypoint(command, "django", reason, DEFAULT_PORT)


def _candidate_app_files(project: Project) -> list[str]:
    files = list(APP_FILES)
    for pattern in ("*/main.py", "*/app.py", "*/asgi.py", "*/wsgi.py", "src/*/main.py", "src/*/app.py"):
        files += [f for f in project.glob(pattern) if not f.startswith((".", "tests/", "test/"))]
    return [f for f in dict.fromkeys(files) if _importable(f) and project.exists(f)]


def _importable(path: str) -> bool:
    """Whether the file is a module Python can import by its dotted name (src/ layout aside)."""
    return all(part.isidentifier() for part in _module_of(path).split("."))


def _root_of(path: str) -> str:
    return "src" if path.startswith("src/") else ""


def _module_of(path: str) -> str:
    parts = path[: -len(".py")].split("/")
    return ".".join(parts[1:] if parts[0] == "src" else parts)


def _app_object(project: Project, deps: set[str]) -> Entrypoint | None:
    for path in _candidate_app_files(project):
        match = APP_PATTERN.search(project.text(path))
        if not match:
            continue
        target = f"{_module_of(path)}:{match.group(1)}"
        framework = match.group(2)
        port = str(DEFAULT_PORT)
        if framework == "Flask":
            if "gunicorn" in deps:
                command: tuple[str, ...] = ("gunicorn", "--bind", f"0.0.0.0:{port}", target)
            else:
                command = ("flask", "--app", target, "run", "--host", "0.0.0.0", "--port", port)
            return Entrypoint(command, "wsgi", f"Flask app object in {path}", DEFAULT_PORT, _root_of(path))
        if "uvicorn" in deps:
            command = ("uvicorn", target, "--host", "0.0.0.0", "--port", port)
        elif "hypercorn" in deps:
            command = ("hypercorn", target, "--bind", f"0.0.0.0:{port}")
        elif "gunicorn" in deps:
            command = ("gunicorn", "--bind", f"0.0.0.0:{port}", target)
        else:
            continue
        return Entrypoint(command, "asgi", f"{framework} app object in {path}", DEFAULT_PORT, _root_of(path))
    return None


def _script(scripts: dict[str, str], name: str) -> Entrypoint | None:
    if not scripts:
        return None
    chosen = name if name in scripts else next(iter(scripts))
    reason = f"console script {chosen!r}"
    if len(scripts) > 1:
        reason += f" (of {len(scripts)}: {', '.join(scripts)})"
    return Entrypoint((chosen,), "script", reason)


def _main_module(project: Project) -> Entrypoint | None:
    for path in project.glob("*/__main__.py") + project.glob("src/*/__main__.py"):
        module = _module_of(path).rsplit(".", 1)[0]
        if not path.startswith((".", "tests/")) and _importable(path):
            return Entrypoint(("python", "-m", module), "module", f"{path}", import_root=_root_of(path))
    return None


def _main_file(project: Project) -> Entrypoint | None:
    for path in ("main.py", "app.py", "run.py", "server.py"):
        if project.exists(path):
            return Entrypoint(("python", path), "file", f"{path} in the project root")
    return None
