"""Fixtures shared by the Docker tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockergen.plan import tools


@pytest.fixture(scope="session")
def lock_tool():
    """The real tool, at the version the generated Dockerfiles install, in a venv kept between runs."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dockergen-tests" / "tools"

    def tool(manager: str) -> Path:
        spec = tools()[manager]
        package = spec.get("pip", manager)
        venv = cache / f"{manager}-{spec['version']}"
        if not (venv / "bin" / package).exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            pins = [f"{package}=={spec['version']}", *spec.get("with", [])]
            env = {k: v for k, v in os.environ.items() if k != "PIP_FIND_LINKS"}
            subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", *pins], check=True, env=env)
        return venv / "bin" / package

    return tool
