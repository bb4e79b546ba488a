"""compose.yaml and the Dockerfile's dev stage (issue 15, part 1): the services the dependencies
imply, the URL each is wired to, the development command, and the file's ownership like every
other output's. `docker compose config` validates each generated file where the plugin is
installed; tests/e2e/test_compose.py starts one with `docker compose up --wait`.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

import dockergen
from dockergen.api import COMPOSE_FILE, plan, status, write
from dockergen.compose import reload_command, services_table
from dockergen.facts import InspectError
from dockergen.render import yaml_value

from .conftest import SAMPLES

FLASK_REDIS = {
    "requirements.txt": "flask==3.1.0\ngunicorn==23.0.0\nredis==5.2.1\n",
    "app.py": "import os\nfrom flask import Flask\nimport redis\n\napp = Flask(__name__)\n"
    'store = redis.Redis.from_url(os.environ["CACHE_REDIS"])\nbroker = os.getenv("CELERY_BROKER_URL")\n',
    "pyproject.toml": "[tool.dockergen]\ncompose = true\n",
}
DJANGO_POSTGRES = {
    "requirements.txt": "Django==5.2.19\npsycopg==3.2.10\ngunicorn==23.0.0\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_a.settings')\n",
    "site_a/__init__.py": "",
    "site_a/wsgi.py": "application = None\n",
    "site_a/settings.py": "import environ\nenv = environ.Env()\nSECRET_KEY = env('DJANGO_SECRET_KEY')\n"
    "DATABASES = {'default': env.db()}\nWSGI_APPLICATION = 'site_a.wsgi.application'\n"
    "POSTGRES_HOST = env('POSTGRES_HOST')\nSENTRY = env('SENTRY_ENVIRONMENT')\n",
    "pyproject.toml": "[tool.dockergen]\ncompose = true\n",
}
MYSQL = {
    "requirements.txt": "mysqlclient==2.2.7\n",
    "main.py": "print('hi')\n",
    "pyproject.toml": "[tool.dockergen]\ncompose = true\n",
}
compose_cli = pytest.mark.skipif(
    shutil.which("docker") is None
    or subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0,
    reason="no docker compose plugin",
)


def compose_of(project):
    return dockergen.generate(project)[COMPOSE_FILE]


def test_redis_from_the_dependencies_wired_to_every_url_variable_the_code_reads(make_project):
    project = make_project(FLASK_REDIS)
    _, build_plan = plan(project)
    assert build_plan.compose is not None
    assert [(s.name, s.image, s.needed_by) for s in build_plan.compose.services] == [("redis", "redis:7", ("redis",))]
    # CACHE_REDIS is no name the table knows; CELERY_BROKER_URL is, and the code reads it.
    assert dict(build_plan.compose.environment) == {"CELERY_BROKER_URL": "redis://redis:6379/0"}
    assert any("CELERY_BROKER_URL = the redis service's URL (read at app.py:7)" in r for r in build_plan.reasons)


def test_postgres_for_django_with_the_settings_variables(make_project):
    project = make_project(DJANGO_POSTGRES)
    _, build_plan = plan(project)
    compose = build_plan.compose
    assert compose is not None
    (db,) = compose.services
    assert (db.name, db.image, db.volume) == ("db", "postgres:17", "/var/lib/postgresql/data")
    assert db.healthcheck == ("CMD-SHELL", "pg_isready -U app -d app")
    env = dict(compose.environment)
    # env.db() reads DATABASE_URL; POSTGRES_HOST is the service's host name.
    assert env["DATABASE_URL"] == "postgresql://app:${POSTGRES_PASSWORD:-dev-password}@db:5432/app"
    assert env["POSTGRES_HOST"] == "db"
    # A required secret gets a development default; any other required variable must be given.
    assert env["DJANGO_SECRET_KEY"] == "${DJANGO_SECRET_KEY:-dev-only-not-a-secret}"
    assert env["SENTRY_ENVIRONMENT"] == "${SENTRY_ENVIRONMENT:?set SENTRY_ENVIRONMENT in .env: the app requires it}"
    assert compose.dev.command == ("gunicorn", "--reload", "--bind", "0.0.0.0:8000", "site_a.wsgi:application")


def test_mysql_clients_get_mariadb_and_the_conventional_url(make_project):
    _, build_plan = plan(make_project(MYSQL))
    assert build_plan.compose is not None
    (db,) = build_plan.compose.services
    assert (db.kind, db.image) == ("mariadb", "mariadb:11")
    assert dict(build_plan.compose.environment) == {
        "DATABASE_URL": "mysql://app:${MARIADB_PASSWORD:-dev-password}@db:3306/app"
    }
    assert any("the conventional name" in r for r in build_plan.reasons)
    # No server dockergen knows: compose watch restarts the command on a change.
    assert build_plan.compose.dev.command == ("python", "main.py")
    assert not build_plan.compose.dev.reloads
    assert "action: sync+restart" in compose_of(make_project(MYSQL))


def test_no_services_for_a_project_without_such_dependencies():
    _, build_plan = plan(SAMPLES / "uv-fastapi", compose=True)
    assert build_plan.compose is not None and build_plan.compose.services == ()
    assert "depends_on" not in compose_of_sample("uv-fastapi")


def compose_of_sample(name: str) -> str:
    return dockergen.generate(SAMPLES / name, compose=True)[COMPOSE_FILE]


@pytest.mark.parametrize(
    ("command", "reloading"),
    [
        (("uvicorn", "m:app", "--host", "0.0.0.0"), ("uvicorn", "--reload", "m:app", "--host", "0.0.0.0")),
        (
            ("gunicorn", "--bind", "0.0.0.0:8000", "app:app"),
            ("gunicorn", "--reload", "--bind", "0.0.0.0:8000", "app:app"),
        ),
        (("hypercorn", "m:app"), ("hypercorn", "--reload", "m:app")),
        (
            ("python", "manage.py", "runserver", "--noreload", "0.0.0.0:8000"),
            ("python", "manage.py", "runserver", "0.0.0.0:8000"),
        ),
        (
            ("flask", "--app", "app", "run", "--host", "0.0.0.0"),
            ("flask", "--app", "app", "run", "--debug", "--host", "0.0.0.0"),
        ),
        (("streamlit", "run", "app.py"), ("streamlit", "run", "app.py", "--server.runOnSave=true")),
    ],
)
def test_the_dev_command_is_the_servers_own_reload(command, reloading):
    assert reload_command(command) == (reloading, True)


def test_the_dev_stage_installs_the_dev_group_where_the_manager_installs_groups():
    _, uv_plan = plan(SAMPLES / "uv-fastapi", compose=True)
    assert uv_plan.compose is not None and uv_plan.compose.dev.groups == ("dev",)
    dockerfile = dockergen.generate(SAMPLES / "uv-fastapi", compose=True)["Dockerfile"]
    dev = dockerfile.split("AS dev\n", 1)[1].split("\nFROM", 1)[0]
    # The runtime step says --no-dev; the dev stage's installs the group.
    assert "uv sync --frozen --no-editable --no-install-project --group dev" in dev
    assert "--no-dev" in dockerfile.split("AS deps\n", 1)[1].split("\nFROM", 1)[0]
    assert 'CMD ["uvicorn", "--reload", "uv_fastapi.main:app"' in dev
    # The runner is still the last stage: `docker build` builds the image to ship.
    assert dockerfile.rindex("FROM ") == dockerfile.index("FROM python:3.13-slim-trixie AS runner")
    _, pip_plan = plan(SAMPLES / "piptools-psycopg", compose=True)
    assert pip_plan.compose is not None and pip_plan.compose.dev.groups == ()


def test_without_the_setting_nothing_changes():
    files = dockergen.generate(SAMPLES / "uv-fastapi")
    assert COMPOSE_FILE not in files
    assert " AS dev" not in files["Dockerfile"]
    assert "compose.yaml" not in files[".dockerignore"]
    with_compose = dockergen.generate(SAMPLES / "uv-fastapi", compose=True)
    assert "\ncompose.yaml\n" in with_compose[".dockerignore"]


def test_written_checked_and_owned_like_the_other_outputs(make_project):
    project = make_project(FLASK_REDIS)
    assert write(project)[COMPOSE_FILE] == "created"
    assert {s.name: s.state for s in status(project)}[COMPOSE_FILE] == "current"
    text = (project / COMPOSE_FILE).read_text()
    (project / COMPOSE_FILE).write_text(text.replace("redis:7", "redis:6"))
    assert {s.name: s.state for s in status(project)}[COMPOSE_FILE] == "edited"
    # The header's four lines deleted: the team's file, left alone and not checked.
    (project / COMPOSE_FILE).write_text(text.split("\n", 5)[5])
    assert write(project)[COMPOSE_FILE].startswith("owned (no dockergen header)")
    assert {s.name: s.state for s in status(project)}[COMPOSE_FILE] == "owned"


def test_a_teams_own_compose_file_is_never_shadowed(make_project):
    project = make_project({**FLASK_REDIS, "docker-compose.yml": "services: {}\n"})
    actions = write(project)
    assert "own compose file (docker-compose.yml)" in actions[COMPOSE_FILE]
    assert not (project / COMPOSE_FILE).exists()


def test_manage_leaves_it_out(make_project):
    project = make_project(FLASK_REDIS)
    assert COMPOSE_FILE not in write(project, manage=["Dockerfile", "dockerignore"])
    assert not (project / COMPOSE_FILE).exists()


def test_init_compose_once_keeps_it_managed_and_compose_false_removes_it(make_project):
    project = make_project({**FLASK_REDIS, "pyproject.toml": ""})
    assert write(project, compose=True)[COMPOSE_FILE] == "created"
    # Neither pyproject.toml nor a flag says compose: dockergen's own compose.yaml keeps it on.
    assert " AS dev" in dockergen.generate(project)["Dockerfile"]
    assert {s.name: s.state for s in status(project)}[COMPOSE_FILE] == "current"
    actions = write(project, compose=False)
    assert actions[COMPOSE_FILE] == "removed: [tool.dockergen] compose = false"
    assert actions["Dockerfile"] == "updated"


def test_compose_values_are_quoted_and_control_characters_refused():
    assert yaml_value("a: b # c") == '"a: b # c"'
    assert yaml_value(("CMD", "redis-cli", "ping")) == '["CMD", "redis-cli", "ping"]'
    with pytest.raises(InspectError):
        yaml_value("x\ny: 1")


def test_every_service_in_the_table_names_a_tagged_image_and_a_health_check():
    for kind, entry in services_table().items():
        assert ":" in entry["image"] and entry["healthcheck"][0] in ("CMD", "CMD-SHELL"), kind
        assert entry["source"].startswith("https://"), kind


@compose_cli
@pytest.mark.parametrize("files", [FLASK_REDIS, DJANGO_POSTGRES, MYSQL], ids=["redis", "postgres", "mariadb"])
def test_docker_compose_config_accepts_it(make_project, files):
    project = make_project(files)
    write(project)
    result = subprocess.run(
        ["docker", "compose", "--project-directory", str(project), "config", "--format", "json"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "SENTRY_ENVIRONMENT": "test", "HOME": str(project)},
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    app = config["services"]["app"]
    assert app["build"]["target"] == "dev"
    for name in set(config["services"]) - {"app"}:
        assert app["depends_on"][name]["condition"] == "service_healthy"
        assert config["services"][name]["healthcheck"]["test"]
        assert config["services"][name]["volumes"][0]["source"] == f"{name}-data"
    assert all(port["host_ip"] == "127.0.0.1" for port in app.get("ports", []))
    # Compose fills in the development password where the user's .env gives none.
    assert "${" not in json.dumps(app.get("environment", {}))


@compose_cli
def test_docker_compose_config_says_which_variable_is_missing(make_project):
    project = make_project(DJANGO_POSTGRES)
    write(project)
    result = subprocess.run(
        ["docker", "compose", "--project-directory", str(project), "config"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(project)},
    )
    assert result.returncode != 0
    assert "set SENTRY_ENVIRONMENT in .env" in result.stderr


def test_a_compose_yaml_linked_out_of_the_project_is_never_read_nor_written(make_project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "compose.yaml"
    outside.write_text("# dockergen: inputs=0000000000000000 output=0000000000000000\nservices: {}\n")
    project = make_project({**FLASK_REDIS, "pyproject.toml": ""})
    (project / COMPOSE_FILE).symlink_to(outside)
    assert COMPOSE_FILE not in dockergen.generate(project)  # the link turns nothing on
    with pytest.raises(InspectError, match="symbolic link"):
        write(project, compose=True)
    assert outside.read_text().endswith("services: {}\n")


@pytest.mark.parametrize(
    ("sample", "runtime", "dev"),
    [
        ("pdm-flask", "pdm install --check --prod --no-editable", "pdm install --check --no-editable"),
        ("pipenv-app", "pipenv sync \\\n", "pipenv sync --categories 'packages develop'"),
        ("poetry-django", "--only main --format", "--only main,dev --format"),
    ],
)
def test_each_managers_dev_stage_installs_its_development_group(sample, runtime, dev):
    """Built and checked by hand for pdm-flask and pipenv-app (pytest is in the dev image, not the
    runner); here, that the runtime step is unchanged and the dev stage's selects the group."""
    dockerfile = dockergen.generate(SAMPLES / sample, compose=True)["Dockerfile"]
    deps, rest = dockerfile.split("AS deps\n", 1)[1].split("\nFROM", 1)
    assert runtime in deps + "\n"
    assert dev in rest.split("AS dev\n", 1)[1].split("\nFROM", 1)[0]


def test_init_compose_says_how_to_start_it(make_project):
    from click.testing import CliRunner

    from dockergen.cli import main

    project = make_project({**FLASK_REDIS, "pyproject.toml": ""})
    result = CliRunner().invoke(main, ["init", "--compose", str(project)])
    assert result.exit_code == 0, result.output
    assert "compose.yaml: created" in result.output
    assert "Dev:  docker compose up --wait" in result.output
    assert CliRunner().invoke(main, ["check", str(project)]).exit_code == 0


def test_init_compose_for_a_project_with_no_server_says_compose_run(make_project):
    from click.testing import CliRunner

    from dockergen.cli import main

    result = CliRunner().invoke(main, ["init", str(make_project(MYSQL))])
    assert result.exit_code == 0, result.output
    assert "Dev:  docker compose run --rm app" in result.output


def test_the_dev_stage_probes_as_the_runner_does(make_project):
    project = make_project({**FLASK_REDIS, "pyproject.toml": '[tool.dockergen]\ncompose = true\nhealthcheck = "/up"\n'})
    dockerfile = dockergen.generate(project)["Dockerfile"]
    dev, runner = dockerfile.split("AS dev\n", 1)[1].split("AS runner\n", 1)
    probe = [line for line in runner.splitlines() if line.startswith("    CMD [")]
    assert len(probe) == 1 and "/up" in probe[0]
    assert probe[0] in dev.splitlines()
