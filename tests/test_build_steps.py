"""Build-time steps and the environment an app needs (issue 13, items 4 and 5), on facts and plan.

What the settings files say is read as syntax trees, never imported; these tests write small
projects of each shape and assert the facts (with the file they came from) and the decisions.
The e2e counterparts, which build and start images, are in tests/e2e/test_build_steps.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import dockergen
from dockergen.cli import main
from dockergen.facts import InspectError
from dockergen.plan import PLACEHOLDER, BuildPlan

from .conftest import SAMPLES

MANAGE = "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_a.settings')\n"
BARE_MANAGE = "import sys\nfrom django.core.management import execute_from_command_line\n"
STATIC = "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = BASE_DIR / 'static'\n"
HEAD = "import os\nfrom pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"


def django(make_project, settings: str, manage: str = MANAGE, extra: dict[str, str] | None = None) -> Path:
    files = {
        "requirements.txt": "Django==5.2.19\n",
        ".python-version": "3.13\n",
        "manage.py": manage,
        "site_a/__init__.py": "",
        "site_a/settings.py": settings,
        **(extra or {}),
    }
    return make_project(files)


def plan_of(path: Path, **options: object) -> BuildPlan:
    return dockergen.plan(path, **options)[1]


def test_the_django_sample_runs_collectstatic_in_an_app_stage_the_runner_copies():
    plan = plan_of(SAMPLES / "poetry-django")
    assert plan.app is not None
    assert [step.command for step in plan.app.steps] == [("python", "manage.py", "collectstatic", "--noinput")]
    assert plan.app.placeholders == () and plan.app.apt == () and plan.app.copies == ()
    assert any("collectstatic at build time: mysite/settings.py" in reason for reason in plan.reasons)


@pytest.mark.parametrize(
    "sample", sorted(p.name for p in SAMPLES.iterdir() if p.is_dir() and p.name != "poetry-django")
)
def test_samples_without_build_steps_have_no_app_stage(sample):
    plan = plan_of(SAMPLES / sample)
    assert plan.app is None and plan.runner.env == () and plan.runner.needs_env == ()


def test_django_facts_name_the_files_they_come_from(make_project):
    path = django(make_project, HEAD + "SECRET_KEY = os.environ['SECRET_KEY']\n" + STATIC)
    facts = dockergen.inspect(path)
    assert facts.django is not None
    assert (facts.django.settings_module, facts.django.settings_source) == ("site_a.settings", "manage.py")
    assert facts.django.staticfiles and facts.django.static_root == "BASE_DIR / 'static'"
    assert facts.django.static_root_file == "site_a/settings.py"
    (read,) = facts.run_env
    assert (read.name, read.file, read.line, read.how) == (
        "SECRET_KEY",
        "site_a/settings.py",
        4,
        'os.environ["SECRET_KEY"]',
    )


def test_a_required_secret_gets_a_placeholder_in_the_steps_environment_only(make_project):
    path = django(make_project, HEAD + "SECRET_KEY = os.environ['SECRET_KEY']\n" + STATIC)
    plan = plan_of(path)
    assert plan.app is not None and plan.app.placeholders == (("SECRET_KEY", PLACEHOLDER),)
    (step,) = plan.app.steps
    assert plan.app.run(step) == ("env", f"SECRET_KEY={PLACEHOLDER}", *step.command)
    assert plan.runner.needs_env == ("SECRET_KEY",) and plan.runner.env == ()
    dockerfile = dockergen.generate(path)["Dockerfile"]
    assert "SECRET_KEY" not in "".join(line for line in dockerfile.splitlines() if line.startswith(("ENV", "ARG")))


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("X = os.environ['SECRET_KEY']", [("SECRET_KEY", True)]),
        ("X = os.environ.get('SECRET_KEY')", [("SECRET_KEY", False)]),
        ("X = os.getenv('SECRET_KEY')", [("SECRET_KEY", False)]),
        ("X = os.environ.get('SECRET_KEY', 'dev')", []),
        ("X = os.getenv('SECRET_KEY', default='dev')", []),
        ("if 'SECRET_KEY' in os.environ:\n    X = os.environ['SECRET_KEY']", [("SECRET_KEY", False)]),
        ("try:\n    X = os.environ['SECRET_KEY']\nexcept KeyError:\n    X = 'dev'", [("SECRET_KEY", False)]),
        ("os.environ['SECRET_KEY'] = 'set here'", []),
        ("from os import environ\nX = environ['SECRET_KEY']", [("SECRET_KEY", True)]),
        ("import environ\nenv = environ.Env()\nX = env('SECRET_KEY')", [("SECRET_KEY", True)]),
        ("import environ\nenv = environ.Env(DEBUG=(bool, False))\nX = env('DEBUG')", []),
        ("import environ\nenv = environ.Env()\nX = env.bool('DEBUG', default=False)", []),
        ("import environ\nenv = environ.Env()\nX = env.db()", [("DATABASE_URL", True)]),
        ("from environ import Env\nenv = Env()\nX = env.str('API_HOST')", [("API_HOST", True)]),
        ("from decouple import config\nX = config('SECRET_KEY')", [("SECRET_KEY", True)]),
        ("from decouple import config\nX = config('DEBUG', default=False, cast=bool)", []),
    ],
)
def test_environment_reads_and_whether_they_are_required(make_project, code, expected):
    facts = dockergen.inspect(django(make_project, HEAD + code + "\n"))
    assert [(read.name, read.required) for read in facts.env_reads] == expected


def test_placeholders_parse_as_what_the_settings_read(make_project):
    settings = (
        HEAD + "import environ\nenv = environ.Env()\nDATABASES = {'default': env.db()}\n"
        "PORT = int(os.environ['APP_PORT'])\nREDIS = os.environ['REDIS_URL']\nDEBUG = env.bool('DEBUG')\n" + STATIC
    )
    plan = plan_of(django(make_project, settings))
    assert plan.app is not None
    assert dict(plan.app.placeholders) == {
        "DATABASE_URL": "sqlite://:memory:",
        "APP_PORT": "0",
        "REDIS_URL": "redis://localhost:6379/0",
        "DEBUG": "false",
    }


def test_settings_in_a_package_are_followed_through_star_imports(make_project):
    path = make_project(
        {
            "requirements.txt": "Django==5.2.19\n",
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
            "proj/__init__.py": "",
            "proj/settings/__init__.py": "from .production import *\n",
            "proj/settings/production.py": (
                "from proj.settings.base import *\nimport os\nSECRET_KEY = os.environ['KEY']\n"
            ),
            "proj/settings/base.py": HEAD + STATIC,
        }
    )
    facts = dockergen.inspect(path)
    assert facts.django is not None and facts.django.settings_files == (
        "proj/settings/base.py",
        "proj/settings/production.py",
        "proj/settings/__init__.py",
    )
    assert facts.django.static_root_file == "proj/settings/base.py"
    assert [read.name for read in facts.run_env] == ["KEY"]
    assert plan_of(path).app is not None


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        (HEAD + "INSTALLED_APPS = ['django.contrib.staticfiles']\n", "have no STATIC_ROOT"),
        (HEAD + "INSTALLED_APPS = []\nSTATIC_ROOT = BASE_DIR / 'static'\n", "have no django.contrib.staticfiles"),
        (HEAD + "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = None\n", "have no STATIC_ROOT"),
        (
            HEAD + "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = os.environ['STATIC_DIR']\n",
            "STATIC_ROOT comes from STATIC_DIR, known only at run time",
        ),
    ],
)
def test_collectstatic_runs_only_with_staticfiles_and_a_static_root_known_at_build_time(make_project, settings, reason):
    plan = plan_of(django(make_project, settings))
    assert plan.app is None
    assert any(r.startswith("collectstatic not run") and reason in r for r in plan.reasons)


def test_an_absolute_static_root_is_copied_to_the_runner_too(make_project):
    settings = HEAD + "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = '/srv/static'\n"
    path = django(make_project, settings)
    plan = plan_of(path)
    assert plan.app is not None and plan.app.copies == ("/srv/static",)
    # a layer of its own, split from the app stage's copy with the app directory's
    assert plan.app_layers is not None and plan.app_layers.parts[0].paths == ("/srv/static",)
    assert plan.app_layers.mounts == ("/srv/static",)
    dockerfile = dockergen.generate(path)["Dockerfile"]
    assert "    --mount=type=bind,from=app,source=/srv/static,target=/srv/static \\\n" in dockerfile
    assert "COPY --from=app-layers /app-layers/0/ /\n" in dockerfile


@pytest.mark.parametrize(
    ("settings", "extra", "collected"),
    [
        (HEAD + STATIC, {}, "/app/static"),
        ("import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n"
         "STATIC_ROOT = os.path.join(BASE_DIR, 'staticfiles')\n", {}, "/app/staticfiles"),
        ("from pathlib import Path\nBASE_DIR = Path(__file__).resolve(strict=True).parent.parent\n"
         "STATIC_ROOT = str(BASE_DIR.joinpath('public', 'static'))\n", {}, "/app/public/static"),
        ("STATIC_ROOT = 'collected'\n", {}, "/app/collected"),  # relative: to /app, where collectstatic runs
        ("from pathlib import Path\nSTATIC_ROOT = Path(__file__).parent / 'static'\n", {}, "/app/site_a/static"),
        # BASE_DIR from the base settings file, read with that file as __file__
        ("from .base import *\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n",
         {"site_a/base.py": "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"},
         "/app/staticfiles"),
        ("from pathlib import Path\nSTATIC_ROOT = Path(__file__).parent.parent.parent / 'static'\n", {}, None),
        ("STATIC_ROOT = get_static_root()\n", {}, None),
    ],
    ids=["pathlib", "os-path", "joinpath", "relative", "settings-dir", "base-file", "outside", "call"],
)  # fmt: skip
def test_what_collectstatic_collects_has_a_layer_when_its_path_is_in_the_tree(make_project, settings, extra, collected):
    settings = "INSTALLED_APPS = ['django.contrib.staticfiles']\n" + settings
    plan = plan_of(django(make_project, settings, extra=extra))
    assert plan.app is not None and plan.app.steps[0].source == "collectstatic"
    if collected is None:
        assert plan.app_layers is None
        assert any(r.startswith("what collectstatic collects stays in the code's layer") for r in plan.reasons)
    else:
        assert plan.app_layers is not None and plan.app_layers.source == "app"
        assert [(part.paths, part.kind) for part in plan.app_layers.parts] == [((collected,), "collectstatic")]


def test_settings_this_python_cannot_parse_are_a_note_not_an_error(make_project):
    facts = dockergen.inspect(django(make_project, "match = (\n"))
    assert facts.django is not None and facts.django.settings_files == ()
    assert any("cannot be parsed by this Python" in note for note in facts.notes)


def test_manage_py_without_a_settings_module_needs_one_at_run_time(make_project):
    path = django(make_project, HEAD + "SECRET_KEY = os.environ['SECRET_KEY']\n" + STATIC, manage=BARE_MANAGE)
    facts = dockergen.inspect(path)
    assert [(read.name, read.file) for read in facts.run_env] == [
        ("DJANGO_SETTINGS_MODULE", "manage.py"),
        ("SECRET_KEY", "site_a/settings.py"),  # the tree's one settings module, read all the same
    ]
    assert facts.entrypoint is None or facts.entrypoint.kind != "django"
    plan = plan_of(path)
    assert plan.app is None and any("names no DJANGO_SETTINGS_MODULE" in r for r in plan.reasons)
    given = plan_of(path, env={"DJANGO_SETTINGS_MODULE": "site_a.settings"})
    facts = dockergen.inspect(path, env={"DJANGO_SETTINGS_MODULE": "site_a.settings"})
    assert [read.name for read in facts.run_env] == ["SECRET_KEY"]
    assert facts.entrypoint is not None and facts.entrypoint.kind == "django"
    assert given.app is not None and given.app.env == (("DJANGO_SETTINGS_MODULE", "site_a.settings"),)
    assert given.runner.env == (("DJANGO_SETTINGS_MODULE", "site_a.settings"),)


def test_django_catalogs_are_compiled_with_gettext_in_the_app_stage(make_project):
    po = {"locale/fr/LC_MESSAGES/django.po": 'msgid "a"\nmsgstr "b"\n'}
    path = django(make_project, HEAD, extra=po)
    plan = plan_of(path)
    assert plan.app is not None and plan.app.apt == ("gettext",)
    assert [step.command for step in plan.app.steps] == [("python", "manage.py", "compilemessages")]
    (path / "locale/fr/LC_MESSAGES/django.mo").write_bytes(b"")
    assert plan_of(path).app is None  # compiled catalogs are in the tree already


def test_babel_catalogs_are_compiled_per_directory_and_domain(make_project):
    path = make_project(
        {
            "requirements.txt": "flask-babel==4.0.0\n",
            "app.py": "from flask import Flask\napp = Flask(__name__)\n",
            "app/translations/de/LC_MESSAGES/messages.po": "",
            "app/translations/fr/LC_MESSAGES/messages.po": "",
            "app/translations/fr/LC_MESSAGES/admin.po": "",
        }
    )
    plan = plan_of(path)
    assert plan.app is not None and plan.app.apt == ()
    assert [step.command for step in plan.app.steps] == [
        ("pybabel", "compile", "-d", "app/translations", "-D", "messages"),
        ("pybabel", "compile", "-d", "app/translations", "-D", "admin"),
    ]


def test_setup_cfg_compile_catalog_names_the_directory(make_project):
    path = make_project(
        {
            "requirements.txt": "Babel==2.19.0\n",
            "main.py": "print(1)\n",
            "setup.cfg": "[compile_catalog]\ndirectory = i18n\ndomain = app\n",
            "i18n/fr/LC_MESSAGES/app.po": "",
        }
    )
    plan = plan_of(path)
    assert plan.app is not None
    assert [step.command for step in plan.app.steps] == [("pybabel", "compile", "-d", "i18n", "-D", "app")]


def test_catalogs_without_a_known_compiler_get_a_note_naming_the_script(make_project):
    path = make_project(
        {
            "requirements.txt": "click==8.1.8\n",
            "main.py": "print(1)\n",
            "Pipfile": '[scripts]\ncompile_locales = "msgfmt -o x.mo x.po"\n',
            "po/fr.po": "",
        }
    )
    facts = dockergen.inspect(path, manager="requirements")
    assert facts.translations is not None and facts.translations.tool == "script"
    assert facts.translations.script == "Pipfile [scripts] compile_locales"
    assert any("Pipfile [scripts] compile_locales looks like it does" in note for note in facts.notes)
    assert plan_of(path, manager="requirements").app is None


def test_the_build_setting_runs_after_the_detected_steps_in_one_run(make_project):
    path = django(make_project, HEAD + STATIC)
    plan = plan_of(path, build=["python manage.py check", ["python", "-c", "print(1)"]])
    assert plan.app is not None
    assert [(s.source, s.command) for s in plan.app.steps] == [
        ("collectstatic", ("python", "manage.py", "collectstatic", "--noinput")),
        ("setting", ("python", "manage.py", "check")),
        ("setting", ("python", "-c", "print(1)")),
    ]
    dockerfile = dockergen.generate(path, build=["python manage.py check"])["Dockerfile"]
    assert " && python manage.py check\n" in dockerfile
    # the runner's app layers are split from the app stage's /app, after the steps, not from the context
    assert "RUN --mount=type=bind,from=app,source=/app,target=/app \\\n" in dockerfile
    assert "COPY . /app\n" not in dockerfile.split("AS runner")[1]


def test_the_build_setting_alone_makes_an_app_stage(make_project):
    path = make_project({"requirements.txt": "", "main.py": "print(1)\n"})
    plan = plan_of(path, build=["python -m compileall -q ."])
    assert plan.app is not None and plan.app.placeholders == () and not plan.app.project
    assert plan_of(path).app is None


def test_the_build_setting_is_refused_for_a_package_run_from_its_wheel():
    with pytest.raises(InspectError, match=r"\[tool\.dockergen\] build: the image runs the package's wheel"):
        plan_of(SAMPLES / "hatch-cli", build=["python -m compileall ."])


def test_the_env_setting_reaches_the_runner_and_the_steps(make_project):
    path = django(make_project, HEAD + STATIC)
    plan = plan_of(path, env={"APP_MODE": "production", "WEB_CONCURRENCY": "3"})
    assert plan.runner.env == (("APP_MODE", "production"), ("WEB_CONCURRENCY", "3"))
    assert plan.app is not None and plan.app.env == plan.runner.env
    dockerfile = dockergen.generate(path, env={"APP_MODE": "production", "WEB_CONCURRENCY": "3"})["Dockerfile"]
    assert 'ENV APP_MODE="production" \\\n    WEB_CONCURRENCY="3"\n' in dockerfile


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"lower": "x"}, "is not a variable name"),
        ({"PATH": "/x"}, "is set by the Dockerfile itself"),
        ({"PORT": "9000"}, "is set by the Dockerfile itself"),
        ({"SECRET_KEY": "x"}, "looks like a secret"),
        ({"DB_PASSWORD": "x"}, "looks like a secret"),
        ({"GITHUB_TOKEN": "x"}, "looks like a secret"),
        ({"APP": 3}, "must be a string"),
        ({"APP": "a\nb"}, "must be a string"),
        ({"APP": "$HOME"}, "must be a string"),
        ({"APP": 'a"b'}, "must be a string"),
        ({"APP": "a'b"}, "must be a string"),
        ({"APP": "a`b`"}, "must be a string"),
        ({"APP": "a\\b"}, "must be a string"),
        (["APP=x"], "must be a table"),
    ],
)
def test_invalid_env_settings_are_refused(env, problem):
    with pytest.raises(InspectError, match=r"\[tool\.dockergen\] env"):
        try:
            dockergen.inspect(SAMPLES / "pdm-flask", env=env)
        except InspectError as error:
            assert problem in str(error)
            raise


@pytest.mark.parametrize(
    "build",
    ["python x.py", [["python", "a && b"]], ["python $X"], ["npm run build; rm -rf /"], [""], [[]], [3], ["x"] * 33],
)
def test_invalid_build_settings_are_refused(build):
    with pytest.raises(InspectError, match=r"\[tool\.dockergen\] build"):
        dockergen.inspect(SAMPLES / "pdm-flask", build=build)


def test_inspect_lists_the_run_time_environment_in_text_and_json(make_project):
    path = django(make_project, HEAD + "SECRET_KEY = os.environ['SECRET_KEY']\n" + STATIC)
    runner = CliRunner()
    text = runner.invoke(main, ["inspect", str(path)])
    assert text.exit_code == 0, text.output
    assert (
        'run env      SECRET_KEY required (site_a/settings.py:4 os.environ["SECRET_KEY"]): '
        "docker run -e SECRET_KEY=..." in text.output
    )
    assert "build step   python manage.py collectstatic --noinput  (collectstatic)" in text.output
    data = json.loads(runner.invoke(main, ["inspect", "--json", str(path)]).output)
    assert data["schema"] == 2
    assert data["run_env"] == [
        {"name": "SECRET_KEY", "file": "site_a/settings.py", "line": 4, "how": 'os.environ["SECRET_KEY"]',
         "required": True, "kind": "str"}
    ]  # fmt: skip
    assert data["django"]["settings_module"] == "site_a.settings"
    assert data["plan"]["runner"]["needs_env"] == ["SECRET_KEY"]
    assert data["plan"]["app"]["steps"][0]["command"] == ["python", "manage.py", "collectstatic", "--noinput"]


def test_the_env_and_build_flags(make_project):
    path = make_project({"requirements.txt": "", "main.py": "print(1)\n"})
    result = CliRunner().invoke(
        main, ["generate", "--stdout", "--env", "APP_MODE=prod", "--build", "python -c print(2)", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert 'ENV APP_MODE="prod"\n' in result.output and "RUN python -c 'print(2)'\n" in result.output
    bad = CliRunner().invoke(main, ["generate", "--stdout", "--env", "APP_MODE", str(path)])
    assert bad.exit_code == 2 and "expected NAME=VALUE" in bad.output


def test_settings_that_use_a_development_only_package_run_no_steps(make_project):
    """manage.py's default is often the development settings: one that loads debug_toolbar, which
    the project installs for development only, cannot load in the image: collectstatic would fail."""
    settings = HEAD + STATIC + "INSTALLED_APPS += ['debug_toolbar']\n"
    path = django(make_project, settings, extra={"requirements-dev.txt": "django-debug-toolbar==5.0.0\n"})
    facts = dockergen.inspect(path)
    assert facts.django is not None and facts.django.dev_modules == (("debug_toolbar", "site_a/settings.py"),)
    plan = plan_of(path)
    assert plan.app is None
    assert any(
        "debug_toolbar (site_a/settings.py), a package installed for development only" in r for r in plan.reasons
    )
    (path / "requirements.txt").write_text("Django==5.2.19\ndjango-debug-toolbar==5.0.0\n")
    assert plan_of(path).app is not None  # installed for the app too: the settings load


def test_state_directories_exist_while_the_steps_run_and_are_left_to_the_runner(make_project):
    path = django(make_project, HEAD + STATIC, extra={".gitignore": "data/\nlogs/\n", "logs/keep.txt": ""})
    plan = plan_of(path)
    assert plan.runner.state_dirs == ("data", "logs")
    assert plan.app is not None and plan.app.state_dirs == ("data",)  # logs/ is in the tree: kept
    dockerfile = dockergen.generate(path)["Dockerfile"]
    assert "RUN mkdir -p data \\\n && python manage.py collectstatic --noinput \\\n && rm -rf data\n" in dockerfile


@pytest.mark.parametrize(
    "settings",
    ["x = " + "(" * 5000 + ")" * 5000 + "\n", "STATIC_ROOT = " + "-" * 3000 + "1\n", "\x00", "def f(:\n"],
    ids=["deep-parentheses", "deep-unary", "nul", "syntax-error"],
)
def test_settings_that_cannot_be_read_as_code_never_crash(make_project, settings):
    facts = dockergen.inspect(django(make_project, settings))
    assert facts.django is not None and facts.django.settings_module == "site_a.settings"


def test_django_catalogs_beside_a_manage_py_below_the_root_get_the_build_step_to_add(make_project):
    path = make_project(
        {
            "requirements.txt": "Django==5.2.19\n",
            "site/manage.py": MANAGE,
            "site/locale/fr/LC_MESSAGES/django.po": "",
        }
    )
    facts = dockergen.inspect(path, entrypoint="python site/manage.py runserver")
    assert any('build = ["python site/manage.py compilemessages"]' in note for note in facts.notes)
    plan = plan_of(path, entrypoint="python site/manage.py runserver", build=["python site/manage.py compilemessages"])
    assert plan.app is not None and plan.app.apt == ("gettext",)
