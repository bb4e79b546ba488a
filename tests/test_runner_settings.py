"""The settings for what teams add to the runner most (issue 14, item 1): labels, copy,
healthcheck and runner_steps, each validated, rendered where the README says, and linted.

tests/e2e/test_project_template.py builds an image with all four set and checks each in it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import dockergen
from dockergen.api import write
from dockergen.facts import InspectError

from . import linters

PACKAGE = {
    "pyproject.toml": (
        '[project]\nname = "web"\nversion = "1.0"\nrequires-python = ">=3.13"\ndependencies = []\n'
        '[project.scripts]\nweb = "web:main"\n'
        '[build-system]\nrequires = ["setuptools>=70"]\nbuild-backend = "setuptools.build_meta"\n'
    ),
    "web/__init__.py": "def main():\n    print('web')\n",
    "config/app.toml": "debug = false\n",
    "tests/test_web.py": "",
}
# No build backend: the tree is copied to /app.
APP = {"requirements.txt": "six==1.17.0\n", "main.py": "print('app')\n", "tests/data.txt": "x\n"}


def project(make_project, files: dict[str, str], settings: str) -> Path:
    """files with settings appended to their [tool.dockergen] (pyproject.toml made when absent)."""
    files = dict(files)
    files["pyproject.toml"] = files.get("pyproject.toml", "") + "[tool.dockergen]\n" + settings + "\n"
    return make_project(files)


def dockerfile(path: Path, **options: object) -> str:
    return dockergen.generate(path, **options)["Dockerfile"]


def refused(path: Path, *words: str) -> str:
    with pytest.raises(InspectError) as info:
        dockergen.generate(path)
    message = str(info.value)
    assert message.startswith("pyproject.toml:") and all(word in message for word in words), message
    return message


# labels


def test_labels_true_writes_the_source_from_project_urls_and_the_version_and_revision_arguments(make_project):
    files = {**PACKAGE, "pyproject.toml": PACKAGE["pyproject.toml"].replace(
        "[project.scripts]", '[project.urls]\n"Source Code" = "https://git.example/acme/web"\n[project.scripts]'
    )}  # fmt: skip
    text = dockerfile(project(make_project, files, "labels = true"))
    assert (
        "ARG VERSION\nARG REVISION\n"
        'LABEL org.opencontainers.image.source="https://git.example/acme/web" \\\n'
        '      org.opencontainers.image.version="${VERSION}" \\\n'
        '      org.opencontainers.image.revision="${REVISION}"\n'
        'CMD ["web"]\n'
    ) in text
    assert "--build-arg REVISION=" in text  # the comment says how to fill them


def test_a_labels_table_adds_to_the_oci_labels_and_its_source_wins(make_project):
    settings = (
        'labels = {"org.opencontainers.image.source" = "https://example.org/web", '
        '"org.opencontainers.image.licenses" = "MIT OR Apache-2.0"}'
    )
    text = dockerfile(project(make_project, PACKAGE, settings))
    assert (
        'LABEL org.opencontainers.image.source="https://example.org/web" \\\n'
        '      org.opencontainers.image.licenses="MIT OR Apache-2.0" \\\n'
        '      org.opencontainers.image.version="${VERSION}" \\\n'
    ) in text


def test_no_labels_setting_no_label(make_project):
    assert "LABEL" not in dockerfile(project(make_project, PACKAGE, ""))


def test_a_project_url_that_is_not_https_is_not_a_label_and_inspect_says_why(make_project):
    files = {**PACKAGE, "pyproject.toml": PACKAGE["pyproject.toml"].replace(
        "[project.scripts]", '[project.urls]\nRepository = "http://x/\\"a"\n[project.scripts]'
    )}  # fmt: skip
    path = project(make_project, files, "labels = true")
    assert "image.source" not in dockerfile(path)
    assert any("label org.opencontainers.image.source not set" in r for r in dockergen.plan(path)[1].reasons)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("false", ["must be true, or a table"]),
        ('"x"', ["must be true, or a table"]),
        ('{"Org.Example" = "x"}', ["is not a label key"]),
        ('{"a b" = "x"}', ["is not a label key"]),
        ('{"a\\nLABEL b" = "x"}', ["is not a label key"]),
        ('{"com.docker.x" = "x"}', ["namespace Docker reserves"]),
        ('{"org.opencontainers.image.version" = "1"}', ["--build-arg VERSION"]),
        ('{"org.opencontainers.image.revision" = "abc"}', ["--build-arg REVISION"]),
        ('{"org.opencontainers.image.source" = "http://example.org"}', ["not an https URL"]),
        ('{"org.opencontainers.image.source" = "https://x.org/a b"}', ["not an https URL"]),
        ('{"a" = "x\\" \\nRUN id"}', ["printable characters"]),
        ('{"a" = "$(id)"}', ["printable characters"]),
        ('{"a" = "`id`"}', ["printable characters"]),
        ('{"a" = "x\\\\"}', ["printable characters"]),
        ('{"a" = 1}', ["printable characters"]),
    ],
)
def test_bad_labels_are_refused(make_project, value, words):
    refused(project(make_project, PACKAGE, f"labels = {value}"), "labels", *words)


# copy


def test_copy_puts_paths_beside_a_package_in_app(make_project):
    text = dockerfile(project(make_project, PACKAGE, 'copy = ["config", "tests/test_web.py"]'))
    assert "COPY config /app/config\nCOPY tests/test_web.py /app/tests/test_web.py\nUSER" in text


def test_copy_keeps_a_directory_in_the_context_that_the_dockerignore_would_leave_out(make_project):
    path = project(make_project, APP, 'copy = ["tests"]')
    files = dockergen.generate(path)
    assert "/tests" not in files[".dockerignore"]
    assert "COPY tests" not in files["Dockerfile"]  # the tree is copied to /app whole: tests/ with it
    assert "/tests\n" in dockergen.generate(project(make_project, APP, ""))[".dockerignore"]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('["missing"]', ["missing is not a file or directory of the project"]),
        ('["../web"]', ["not a relative path inside the project"]),
        ('["/etc"]', ["not a relative path inside the project"]),
        ('["."]', ["not a relative path inside the project"]),
        ('["a b"]', ["not a relative path inside the project"]),
        ('["co*"]', ["not a relative path inside the project"]),
        ('["config", "config"]', ["names a path twice"]),
        ('"config"', ["must be a list"]),
        ('["build"]', [".dockerignore leaves build out of the build context"]),
        ('[".env"]', [".dockerignore leaves .env out of the build context"]),
    ],
)
def test_bad_copies_are_refused(make_project, value, words):
    files = {**PACKAGE, "build/x.txt": "", ".env": "SECRET=1\n"}
    refused(project(make_project, files, f"copy = {value}"), "copy", *words)


def test_a_copy_that_links_out_of_the_project_is_refused(make_project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    path = project(make_project, PACKAGE, 'copy = ["secrets"]')
    (path / "secrets").symlink_to(outside)
    with pytest.raises(InspectError, match="secrets: is a symbolic link that leads outside"):
        dockergen.generate(path)


def test_a_teams_dockerignore_that_leaves_a_copy_out_is_amended(make_project):
    files = {**PACKAGE, ".dockerignore": ".git\n.venv\n.env\nconfig\n"}
    path = project(make_project, files, 'copy = ["config"]')
    actions = write(path)
    assert "excludes config, which the Dockerfile reads" in actions[".dockerignore"]
    assert "!config\n" in (path / "Dockerfile.dockerignore").read_text()


# healthcheck


def test_healthcheck_false_turns_the_probe_off_and_says_why_to_checkov(make_project):
    text = dockerfile(project(make_project, APP, 'entrypoint = "gunicorn main:app"\nport = 8000\nhealthcheck = false'))
    assert "HEALTHCHECK" not in text
    assert "# checkov:skip=CKV_DOCKER_2: [tool.dockergen] healthcheck = false turns the probe off\nCMD" in text


def test_healthcheck_off_is_false(make_project):
    path = project(make_project, APP, 'entrypoint = "gunicorn main:app"\nport = 8000\nhealthcheck = "off"')
    assert "HEALTHCHECK" not in dockerfile(path)


def test_a_healthcheck_path_gets_an_http_probe_on_the_apps_port(make_project):
    text = dockerfile(project(make_project, PACKAGE, 'port = 8080\nhealthcheck = "/health?full=1"'))
    probe = next(line for line in text.splitlines() if line.startswith("    CMD"))
    assert "u.urlopen(u.Request('http://%s:8080' % a[0] + '/health?full=1', headers={'Host': 'localhost'})" in probe
    assert probe.startswith('    CMD ["python", "-c", ')


def test_a_healthcheck_path_needs_a_port(make_project):
    refused(project(make_project, PACKAGE, 'healthcheck = "/health"'), "probes the app's port", "set port")


@pytest.mark.parametrize("value", ['"health"', '"/a b"', '"/a\'b"', '"/a\\"b"', '"/$x"', '"/a\\\\b"', "true", "1"])
def test_bad_healthcheck_values_are_refused(make_project, value):
    refused(project(make_project, PACKAGE, f"port = 8000\nhealthcheck = {value}"), "healthcheck", "must be false")


# runner_steps


def test_runner_steps_run_as_root_before_the_app_directory_with_each_word_quoted(make_project):
    settings = 'runner_steps = ["mkdir -p /data", ["chown", "10001:10001", "/data"], "python -c print(1)"]'
    text = dockerfile(project(make_project, APP, settings))
    assert (
        "RUN mkdir -p /data \\\n && chown 10001:10001 /data \\\n && python -c 'print(1)'\nWORKDIR /app\nCOPY . /app"
    ) in text
    assert text.index("RUN mkdir -p /data") < text.index("USER 10001:10001")


@pytest.mark.parametrize(
    "value", ['["echo $HOME"]', '["echo `id`"]', '["a;b"]', '["echo \\"x\\""]', '["a\\nRUN id"]', '"mkdir /x"', "[[]]"]
)
def test_bad_runner_steps_are_refused(make_project, value):
    refused(project(make_project, APP, f"runner_steps = {value}"), "runner_steps")


@pytest.fixture(scope="module")
def every_setting(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("every-setting")
    for name, text in PACKAGE.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    with (path / "pyproject.toml").open("a") as handle:
        handle.write(
            '[tool.dockergen]\nport = 8000\nhealthcheck = "/health"\nlabels = {"org.opencontainers.image.licenses" '
            '= "MIT"}\ncopy = ["config"]\nrunner_steps = ["mkdir -p /data", "chown 10001:10001 /data"]\n'
        )
    return path


def test_a_dockerfile_with_every_setting_has_no_linter_finding(every_setting, tmp_path):
    target = tmp_path / "Dockerfile"
    target.write_text(dockerfile(every_setting))
    assert linters.lint([target]) == {target: []}
