"""End to end: generate each sample's Dockerfile, build it with a real Docker engine, run the image.

Needs a Docker engine with BuildKit (here: ../shared/ci/docker-up) and the stand-in base images
for Python 3.11 and 3.13. Marked `docker`: skipped without an engine unless
DOCKERGEN_REQUIRE_DOCKER=1, where a missing engine is an error.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

import dockergen
from dockergen.api import write

from ..samples import expectations
from .engine import docker, free_port, image_tag, wait_for_port

pytestmark = pytest.mark.docker

# sample: (command given to `docker run`, empty for the image's own CMD; text its output must contain),
# from the [smoke] table of the sample's dockergen-test.toml.
SMOKE = {
    name: (list(sample.smoke.command), sample.smoke.output)
    for name, sample in expectations().items()
    if sample.smoke is not None
}
# Web samples (web_path): the image's own CMD serves HTTP on port 8000, probed from inside the container.
WEB = {name: sample.web_path for name, sample in expectations().items() if sample.web_path is not None}


def build(path: Path, tag: str) -> float:
    start = time.monotonic()
    docker("build", "-t", tag, str(path))
    return time.monotonic() - start


def init_and_build(path: Path, tag: str) -> str:
    """dockergen init, then docker build: what a user does first."""
    write(path)
    build(path, tag)
    return tag


def layers(tag: str) -> list[str]:
    return json.loads(docker("image", "inspect", "-f", "{{json .RootFS.Layers}}", tag).stdout)


def layer_sizes(tag: str, tmp_path: Path) -> dict[str, int]:
    """Uncompressed size of each layer (by diff id), from `docker save`."""
    archive = tmp_path / f"{tag.replace(':', '_').replace('/', '_')}.tar"
    docker("save", "-o", str(archive), tag)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))[0]  # type: ignore[arg-type]
        config = json.load(tar.extractfile(manifest["Config"]))  # type: ignore[arg-type]
        sizes = [tar.getmember(name).size for name in manifest["Layers"]]
    archive.unlink()
    return dict(zip(config["rootfs"]["diff_ids"], sizes))


@pytest.mark.parametrize("sample", sorted(SMOKE))
def test_sample_builds_and_runs(sample, sample_copy):
    tag = init_and_build(sample_copy(sample), image_tag(f"{sample}:test"))
    command, expected = SMOKE[sample]
    result = docker("run", "--rm", "--network=none", tag, *command)
    assert expected in result.stdout + result.stderr
    assert docker("run", "--rm", "--network=none", tag, "id", "-u").stdout.strip() == "10001"
    for tool in ("/usr/local/bin/uv", "/opt/poetry", "/opt/pdm", "/opt/pipenv"):
        probe = docker(
            "run", "--rm", "--network=none", tag, "python", "-c", f"import os; print(os.path.exists({tool!r}))"
        )
        assert probe.stdout.strip() == "False", f"{tool} leaked into the runner"
    # No package manager's cache in the image, even on a base without Docker's apt docker-clean.
    cached = docker(
        "run", "--rm", "--network=none", tag, "sh", "-c", "ls /var/cache/apt/archives/*.deb 2>/dev/null | wc -l"
    )
    assert cached.stdout.strip() == "0", "apt's downloaded packages were left in the runner"


@pytest.mark.parametrize("sample", sorted(WEB))
def test_web_sample_serves_http_with_its_own_cmd(sample, sample_copy):
    tag = init_and_build(sample_copy(sample), image_tag(f"{sample}:test"))
    name = f"dockergen-e2e-{sample}"
    docker("rm", "-f", name, check=False)
    docker("run", "-d", "--name", name, "--network=none", "--read-only", "--tmpfs", "/tmp", tag)
    try:
        probe = (
            "import sys, time, urllib.request\n"
            "for _ in range(60):\n"
            "    try:\n"
            f"        r = urllib.request.urlopen('http://127.0.0.1:8000{WEB[sample]}', timeout=2)\n"
            "        print(r.status)\n"
            "        sys.exit(0)\n"
            "    except OSError: time.sleep(0.5)\n"
            "sys.exit(1)\n"
        )
        result = docker("exec", name, "python", "-c", probe, check=False)
        logs = docker("logs", name, check=False)
        assert result.stdout.strip() == "200", result.stdout + result.stderr + logs.stdout + logs.stderr
    finally:
        docker("rm", "-f", name, check=False)


def health(name: str, seconds: float = 60) -> str:
    """The container's health once the check has run (healthy or unhealthy), or 'starting'."""
    deadline = time.monotonic() + seconds
    status = "starting"
    while time.monotonic() < deadline:
        status = docker("inspect", "--format", "{{.State.Health.Status}}", name).stdout.strip()
        if status in ("healthy", "unhealthy"):
            break
        time.sleep(0.5)
    return status


@pytest.mark.parametrize(
    ("bind", "expected"), [("0.0.0.0:8000", "healthy"), ("127.0.0.1:8000", "unhealthy")], ids=["all", "loopback"]
)
def test_the_health_check_fails_when_a_client_cannot_reach_the_app(bind, expected, sample_copy):
    """gunicorn bound to 127.0.0.1 answers inside the container and nowhere else: a probe of the
    loopback called that healthy. The image's own HEALTHCHECK, run quickly here."""
    tag = init_and_build(sample_copy("pdm-flask"), "dockergen-e2e/pdm-flask:health")
    name = f"dockergen-e2e-health-{expected}"
    docker("rm", "-f", name, check=False)
    quick = ["--health-interval=1s", "--health-timeout=3s", "--health-retries=2", "--health-start-period=5s"]
    docker("run", "-d", "--name", name, *quick, tag, "gunicorn", "--bind", bind, "app:app")
    try:
        assert health(name) == expected, docker("inspect", "--format", "{{json .State.Health}}", name).stdout
    finally:
        docker("rm", "-f", name, check=False)


@pytest.mark.parametrize(
    ("sample", "source"),
    [
        ("uv-fastapi", "src/uv_fastapi/main.py"),
        ("poetry-legacy", "legacy_cli/main.py"),
        ("poetry-django", "mysite/urls.py"),  # collectstatic reruns in the app stage; the venv layers stay
    ],
)
def test_code_change_keeps_dependency_layers(sample, source, sample_copy, tmp_path):
    path = sample_copy(sample)
    write(path)
    before_tag, after_tag = image_tag(f"{sample}:before"), image_tag(f"{sample}:after")
    build(path, before_tag)
    code = path / source
    code.write_text(code.read_text() + f"\n# a one-line code change, {time.time_ns()}: never in the build cache\n")
    rebuild_seconds = build(path, after_tag)
    before, after = layers(before_tag), layers(after_tag)
    assert len(before) == len(after)
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert changed, "the code change must reach the image"
    # Only the last layers may change: the code's, and at most the one after it (an unchanged
    # WORKDIR over an existing /app keeps its digest).
    assert len(changed) <= 2 and changed[0] >= len(after) - 2, f"layers {changed} of {len(after)} changed"
    sizes = layer_sizes(after_tag, tmp_path)
    changed_bytes = sum(sizes[after[i]] for i in changed)
    # poetry-django's app stage collects Django admin's 1.5 MB of static files again after each code
    # change, into a layer of their own that keeps its digest: only the code's layer is new.
    assert changed_bytes < 1_000_000, f"a code change re-sends {changed_bytes} bytes"
    venv_layer = next(i for i, _ in enumerate(after) if sizes[after[i]] > 10_000_000 and i >= 2)
    assert venv_layer < changed[0], "the dependency virtualenv layer must not change"
    print(
        f"{sample}: code-change rebuild {rebuild_seconds:.1f}s, {changed_bytes} bytes in {len(changed)} changed layers"
    )


def test_dependency_change_resends_only_the_layers_that_hold_it(sample_copy, tmp_path):
    path = sample_copy("requirements-plain")
    write(path)
    before_tag, after_tag = "dockergen-e2e/deps:before", "dockergen-e2e/deps:after"
    build(path, before_tag)
    with open(path / "requirements.txt", "a") as handle:
        handle.write("six==1.16.0\n")
    assert write(path)["Dockerfile"] == "updated"
    build(path, after_tag)
    before, after = layers(before_tag), layers(after_tag)
    sizes = layer_sizes(after_tag, tmp_path)
    new = [layer for layer in after if layer not in before]
    new_bytes = sum(sizes[layer] for layer in new)
    venv_bytes = sum(sizes.values()) - sizes[after[0]]
    assert (
        docker(
            "run", "--rm", "--network=none", after_tag, "python", "-c", "import six; print(six.__version__)"
        ).stdout.strip()
        == "1.16.0"
    )
    assert new_bytes < 500_000, f"adding six re-sends {new_bytes} bytes"
    assert len(new) <= 4, "one bucket layer, the app source, and the directories around them"
    print(f"dependency change: {len(new)} new layers, {new_bytes} bytes (image without base: {venv_bytes} bytes)")


def layer_steps(tag: str, tmp_path: Path) -> list[tuple[str, str]]:
    """(instruction, diff id) for each layer of the image, from the config `docker save` writes."""
    archive = tmp_path / "steps.tar"
    docker("save", "-o", str(archive), tag)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))[0]  # type: ignore[arg-type]
        config = json.load(tar.extractfile(manifest["Config"]))  # type: ignore[arg-type]
    archive.unlink()
    steps = [h.get("created_by", "") for h in config["history"] if not h.get("empty_layer")]
    return list(zip(steps, config["rootfs"]["diff_ids"]))


def test_dependency_layers_do_not_depend_on_when_they_were_built(sample_copy, tmp_path):
    """Rebuilt from scratch, every venv layer has the same digest: its bytes are its files only."""
    path = sample_copy("pipenv-app")
    write(path)
    build(path, "dockergen-e2e/repro:first")
    time.sleep(1.1)  # a different second for every mtime a build would set
    docker("build", "--no-cache", "-t", "dockergen-e2e/repro:second", str(path))
    first = layer_steps("dockergen-e2e/repro:first", tmp_path)
    second = layer_steps("dockergen-e2e/repro:second", tmp_path)
    venv_layers = [(step, digest) for step, digest in first if "/layers/" in step]
    assert len(venv_layers) == 7  # its lock's 5 packages one each, what no package owns, the rest
    assert venv_layers == [(step, digest) for step, digest in second if "/layers/" in step]


def test_layers_1_copies_the_venv_whole(sample_copy):
    path = sample_copy("pipenv-app")
    write(path, layers=1)
    tag = "dockergen-e2e/pipenv-app:one-layer"
    build(path, tag)
    assert "requests 2.34.2" in docker("run", "--rm", "--network=none", tag).stdout
    history = docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", tag).stdout
    assert "COPY /opt/venv /opt/venv" in history and "/layers/" not in history


def test_a_package_without_dependencies_builds_and_runs(make_project):
    """No dependency to install: the split runs in the venv step, and the wheel still reaches the runner."""
    project = make_project(
        {
            "pyproject.toml": (
                '[project]\nname = "nodeps"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
                '[project.scripts]\nnodeps = "nodeps:main"\n'
                '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'
            ),
            "nodeps/__init__.py": 'def main():\n    print("no dependencies")\n',
        }
    )
    write(project, python="3.11")
    tag = "dockergen-e2e/nodeps:test"
    build(project, tag)
    assert docker("run", "--rm", "--network=none", tag).stdout.strip() == "no dependencies"


@pytest.mark.parametrize(
    "requirements",
    ["-e .\n", "click==8.1.8\n--editable=.  # the project itself\n", "six==1.17.0\n"],
    ids=["declared-dependencies", "pinned-dependencies", "without-the-project-or-its-dependencies"],
)
def test_plain_requirements_beside_a_package(requirements, make_project):
    """The package's wheel installs without dependencies: the deps step installs the file (less a
    '-e .' line) and what the package declares, so click is there even when the file omits it."""
    project = make_project(
        {
            "pyproject.toml": (
                '[project]\nname = "selfreq"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
                'dependencies = ["click>=8.1"]\n[project.scripts]\nselfreq = "selfreq:main"\n'
                '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'
            ),
            "selfreq/__init__.py": (
                "from importlib.metadata import version\n\n\n"
                "def main():\n    print('selfreq with click', version('click'))\n"
            ),
            "requirements.txt": requirements,
        }
    )
    write(project, python="3.11")
    tag = "dockergen-e2e/selfreq:test"
    build(project, tag)
    out = docker("run", "--rm", "--network=none", tag).stdout
    assert out.startswith("selfreq with click 8."), out
    if "click==" in requirements:
        assert out.strip() == "selfreq with click 8.1.8"


@pytest.mark.parametrize(
    ("requires", "backend", "extra"),
    [
        ('["hatchling", "hatch-vcs"]', "hatchling.build", '[tool.hatch.version]\nsource = "vcs"\n'),
        ('["setuptools>=64", "setuptools-scm>=8"]', "setuptools.build_meta", "[tool.setuptools_scm]\n"),
    ],
    ids=["hatch-vcs", "setuptools-scm"],
)
def test_a_version_from_git_comes_from_the_build_argument(requires, backend, extra, make_project):
    """.git is not in the build context: without the variable, the backend's build fails."""
    project = make_project(
        {
            "pyproject.toml": (
                '[project]\nname = "vcsver"\ndynamic = ["version"]\nrequires-python = ">=3.11"\n'
                '[project.scripts]\nvcsver = "vcsver:main"\n'
                f'[build-system]\nrequires = {requires}\nbuild-backend = "{backend}"\n{extra}'
            ),
            "vcsver/__init__.py": (
                "from importlib.metadata import version\n\n\ndef main():\n    print('vcsver', version('vcsver'))\n"
            ),
        }
    )
    write(project, python="3.11")
    tag = "dockergen-e2e/vcsver:test"
    build(project, tag)
    assert docker("run", "--rm", "--network=none", tag).stdout.strip() == "vcsver 0.0.0"
    docker("build", "--build-arg", "PROJECT_VERSION=1.2.3", "-t", tag, str(project))
    assert docker("run", "--rm", "--network=none", tag).stdout.strip() == "vcsver 1.2.3"


def test_an_app_directory_with_a_src_layout_runs_its_module(make_project):
    """Not installed as a package: the runner puts src/ on PYTHONPATH for `python -m svc`."""
    project = make_project(
        {
            "requirements.txt": "click==8.1.8\n",
            "src/svc/__init__.py": "",
            "src/svc/__main__.py": "import click\n\nprint('svc from src with click', click.__name__)\n",
        }
    )
    write(project, python="3.11")
    assert "ENV PYTHONPATH=/app/src\n" in (project / "Dockerfile").read_text()
    tag = "dockergen-e2e/srcapp:test"
    build(project, tag)
    assert docker("run", "--rm", "--network=none", tag).stdout.strip() == "svc from src with click click"


def test_a_dependency_from_git_builds_with_git_in_the_builder(make_project, tmp_path_factory):
    """A git source needs the git command, which the slim images lack. The repository is served
    over git's dumb HTTP protocol on loopback (the build runs with --network=host to reach it)."""
    repos = tmp_path_factory.mktemp("git")
    work = repos / "work"
    (work / "gitdep").mkdir(parents=True)
    (work / "pyproject.toml").write_text(
        '[project]\nname = "gitdep"\nversion = "1.0"\n'
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'
    )
    (work / "gitdep/__init__.py").write_text("VALUE = 'from git'\n")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "e2e",
        "GIT_AUTHOR_EMAIL": "e2e@example.com",
        "GIT_COMMITTER_NAME": "e2e",
        "GIT_COMMITTER_EMAIL": "e2e@example.com",
    }
    for command in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "gitdep 1.0"], ["tag", "v1"]):
        subprocess.run(["git", *command], cwd=work, env=env, check=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(repos / "gitdep.git")], check=True)
    subprocess.run(["git", "update-server-info"], cwd=repos / "gitdep.git", check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(repos)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        project = make_project(
            {
                "requirements.txt": f"gitdep @ git+http://127.0.0.1:{port}/gitdep.git@v1\n",
                "main.py": "import gitdep\n\nprint(gitdep.VALUE)\n",
            }
        )
        write(project, python="3.11")
        assert "apt-get install -y --no-install-recommends git" in (project / "Dockerfile").read_text()
        tag = "dockergen-e2e/gitdep:test"
        docker("build", "--network=host", "-t", tag, str(project))
    finally:
        server.terminate()
        server.wait(10)
    assert docker("run", "--rm", "--network=none", tag).stdout.strip() == "from git"


def test_the_user_writes_to_its_home_and_working_directory_but_not_to_the_code(make_project):
    """Apps keep state under $HOME (platformdirs, caches) and in ./data: the non-root user has a
    home and owns /app, while the code it was given stays root's; --read-only still runs."""
    project = make_project(
        {
            "requirements.txt": "",
            "main.py": (
                "import os, pathlib\n"
                "home = pathlib.Path.home() / '.config' / 'statefulapp'\n"
                "home.mkdir(parents=True)\n"
                "pathlib.Path('data').mkdir()\n"
                "(pathlib.Path('data') / 'app.sqlite').write_text('x')\n"
                "try:\n    open('main.py', 'a')\nexcept PermissionError:\n    code = 'code read-only'\n"
                "else:\n    code = 'code WRITABLE'\n"
                "print(os.getuid(), home, os.getcwd(), code)\n"
            ),
        }
    )
    write(project, python="3.13")
    tag = "dockergen-e2e/statefulapp:test"
    build(project, tag)
    out = docker("run", "--rm", "--network=none", tag).stdout.strip()
    assert out == "10001 /home/app/.config/statefulapp /app code read-only", out
    quiet = docker("run", "--rm", "--read-only", "--network=none", tag, "python", "-c", "print('ro')").stdout
    assert quiet.strip() == "ro"


def test_a_persons_whitelist_dockerignore_is_kept_and_the_image_still_builds(make_project):
    """'*' then '!main.py' leaves out the lock: Dockerfile.dockerignore, theirs amended, lets it in."""
    project = make_project(
        {
            "requirements.txt": "six==1.17.0\n",
            "main.py": "import six\nprint('whitelisted', six.__version__)\n",
            ".dockerignore": "*\n!main.py\n",
        }
    )
    write(project, python="3.13")
    assert (project / ".dockerignore").read_text() == "*\n!main.py\n"
    assert "!requirements.txt\n" in (project / "Dockerfile.dockerignore").read_text()
    tag = "dockergen-e2e/whitelist:test"
    build(project, tag)
    assert docker("run", "--rm", "--network=none", tag).stdout.strip() == "whitelisted 1.17.0"


def app_layers(tag: str, tmp_path: Path) -> list[str]:
    """The diff ids of the runner's app-directory layers, in order."""
    return [digest for step, digest in layer_steps(tag, tmp_path) if "/app-layers/" in step]


def test_an_unchanged_static_directory_keeps_its_layer_digest(make_project, tmp_path):
    """Issue 19: the app directory in layers. A code change makes a new code layer only; a change to
    a static file a new static layer, and the code's layer, copied again after it, has the same
    bytes; a rebuild from scratch of a checkout whose every file has a new time (a fresh clone)
    gives every app layer the digest it had."""
    rng = random.Random(19)
    project = make_project(
        {
            "requirements.txt": "",
            "main.py": (
                "import os\n"
                "css = open('static/site.css').read().strip()\n"
                "print(os.stat('/app').st_uid, os.path.getsize('static/app.js'), css)\n"
            ),
            "static/app.js": rng.randbytes(1_200_000),
            "static/site.css": "body {}\n",
            "templates/index.html": "<p>small: stays with the code</p>\n",
        }
    )
    # A uid of its own: the runner's useradd step is not reproducible, and the --no-cache build below
    # would give other tests' images (uid 10001) a second cache record for it to be taken at random.
    write(project, python="3.13", uid=10019)
    dockerfile = (project / "Dockerfile").read_text()
    assert "/tmp/split_app.py /app-layers 10019 /app \\\n      /app/static\n" in dockerfile
    tags = {step: image_tag(f"applayers:{step}") for step in ("first", "code", "static", "fresh")}
    build(project, tags["first"])
    assert docker("run", "--rm", "--network=none", tags["first"]).stdout.split() == ["10019", "1200000", "body", "{}"]
    first = app_layers(tags["first"], tmp_path)
    assert len(first) == 2

    with open(project / "main.py", "a") as handle:
        handle.write(f"# a one-line code change, {time.time_ns()}\n")
    build(project, tags["code"])
    code = app_layers(tags["code"], tmp_path)
    assert code[0] == first[0] and code[1] != first[1], "a code change must leave the static layer as it was"
    sizes = layer_sizes(tags["code"], tmp_path)
    assert sizes[code[1]] < 20_000 < 1_200_000 < sizes[code[0]]

    (project / "static/site.css").write_text("body { color: red }\n")
    build(project, tags["static"])
    static = app_layers(tags["static"], tmp_path)
    assert static[0] != code[0] and static[1] == code[1], "the code layer, copied again, must have the same bytes"
    out = docker("run", "--rm", "--network=none", tags["static"]).stdout
    assert out.split()[2:] == ["body", "{", "color:", "red", "}"]

    later = time.time() + 3600
    for path in project.rglob("*"):
        os.utime(path, (later, later))
    docker("build", "--no-cache", "-t", tags["fresh"], str(project))
    assert app_layers(tags["fresh"], tmp_path) == static
    docker("rmi", *tags.values(), check=False)


def test_a_pure_python_sdist_builds_in_the_slim_builder(lock_tool, make_project):
    """docopt 0.6.2 is on PyPI as an sdist only: built with Python alone, no compiler, no full image."""
    project = make_project(
        {
            "pyproject.toml": '[project]\nname = "opts"\nversion = "1"\nrequires-python = ">=3.11"\n'
            'dependencies = ["docopt==0.6.2"]\n',
            "main.py": "import docopt\nprint('docopt', docopt.__version__)\n",
        }
    )
    subprocess.run([str(lock_tool("uv")), "lock", "--python", "3.11"], cwd=project, check=True, capture_output=True)
    _, plan = dockergen.plan(project, python="3.13")
    assert plan.images.builder == plan.images.runner == "python:3.13-slim-trixie" and plan.base.apt == ()
    write(project, python="3.13")
    tag = image_tag("pure-sdist:test")
    build(project, tag)
    assert docker("run", "--rm", "--network=none", tag).stdout.strip() == "docopt 0.6.2"


def test_a_root_requirements_file_of_includes_installs_only_the_runtime_ones(make_project):
    project = make_project(
        {
            "requirements.txt": "-r requirements/base.txt\n-r requirements/tests.txt\n",
            "requirements/base.txt": "six==1.17.0\n",
            "requirements/tests.txt": "-r base.txt\niniconfig==2.0.0\n",
            "main.py": "import importlib.util as u\nprint([bool(u.find_spec(m)) for m in ('six', 'iniconfig')])\n",
        }
    )
    write(project, python="3.13", entrypoint="python main.py")
    tag = image_tag("included-requirements:test")
    build(project, tag)
    assert docker("run", "--rm", "--network=none", tag).stdout.strip() == "[True, False]"
