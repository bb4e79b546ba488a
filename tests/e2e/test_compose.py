"""End to end: the compose.yaml dockergen writes, started with `docker compose up --wait`.

A Flask app counting visits in Redis, locked with the real uv: compose builds the Dockerfile's
dev stage, starts Redis, waits for both health checks, and the app answers from Redis; then
`docker compose watch` copies an edit into the container and gunicorn's reload serves it. A
Flask app on PostgreSQL, its password given in .env, answers with what the database says.

No registry is reachable here, so the test replaces the `redis:7` and `postgres:17` images, and
only those, by stand-ins built from Debian's packages (redis-server; postgresql, with a script
that does what the official image's entrypoint does with POSTGRES_USER, POSTGRES_PASSWORD and
POSTGRES_DB), in a compose override file of its own: the generated compose.yaml is the one a
user gets, health checks and all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from dockergen.api import write

from .engine import docker, free_port, image_tag

pytestmark = pytest.mark.docker

APP = {
    "pyproject.toml": '[project]\nname = "counter"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
    'dependencies = ["flask==3.1.3", "gunicorn==23.0.0", "redis==6.4.0"]\n\n'
    '[dependency-groups]\ndev = ["iniconfig==2.1.0"]\n\n[tool.dockergen]\ncompose = true\n',
    ".python-version": "3.13\n",
    "app.py": "import os\n\nimport redis\nfrom flask import Flask\n\napp = Flask(__name__)\n"
    'store = redis.Redis.from_url(os.environ["REDIS_URL"])\n\n\n@app.get("/")\ndef index():\n'
    "    import iniconfig  # the dev group is installed in the dev stage\n\n"
    "    return f\"visits: {store.incr('visits')}\\n\"\n",
}
REDIS_STANDIN = (
    "FROM debian:trixie-slim\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends redis-server"
    " && rm -rf /var/lib/apt/lists/* && mkdir -p /data\n"
    'CMD ["redis-server", "--protected-mode", "no", "--bind", "0.0.0.0", "--dir", "/data"]\n'
)

POSTGRES_STANDIN = (
    "FROM debian:trixie-slim\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends postgresql && rm -rf /var/lib/apt/lists/*\n"
    "ENV PGDATA=/var/lib/postgresql/data\n"
    "RUN printf '%s\\n' \\\n"
    + "".join(
        f"    '{line}' \\\n"
        for line in (
            "#!/bin/sh",
            "set -e",
            "bin=$(echo /usr/lib/postgresql/*/bin)",
            'mkdir -p "$PGDATA" /run/postgresql && chown postgres "$PGDATA" /run/postgresql',
            'if [ ! -s "$PGDATA/PG_VERSION" ]; then',
            '  printf "%s" "$POSTGRES_PASSWORD" > /tmp/pw && chown postgres /tmp/pw',
            '  su postgres -c "$bin/initdb -D $PGDATA -E UTF8 --locale=C.UTF-8'
            ' -U $POSTGRES_USER --pwfile=/tmp/pw -A scram-sha-256"',
            '  rm /tmp/pw && echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"',
            '  echo "CREATE DATABASE $POSTGRES_DB OWNER $POSTGRES_USER;"'
            ' | su postgres -c "$bin/postgres --single -j -D $PGDATA postgres"',
            "fi",
            'exec su postgres -c "exec $bin/postgres -D $PGDATA -c listen_addresses=*"',
        )
    )
    + "    > /usr/local/bin/standin && chmod +x /usr/local/bin/standin\n"
    'CMD ["standin"]\n'
)
POSTGRES_APP = {
    "pyproject.toml": '[project]\nname = "notes"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
    'dependencies = ["flask==3.1.3", "gunicorn==23.0.0", "psycopg[binary]==3.2.10"]\n\n'
    "[tool.dockergen]\ncompose = true\n",
    ".python-version": "3.13\n",
    "app.py": "import os\n\nimport psycopg\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
    '@app.get("/")\ndef index():\n    with psycopg.connect(os.environ["DATABASE_URL"]) as db:\n'
    '        user, name = db.execute("select current_user::text, current_database()::text").fetchone()\n'
    '    return f"{user}@{name}\\n"\n',
    # compose reads .env: the password replaces the development default in the service and the URL.
    ".env": "POSTGRES_PASSWORD=from-dotenv\n",
}


def with_override(project: Path, tmp_path_factory, override: str) -> tuple[tuple[str, ...], int]:
    """The `docker compose` arguments for the project's compose.yaml with an override file (the
    stand-in images, a free port), and that port."""
    port = free_port()
    path = tmp_path_factory.mktemp("override") / "compose.override.yaml"
    path.write_text(f'services:\n  app:\n    ports: !override\n      - "127.0.0.1:{port}:8000"\n{override}')
    compose = ("compose", "-p", f"dockergen-e2e-compose-{port}", "-f", str(project / "compose.yaml"), "-f", str(path))
    return compose, port


def get(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
        return response.read().decode()


def wait_for(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)


def test_compose_up_starts_the_app_and_redis_and_watch_reloads_an_edit(make_project, lock_tool, tmp_path_factory):
    project = make_project(APP)
    subprocess.run([str(lock_tool("uv")), "lock"], cwd=project, check=True, capture_output=True)
    assert write(project)["compose.yaml"] == "created"
    redis_image = image_tag("redis-standin:7")
    docker("build", "-t", redis_image, "-", stdin=REDIS_STANDIN)
    log = tmp_path_factory.mktemp("watch") / "watch.log"
    compose, port = with_override(project, tmp_path_factory, f"  redis:\n    image: {redis_image}\n")
    watcher = None
    try:
        docker(*compose, "up", "--wait", "--build")
        assert get(port) == "visits: 1\n"
        assert get(port) == "visits: 2\n"
        with open(log, "w") as out:
            watcher = subprocess.Popen(
                ["docker", *compose, "watch"], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_for(lambda: "Watch enabled" in log.read_text(), 120, "docker compose watch")
        app = Path(project / "app.py")
        app.write_text(app.read_text().replace("visits:", "hits:"))
        wait_for(lambda: get(port).startswith("hits: "), 60, f"the edit to be served:\n{log.read_text()}")
    finally:
        if watcher is not None:  # Ctrl-C, as a person stops it: the docker CLI and its compose plugin
            os.killpg(watcher.pid, signal.SIGINT)
            try:
                watcher.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(watcher.pid, signal.SIGKILL)
        docker(*compose, "down", "-v", "--rmi", "local", check=False)


def test_compose_up_wires_postgres_with_the_password_from_dotenv(make_project, lock_tool, tmp_path_factory):
    project = make_project(POSTGRES_APP)
    subprocess.run([str(lock_tool("uv")), "lock"], cwd=project, check=True, capture_output=True)
    assert write(project)["compose.yaml"] == "created"
    postgres_image = image_tag("postgres-standin:17")
    docker("build", "-t", postgres_image, "-", stdin=POSTGRES_STANDIN)
    compose, port = with_override(project, tmp_path_factory, f"  db:\n    image: {postgres_image}\n")
    try:
        docker(*compose, "up", "--wait", "--build")
        assert get(port) == "app@app\n"
        # The database was made with the .env password: the app's URL carries the same one.
        assert "from-dotenv" in docker(*compose, "exec", "-T", "app", "printenv", "DATABASE_URL").stdout
    finally:
        docker(*compose, "down", "-v", "--rmi", "local", check=False)
