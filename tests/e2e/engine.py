"""What the end-to-end tests share: the docker command, and servers started on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import time

# Image repositories the tests tag into: an engine shared by several checkouts gets one prefix each.
TAG_PREFIX = os.environ.get("DOCKERGEN_E2E_TAG_PREFIX", "dockergen-e2e")


def image_tag(name: str) -> str:
    """A tag for a test image: `<prefix>/<name>` ('dockergen-e2e/poetry-django:test')."""
    return f"{TAG_PREFIX}/{name}"


def docker(
    *args: str, check: bool = True, timeout: int = 900, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["docker", *args], input=stdin, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"docker {' '.join(args[:3])} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 10) -> None:
    """Return once something accepts connections on 127.0.0.1:port."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
