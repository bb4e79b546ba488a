"""A private index with basic auth: the build needs the netrc secret, and no layer keeps it.

pypiserver (from PyPI) serves a small wheel on loopback. For each manager, the project is locked
against it by the real tool (at the version the Dockerfile installs, in a venv cached under
~/.cache/dockergen-tests), then built without and with the secret. The build runs with
--network=host so its RUN steps reach 127.0.0.1. Nothing in the generated Dockerfile depends on
that: it is how this test reaches a server on the test machine.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from passlib.apache import HtpasswdFile

from dockergen.api import write

from .engine import docker, free_port, wait_for_port

pytestmark = pytest.mark.docker

DENIED = {
    "pip": "No matching distribution found for dgprivate",
    "uv": "401 Unauthorized",
    "poetry": "401 Unauthorized",  # uv installs what Poetry exports
    "pdm": "No candidate is found for `dgprivate`",
    "pipenv": "No matching distribution found for dgprivate",
}
PASSWORD = "s3cret-" + hashlib.sha256(b"dockergen-private-index").hexdigest()[:20]


def make_wheel(directory: Path) -> None:
    """dgprivate-0.1.0-py3-none-any.whl, written by hand: a wheel is a zip with three metadata files."""
    files = {
        "dgprivate/__init__.py": 'VALUE = "from the private index"\n',
        "dgprivate-0.1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: dgprivate\nVersion: 0.1.0\n",
        "dgprivate-0.1.0.dist-info/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: dockergen-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(text.encode())}")
    record.append("dgprivate-0.1.0.dist-info/RECORD,,")
    files["dgprivate-0.1.0.dist-info/RECORD"] = "\n".join(record) + "\n"
    with zipfile.ZipFile(directory / "dgprivate-0.1.0-py3-none-any.whl", "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)


@pytest.fixture
def private_index(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("index")  # outside the project: not in the build context
    packages = tmp_path / "packages"
    packages.mkdir()
    make_wheel(packages)
    htpasswd = HtpasswdFile(str(tmp_path / "htpasswd"), new=True)
    htpasswd.set_password("builder", PASSWORD)
    htpasswd.save()
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pypiserver",
            "run",
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-P",
            str(tmp_path / "htpasswd"),
            "-a",
            "download,list,update",
            str(packages),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}/simple/"
    finally:
        server.terminate()
        server.wait(10)


APP = "import dgprivate\nprint(dgprivate.VALUE)\n"
PROJECT = '[project]\nname = "private-app"\nversion = "0.1.0"\nrequires-python = ">=3.11,<3.12"\n'


def project_files(manager: str, index: str) -> dict[str, str]:
    """A one-dependency app whose only package comes from the private index, as each manager names it."""
    if manager == "uv":
        manifest = (
            PROJECT + 'dependencies = ["dgprivate==0.1.0"]\n\n'
            f'[[tool.uv.index]]\nname = "private"\nurl = "{index}"\nexplicit = true\n\n'
            '[tool.uv.sources]\ndgprivate = { index = "private" }\n'
        )
        return {"pyproject.toml": manifest, "main.py": APP}
    if manager == "poetry":
        manifest = (
            PROJECT + 'dependencies = ["dgprivate==0.1.0"]\n\n[tool.poetry]\npackage-mode = false\n\n'
            f'[[tool.poetry.source]]\nname = "private"\nurl = "{index}"\npriority = "primary"\n'
        )
        return {"pyproject.toml": manifest, "main.py": APP}
    if manager == "pdm":
        manifest = (
            PROJECT + 'dependencies = ["dgprivate==0.1.0"]\n\n[tool.pdm]\ndistribution = false\n\n'
            f'[[tool.pdm.source]]\nname = "pypi"\nurl = "{index}"\nverify_ssl = false\n'
        )
        return {"pyproject.toml": manifest, "main.py": APP}
    if manager == "pipenv":
        pipfile = (
            f'[[source]]\nname = "private"\nurl = "{index}"\nverify_ssl = false\n\n'
            '[packages]\ndgprivate = "==0.1.0"\n\n[requires]\npython_version = "3.11"\n'
        )
        return {"Pipfile": pipfile, "main.py": APP}
    return {
        "requirements.txt": f"--index-url {index}\n--trusted-host 127.0.0.1\ndgprivate==0.1.0\n",
        "app.py": APP,
        ".python-version": "3.11\n",
    }


def lock(manager: str, project: Path, tool: Path, netrc: Path) -> None:
    """Lock with the real tool, its credentials from the netrc file (NETRC) or its own variables."""
    python = shutil.which("python3.11") or sys.executable
    scratch = project.parent / f"{manager}-scratch"  # caches and venvs, outside the build context
    env = {
        **{k: v for k, v in os.environ.items() if k != "PIP_FIND_LINKS"},
        "NETRC": str(netrc),
        "PIP_CONFIG_FILE": "/dev/null",
        "UV_CACHE_DIR": str(scratch / "uv"),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_INDEX_PRIVATE_USERNAME": "builder",
        "UV_INDEX_PRIVATE_PASSWORD": PASSWORD,
        "POETRY_CACHE_DIR": str(scratch / "poetry"),
        "POETRY_HTTP_BASIC_PRIVATE_USERNAME": "builder",
        "POETRY_HTTP_BASIC_PRIVATE_PASSWORD": PASSWORD,
        "PDM_CHECK_UPDATE": "false",
        "PDM_CACHE_DIR": str(scratch / "pdm"),
        "PDM_PYPI_USERNAME": "builder",
        "PDM_PYPI_PASSWORD": PASSWORD,
        "PDM_PYTHON": python,
        "PIPENV_NOSPIN": "1",
        "PIPENV_IGNORE_VIRTUALENVS": "1",
        "WORKON_HOME": str(scratch / "venvs"),
    }
    command = {
        "uv": [str(tool), "lock", "--python", python],
        "poetry": [str(tool), "lock"],
        "pdm": [str(tool), "lock"],
        "pipenv": [str(tool), "lock", "--python", python],
    }[manager]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{manager} lock failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    for leftover in (".venv", ".pdm-python"):
        path = project / leftover
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def assert_secret_in_no_layer(tag: str, directory: Path) -> None:
    """Neither `docker history` nor any file of any layer in `docker save` holds the password."""
    assert PASSWORD not in docker("history", "--no-trunc", tag).stdout
    archive = directory / "image.tar"
    docker("save", "-o", str(archive), tag)
    secret = PASSWORD.encode()
    with tarfile.open(archive) as outer:
        for member in outer.getmembers():
            data = outer.extractfile(member).read() if member.isfile() else b""  # type: ignore[union-attr]
            assert secret not in data, f"the secret is in {member.name}"
            if member.name.endswith((".tar", "layer.tar")) or member.name.startswith("blobs/"):
                try:
                    with tarfile.open(fileobj=io.BytesIO(data)) as layer:
                        for entry in layer.getmembers():
                            if entry.isfile():
                                content = layer.extractfile(entry).read()  # type: ignore[union-attr]
                                assert secret not in content, f"the secret is in {member.name}:{entry.name}"
                except tarfile.ReadError:
                    pass  # a config or manifest blob, already searched above
    archive.unlink()


@pytest.mark.parametrize("manager", ["pip", "uv", "poetry", "pdm", "pipenv"])
def test_private_index_needs_the_secret_and_no_layer_keeps_it(
    manager, private_index, lock_tool, make_project, tmp_path_factory
):
    secrets = tmp_path_factory.mktemp("secrets")  # outside the build context
    netrc = secrets / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login builder password {PASSWORD}\n")
    project = make_project(project_files(manager, private_index))
    if manager != "pip":
        lock(manager, project, lock_tool(manager), netrc)
    lock_text = "\n".join(p.read_text() for p in project.iterdir() if p.is_file())
    assert PASSWORD not in lock_text, "the lock tool wrote the secret into the project"

    write(project, python="3.11")
    dockerfile = (project / "Dockerfile").read_text()
    assert "--mount=type=secret,id=netrc,target=/root/.netrc" in dockerfile
    assert not re.search(r"^(ARG|ENV)\b.*(netrc|pass|token|secret)", dockerfile, re.MULTILINE | re.IGNORECASE)

    tag = f"dockergen-e2e/private-index-{manager}:test"
    denied = docker("build", "--network=host", "--no-cache", "-t", tag + "-denied", str(project), check=False)
    assert denied.returncode != 0, "the private index must refuse a build without credentials"
    assert DENIED[manager] in denied.stderr, denied.stderr[-2500:]

    docker("build", "--network=host", "--secret", f"id=netrc,src={netrc}", "-t", tag, str(project))
    assert docker("run", "--rm", "--network=none", tag).stdout.strip() == "from the private index"
    assert_secret_in_no_layer(tag, secrets)
