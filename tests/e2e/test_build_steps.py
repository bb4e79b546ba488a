"""End to end: build-time steps (issue 13, item 4) and the environment the app needs (item 5).

Each test writes a small project of the shape the item is about, runs `dockergen init`'s write,
builds the image with the real engine (Django, gunicorn, WhiteNoise and Babel come from PyPI) and
starts it: collectstatic's output is served, catalogs are translated, the `build` setting's output
and the `env` setting's values are in the image, and the variables the settings require are
needed at run time but never baked in.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import dockergen
from dockergen.api import write

from .engine import docker, image_tag

pytestmark = pytest.mark.docker

REQUIREMENTS = "Django==5.2.19\ngunicorn==27.0.1\nwhitenoise==6.12.0\n"
PO = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n\n'
    'msgid "Hello"\nmsgstr "Bonjour"\n'
)
SETTINGS = """\
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
                  "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles", "{app}"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware",
              "django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.common.CommonMiddleware",
              "django.contrib.auth.middleware.AuthenticationMiddleware",
              "django.contrib.messages.middleware.MessageMiddleware"]
ROOT_URLCONF = "{app}.urls"
TEMPLATES = [{{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
              "OPTIONS": {{"context_processors": ["django.contrib.auth.context_processors.auth",
                                                 "django.contrib.messages.context_processors.messages",
                                                 "django.template.context_processors.request"]}}}}]
WSGI_APPLICATION = "{app}.wsgi.application"
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/db.sqlite3"}}}}
USE_I18N = True
LANGUAGE_CODE = "en"
LOCALE_PATHS = [BASE_DIR / "locale"]
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
"""
URLS = """\
from django.http import HttpResponse
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext


def hello(request):
    with translation.override("fr"):
        return HttpResponse(gettext("Hello"))


urlpatterns = [path("", hello)]
"""
WSGI = "import os\nfrom django.core.wsgi import get_wsgi_application\n\n{default}application = get_wsgi_application()\n"
MANAGE = """\
import os
import sys

if __name__ == "__main__":
{default}    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""


def django_project(make_project, app: str, settings_default: bool, pyproject: str = "") -> Path:
    default = f'    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{app}.settings")\n' if settings_default else ""
    files = {
        ".python-version": "3.13\n",
        "requirements.txt": REQUIREMENTS,
        "manage.py": MANAGE.format(default=default),
        f"{app}/__init__.py": "",
        f"{app}/settings.py": SETTINGS.format(app=app),
        f"{app}/urls.py": URLS,
        f"{app}/wsgi.py": WSGI.format(default=default.strip() + "\n" if default else ""),
        f"{app}/static/{app}/site.css": "body { color: rebeccapurple }\n",
        "locale/fr/LC_MESSAGES/django.po": PO,
    }
    if pyproject:
        files["pyproject.toml"] = pyproject
    return make_project(files)


def fetch(container: str, *paths: str) -> list[str]:
    """GET each path from inside the container (the server's own loopback), once it answers."""
    probe = (
        "import sys, time, urllib.request\n"
        "for _ in range(60):\n"
        "    try:\n"
        "        urllib.request.urlopen('http://127.0.0.1:8000/static/missing-probe', timeout=2)\n"
        "    except urllib.error.HTTPError:\n"
        "        break\n"
        "    except OSError:\n"
        "        time.sleep(0.5)\n"
        "for path in sys.argv[1:]:\n"
        "    r = urllib.request.urlopen('http://127.0.0.1:8000' + path, timeout=5)\n"
        "    print(r.status, r.read().decode().strip())\n"
    )
    result = docker("exec", container, "python", "-c", probe, *paths, check=False)
    logs = docker("logs", container, check=False)
    assert result.returncode == 0, result.stdout + result.stderr + logs.stdout + logs.stderr
    return result.stdout.strip().splitlines()


def image_env(tag: str) -> list[str]:
    return json.loads(docker("image", "inspect", "-f", "{{json .Config.Env}}", tag).stdout)


def serve(tag: str, name: str, *env: str) -> str:
    container = image_tag(name).replace("/", "-").replace(":", "-")
    docker("rm", "-f", container, check=False)
    flags = [flag for pair in env for flag in ("-e", pair)]
    docker("run", "-d", "--name", container, "--network=none", "--read-only", "--tmpfs", "/tmp", *flags, tag)
    return container


def test_django_collectstatic_and_compilemessages_run_in_the_build_with_a_placeholder_secret(make_project):
    """Item 4 (collectstatic, Django catalogs) and item 5 (a required SECRET_KEY): the static files
    WhiteNoise serves exist only if collectstatic ran, the French reply only if the .po was compiled;
    the settings read os.environ["SECRET_KEY"], which the build gets as a placeholder in its RUN
    lines only, so the image has no SECRET_KEY and will not start without one."""
    project = django_project(make_project, "shop", settings_default=True)
    facts = dockergen.inspect(project)
    assert [read.name for read in facts.run_env] == ["SECRET_KEY"]
    write(project)
    dockerfile = (project / "Dockerfile").read_text()
    assert "ENV SECRET_KEY" not in dockerfile and "ARG SECRET_KEY" not in dockerfile
    assert "env SECRET_KEY=dockergen-build-placeholder python manage.py collectstatic --noinput" in dockerfile
    tag = image_tag("buildsteps-django:test")
    docker("build", "-t", tag, str(project))
    assert not [line for line in image_env(tag) if line.startswith("SECRET_KEY=")]
    without = docker("run", "--rm", "--network=none", tag, "python", "manage.py", "check", check=False)
    assert without.returncode != 0 and "SECRET_KEY" in without.stderr
    container = serve(tag, "buildsteps-django", "SECRET_KEY=run-time-secret")
    try:
        replies = fetch(container, "/", "/static/shop/site.css", "/static/admin/css/base.css")
    finally:
        docker("rm", "-f", container, check=False)
    assert replies[0] == "200 Bonjour"
    assert replies[1] == "200 body { color: rebeccapurple }"
    assert replies[2].startswith("200 ")
    listing = docker("run", "--rm", "--network=none", "-e", "SECRET_KEY=x", tag, "sh", "-c", "id -u; ls -ld /app")
    uid, app_dir = listing.stdout.split("\n", 1)
    assert uid == "10001" and " app " in app_dir, "the user still owns /app"


def test_a_settings_module_from_the_env_setting_and_required_variables(make_project):
    """Item 5: manage.py names no settings module, so `inspect` lists DJANGO_SETTINGS_MODULE and
    SECRET_KEY as what the app needs; `env = {...}` gives the settings module (and a default of the
    app's own) to the image, after which the Django command, collectstatic and the run work."""
    project = django_project(make_project, "site_b", settings_default=False)
    facts = dockergen.inspect(project)
    assert [read.name for read in facts.run_env] == ["DJANGO_SETTINGS_MODULE", "SECRET_KEY"]
    (project / "pyproject.toml").write_text(
        '[tool.dockergen]\nenv = {DJANGO_SETTINGS_MODULE = "site_b.settings", APP_GREETING = "hello from env"}\n'
    )
    facts = dockergen.inspect(project)
    assert [read.name for read in facts.run_env] == ["SECRET_KEY"]
    assert facts.entrypoint is not None and facts.entrypoint.command[0] == "gunicorn"
    write(project)
    tag = image_tag("buildsteps-envsetting:test")
    docker("build", "-t", tag, str(project))
    env = image_env(tag)
    assert "DJANGO_SETTINGS_MODULE=site_b.settings" in env and "APP_GREETING=hello from env" in env
    check = docker("run", "--rm", "--network=none", "-e", "SECRET_KEY=x", tag, "python", "manage.py", "check")
    assert "System check identified no issues" in check.stdout + check.stderr
    container = serve(tag, "buildsteps-envsetting", "SECRET_KEY=run-time-secret")
    try:
        replies = fetch(container, "/static/site_b/site.css")
    finally:
        docker("rm", "-f", container, check=False)
    assert replies == ["200 body { color: rebeccapurple }"]


def test_babel_catalogs_and_the_build_setting_run_after_the_code_is_copied(make_project):
    """Item 4: a Babel project's catalogs are compiled with pybabel, and the `build` setting's
    commands run after it, in the app stage, with their output copied to the runner."""
    project = make_project(
        {
            ".python-version": "3.13\n",
            "requirements.txt": "Babel==2.19.0\n",
            "pyproject.toml": (
                "[tool.dockergen]\n"
                'build = ["python make_stamp.py", ["python", "-c", "print(1)"]]\n'
                'env = {GREETING_STYLE = "formal; not a shell command"}\n'
            ),
            "make_stamp.py": "import pathlib\npathlib.Path('stamp.txt').write_text('made at build time')\n",
            "main.py": (
                "import os, pathlib\n"
                "from babel.support import Translations\n"
                "t = Translations.load('translations', ['fr'])\n"
                "print(t.gettext('Hello'), pathlib.Path('stamp.txt').read_text(), os.environ['GREETING_STYLE'])\n"
            ),
            "translations/fr/LC_MESSAGES/messages.po": PO,
        }
    )
    plan = dockergen.plan(project)[1]
    assert plan.app is not None
    assert [step.command for step in plan.app.steps] == [
        ("pybabel", "compile", "-d", "translations", "-D", "messages"),
        ("python", "make_stamp.py"),
        ("python", "-c", "print(1)"),
    ]
    write(project)
    tag = image_tag("buildsteps-babel:test")
    docker("build", "-t", tag, str(project))
    out = docker("run", "--rm", "--network=none", "--read-only", tag).stdout.strip()
    assert out == "Bonjour made at build time formal; not a shell command"
