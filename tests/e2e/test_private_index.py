"""A private index with basic auth: the build needs the netrc secret, and no layer keeps it.

pypiserver (from PyPI) serves a small wheel on loopback; the build runs with --network=host so its
RUN steps reach 127.0.0.1. Nothing in the generated Dockerfile depends on that: it is how this
test reaches a server on the test machine.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import socket
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
from passlib.apache import HtpasswdFile

from dockergen.api import write

from .test_docker import docker

pytestmark = pytest.mark.docker

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/simple/"
    finally:
        server.terminate()
        server.wait(10)


def test_private_index_needs_the_secret_and_no_layer_keeps_it(private_index, make_project, tmp_path_factory):
    project = make_project(
        {
            "requirements.txt": f"--index-url {private_index}\n--trusted-host 127.0.0.1\ndgprivate==0.1.0\n",
            "app.py": "import dgprivate\nprint(dgprivate.VALUE)\n",
            ".python-version": "3.11\n",
        }
    )
    write(project)
    dockerfile = (project / "Dockerfile").read_text()
    assert "--mount=type=secret,id=netrc,target=/root/.netrc" in dockerfile
    assert not re.search(r"^(ARG|ENV)\b.*(netrc|pass|token|secret)", dockerfile, re.MULTILINE | re.IGNORECASE)

    tag = "dockergen-e2e/private-index:test"
    denied = docker("build", "--network=host", "--no-cache", "-t", tag + "-denied", str(project), check=False)
    assert denied.returncode != 0, "the private index must refuse a build without credentials"
    assert "No matching distribution found for dgprivate" in denied.stderr, denied.stderr[-2500:]
    assert "Traceback" not in denied.stderr

    secrets = tmp_path_factory.mktemp("secrets")  # outside the build context
    netrc = secrets / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login builder password {PASSWORD}\n")
    docker("build", "--network=host", "--secret", f"id=netrc,src={netrc}", "-t", tag, str(project))
    assert docker("run", "--rm", "--network=none", tag).stdout.strip() == "from the private index"

    history = docker("history", "--no-trunc", tag).stdout
    assert PASSWORD not in history
    archive = secrets / "image.tar"
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
