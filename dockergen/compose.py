"""compose.yaml's decisions: the backing services the dependencies imply, how the app is wired
to them, and the development stage that `docker compose watch` runs.

The knowledge (package -> service, image, port, variables, health check) is the reviewed table
dockergen/data/services.toml; this module only decides, each decision with its reason, and
templates/compose.yaml.j2 renders the result. Nothing here reads the project's files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .facts import EnvRead, InspectError, ProjectFacts
from .inspectors import install_traits
from .options import ENV_NAME, SECRET_NAME
from .project import data_toml

COMPOSE_FILE = "compose.yaml"
# Files docker compose reads when there is no compose.yaml: a team's own, never shadowed.
OTHER_COMPOSE_FILES = ("compose.yml", "docker-compose.yaml", "docker-compose.yml")
SERVICE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
# An upstream image with its tag: the health check commands below are those images' own tools.
SERVICE_IMAGE = re.compile(r"^[a-z0-9]+(?:[._/-][a-z0-9]+)*:[A-Za-z0-9._-]{1,64}$")
# A value compose.yaml may hold: printable ASCII, no quote or backslash; `${NAME:-default}` is
# compose's interpolation, which only the table writes (settings cannot hold a `$`).
COMPOSE_VALUE = re.compile(r"^[ !#-\[\]-~]{0,512}$")
DEV_GROUPS = ("dev", "develop", "development")  # the groups the dev stage installs
# Servers whose reload on a code change is a flag after their name.
RELOAD_FLAGS = {"uvicorn": "--reload", "gunicorn": "--reload", "hypercorn": "--reload"}
DEV_SECRET = "dev-only-not-a-secret"


@dataclass(frozen=True)
class BackingService:
    """A service container the app's dependencies imply (PostgreSQL for psycopg...)."""

    name: str  # the compose service, also its host name on compose's network: db, redis
    kind: str  # the services.toml entry: postgres, mariadb, redis
    image: str  # the upstream image and tag
    port: int  # where it listens on compose's network (the URL names it too)
    volume: str  # the data directory, on a named volume <name>-data
    environment: tuple[tuple[str, str], ...]
    healthcheck: tuple[str, ...]
    needed_by: tuple[str, ...]  # the locked or declared packages that imply it


@dataclass(frozen=True)
class DevStage:
    """The Dockerfile's `dev` stage, built by compose.yaml's app service: the dependencies with
    the development groups too, the code in /app importable first, and the server's reload.

    `docker compose watch` syncs the tree into /app (a bind mount would hide the lock from its
    rebuild rule: compose does not watch a path a bind mount holds). The stage runs as root,
    since Docker Engine before 23 looks up the container's USER on the host to copy those
    files, and the runner's user is no user of the host; it is never the image that ships."""

    groups: tuple[str, ...]  # dependency groups installed besides the runtime ones
    command: tuple[str, ...]
    reloads: bool  # the command restarts itself on a change; otherwise compose restarts it (sync+restart)
    pythonpath: str  # the synced code comes before the installed package
    rebuild: tuple[str, ...]  # files whose change rebuilds the image (the manifest and lock)


@dataclass(frozen=True)
class ComposePlan:
    """compose.yaml: the app built from the Dockerfile's dev stage, and its services."""

    dockerfile: str  # the Dockerfile's path (the output setting)
    port: int | None  # published on 127.0.0.1 only
    healthcheck: bool  # the image has one: compose checks it more often, for `up --wait`
    services: tuple[BackingService, ...]
    environment: tuple[tuple[str, str], ...]  # the app's: services' URLs, the variables it requires
    dev: DevStage


@lru_cache(maxsize=1)
def services_table() -> dict[str, Any]:
    """services.toml, checked: every value it puts in compose.yaml matches its grammar."""
    table = data_toml("services.toml")
    for kind, entry in table.items():
        names = [entry["service"], *entry["environment"], *entry["url_variables"], *entry["host_variables"]]
        values = [entry["url"], *entry["environment"].values(), *entry["healthcheck"], entry["volume"]]
        if (
            not SERVICE_NAME.fullmatch(entry["service"])
            or not SERVICE_IMAGE.fullmatch(entry["image"])
            or not all(ENV_NAME.fullmatch(n) for n in names[1:])
            or not all(isinstance(v, str) and COMPOSE_VALUE.fullmatch(v) for v in values)
        ):
            raise InspectError("dockergen/data/services.toml", f"[{kind}] has a value compose.yaml cannot hold")
    return table


def plan_compose(
    facts: ProjectFacts, command: tuple[str, ...], port: int | None, healthcheck: bool, reasons: list[str]
) -> ComposePlan | None:
    """compose.yaml, when the compose setting asks for it (None otherwise)."""
    if not facts.settings.get("compose", False):
        return None
    services = plan_services(facts, reasons)
    return ComposePlan(
        dockerfile=facts.settings.get("output", "Dockerfile"),
        port=port,
        healthcheck=healthcheck,
        services=services,
        environment=plan_app_environment(facts, services, reasons),
        dev=plan_dev(facts, command, reasons),
    )


def plan_services(facts: ProjectFacts, reasons: list[str]) -> tuple[BackingService, ...]:
    """One service per table entry a runtime dependency names; one database at most (the first
    in the table's order), since both would be the `db` host the app's URL names."""
    runtime = {p.name for p in facts.runtime_packages} | {r.name for r in facts.requirements if r.group == "main"}
    out: list[BackingService] = []
    for kind, entry in services_table().items():
        needed_by = tuple(sorted(runtime & set(entry["packages"])))
        if not needed_by:
            continue
        if any(s.name == entry["service"] for s in out):
            reasons.append(f"compose: no {kind} service for {', '.join(needed_by)}: the db service is taken")
            continue
        out.append(
            BackingService(
                name=entry["service"],
                kind=kind,
                image=entry["image"],
                port=entry["port"],
                volume=entry["volume"],
                environment=tuple(entry["environment"].items()),
                healthcheck=tuple(entry["healthcheck"]),
                needed_by=needed_by,
            )
        )
        reasons.append(f"compose: service {entry['service']} ({entry['image']}) for {', '.join(needed_by)}")
    return tuple(out)


def plan_app_environment(
    facts: ProjectFacts, services: tuple[BackingService, ...], reasons: list[str]
) -> tuple[tuple[str, str], ...]:
    """Each service's URL under every variable the code reads it from (the table's first name
    when the code names none), its host under a host variable the code reads; every other
    variable the app requires from .env, with a development default for a secret's name."""
    reads = {read.name: read for read in (*facts.env_reads, *facts.code_env_reads)}
    env: dict[str, str] = {}
    for service in services:
        entry = services_table()[service.kind]
        urls = [name for name in entry["url_variables"] if name in reads and name not in env]
        for name in urls or [entry["url_variables"][0]]:
            env.setdefault(name, entry["url"])
        where = ", ".join(_where(reads[name]) for name in urls)
        reasons.append(
            f"compose: {' and '.join(urls or entry['url_variables'][:1])} = the {service.name} service's URL "
            + (f"(read at {where})" if urls else "(the conventional name: the code reads none dockergen knows)")
        )
        for name in entry["host_variables"]:
            if name in reads:
                env.setdefault(name, service.name)
    given = facts.settings.get("env", {})
    for read in facts.run_env:
        if read.name in env or read.name in given:
            continue
        if SECRET_NAME.search(read.name):
            env[read.name] = f"${{{read.name}:-{DEV_SECRET}}}"
            reasons.append(f"compose: {read.name} from .env, else a development value (never in the Dockerfile)")
        else:
            env[read.name] = f"${{{read.name}:?set {read.name} in .env: the app requires it}}"
    return tuple(env.items())


def _where(read: EnvRead) -> str:
    return f"{read.file}:{read.line}" if read.line else read.file


def plan_dev(facts: ProjectFacts, command: tuple[str, ...], reasons: list[str]) -> DevStage:
    """The dev stage: the development groups (for managers that install groups by name), and the
    command with the server's own reload where dockergen knows it, else compose restarts it."""
    traits = install_traits(facts.manager)
    groups = tuple(g for g in facts.groups if g in DEV_GROUPS) if traits.installs_groups else ()
    reasons.append(
        f"dev stage: the {', '.join(groups)} group(s) too"
        if groups
        else "dev stage: the runtime dependencies (no development group the manager installs by name)"
    )
    dev_command, reloads = reload_command(command)
    reasons.append(
        f"dev stage runs {' '.join(dev_command)}: "
        + ("it reloads on a change compose watch syncs" if reloads else "compose watch restarts it on a change")
    )
    src = (Path(facts.root) / "src").is_dir() and not (Path(facts.root) / "src" / "__init__.py").exists()
    return DevStage(
        groups=groups,
        command=dev_command,
        reloads=reloads,
        pythonpath="/app/src" if src else "/app",
        rebuild=facts.inputs,
    )


def reload_command(command: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """The command with its server's reload, and whether it has one."""
    words = list(command)
    if words[:1] and words[0] in RELOAD_FLAGS:
        return (words[0], RELOAD_FLAGS[words[0]], *words[1:]), True
    if words[:3] == ["python", "manage.py", "runserver"]:
        return tuple(w for w in words if w != "--noreload"), True
    if words[:1] == ["flask"] and "run" in words:
        at = words.index("run") + 1
        return (*words[:at], "--debug", *words[at:]), True
    if words[:2] == ["streamlit", "run"]:
        return (*words, "--server.runOnSave=true"), True
    return tuple(words), False
