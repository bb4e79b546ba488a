"""Golden files: each sample's generated Dockerfile and .dockerignore, committed under tests/golden.

A change to the output shows up as a diff of these files in review. To accept one on purpose:
DOCKERGEN_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import os

import pytest

from dockergen.api import generate

from . import linters
from .conftest import ROOT, SAMPLES
from .samples import expectations

GOLDEN = ROOT / "tests" / "golden"
SAMPLE_NAMES = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir())
# Extra golden Dockerfiles made with options (a sample's [[variants]]): the CUDA sample's other
# variant and strategy.
VARIANTS = {
    (name, variant.file): variant.options for name, sample in expectations().items() for variant in sample.variants
}


def check_golden(sample: str, name: str, text: str) -> None:
    golden = GOLDEN / sample / name
    if os.environ.get("DOCKERGEN_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text)
    assert golden.is_file(), f"no golden file {golden}: run with DOCKERGEN_UPDATE_GOLDEN=1"
    assert text == golden.read_text(), f"{sample}/{name} differs from its golden file"


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_generated_files_match_golden(sample):
    for name, text in generate(SAMPLES / sample).items():
        check_golden(sample, name, text)


@pytest.mark.parametrize(("sample", "name"), sorted(VARIANTS))
def test_variant_matches_golden(sample, name):
    check_golden(sample, name, generate(SAMPLES / sample, **VARIANTS[(sample, name)])["Dockerfile"])


def test_every_golden_file_has_a_sample():
    assert sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()) == SAMPLE_NAMES


GOLDEN_DOCKERFILES = sorted(str(p.relative_to(GOLDEN)) for p in GOLDEN.glob("*/Dockerfile*"))
BUILD_SYSTEM = '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
# Template branches no sample reaches, linted with the golden files: requirements declared by name
# only (hadolint wants pip versions pinned), with no lock and beside a plain requirements file.
LINTED_PROJECTS = {
    "declared-by-name": {
        "pyproject.toml": '[project]\nname = "app"\nversion = "1"\ndependencies = ["requests", "click>=8"]\n'
        '[project.scripts]\napp = "app:main"\n' + BUILD_SYSTEM,
        "app.py": "def main():\n    pass\n",
    },
    "requirements-and-package": {
        "requirements.txt": "requests==2.32.5\n-e .\n",
        "pyproject.toml": '[project]\nname = "app"\nversion = "1"\ndependencies = ["requests"]\n'
        '[project.scripts]\napp = "app:main"\n' + BUILD_SYSTEM,
        "app.py": "def main():\n    pass\n",
    },
    # The app stage with every branch: placeholders for a required variable, gettext for
    # compilemessages, an absolute STATIC_ROOT, the build and env settings.
    "django-build-steps": {
        "requirements.txt": "Django==5.2.19\n",
        "pyproject.toml": '[tool.dockergen]\nbuild = ["python manage.py check"]\nenv = {APP_MODE = "production"}\n',
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_a.settings')\n",
        "site_a/__init__.py": "",
        "site_a/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"
        "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = '/srv/static'\n",
        "locale/fr/LC_MESSAGES/django.po": "",
    },
    # The dev stage compose.yaml builds (compose = true), after a project stage.
    "compose-dev-stage": {
        "requirements.txt": "flask==3.1.0\ngunicorn==23.0.0\nredis==5.2.1\n-e .\n",
        "pyproject.toml": '[project]\nname = "app"\nversion = "1"\ndependencies = ["flask"]\n'
        + BUILD_SYSTEM
        + "[tool.dockergen]\ncompose = true\n",
        "app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "wsgi.py": "from app import app\n",
    },
    # The app directory in layers from the build context: a large static directory, subdirectories
    # split out, and small asset directories together.
    "app-layers": {
        "requirements.txt": "flask==3.1.0\ngunicorn==23.0.0\n",
        "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "static/img/photo.svg": "<svg/>" * 200_000,
        "static/site.css": "body {}\n" * 130_000,
        "templates/index.html": "<p></p>\n" * 70_000,
        "translations/fr/LC_MESSAGES/messages.po": "#\n" * 300_000,
    },
}


@pytest.fixture(scope="module")
def lint_findings(tmp_path_factory):
    """hadolint with no configuration, checkov and the suppressions' own checks (tests/linters.py;
    checkov is installed on first use), run once on every golden Dockerfile and LINTED_PROJECTS'."""
    files = {name: GOLDEN / name for name in GOLDEN_DOCKERFILES}
    for name, project in LINTED_PROJECTS.items():
        root = tmp_path_factory.mktemp(name)
        for file, text in project.items():
            (root / file).parent.mkdir(parents=True, exist_ok=True)
            (root / file).write_text(text)
        files[name] = root / "Dockerfile"
        files[name].write_text(generate(root)["Dockerfile"])
    found = linters.lint(list(files.values()))
    return {name: found[path] for name, path in files.items()}


def test_every_sample_and_variant_has_a_golden_dockerfile():
    wanted = {f"{s}/Dockerfile" for s in SAMPLE_NAMES} | {f"{s}/{f}" for s, f in VARIANTS}
    assert set(GOLDEN_DOCKERFILES) == wanted


@pytest.mark.parametrize("name", GOLDEN_DOCKERFILES + sorted(LINTED_PROJECTS))
def test_linters_find_nothing(lint_findings, name):
    assert lint_findings[name] == []


def test_readme_gives_the_reason_for_every_suppressed_rule():
    section = (ROOT / "README.md").read_text().split("### Linters", 1)[1].split("\n## ", 1)[0]
    assert [code for code in linters.SUPPRESSED if f"`{code}`" not in section] == []
    assert linters.CHECKOV_VERSION in section
