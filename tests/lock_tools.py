"""The package managers themselves, at the versions the generated Dockerfiles install, and what
each says of a lock: current or stale (issue 12: dockergen's verdict must be the tool's).

Each tool is installed once into a venv of its own under ~/.cache/dockergen-tests/tools. Poetry,
PDM and Pipenv compare a hash of the manifest, so they run here. `uv lock --check` resolves
again, with an interpreter the project allows and `.python-version` may pin: it runs in the
python stand-in image of the minor dockergen builds for, with the same uv binary mounted.
tests/e2e/test_lock_verdicts.py runs this on every sample's lock, and benchmarks/corpus.py
--freshness on every corpus repository's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dockergen.plan import tools

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dockergen-tests" / "tools"
# What each tool prints when the lock is out of date (beside a non-zero exit): any other failure
# is not a verdict, and is reported as the tool's error.
STALE = {
    "uv": "needs to be updated",
    "poetry": "changed significantly since poetry.lock was last generated",
    "pdm": "Lockfile doesn't satisfy the project requirements",
    "pipenv": "Pipfile.lock is out-of-date",
}
STAND_INS = ("3.11", "3.13", "3.14", "3.15")  # the python images ../shared/ci/docker-up builds


def stand_in(python: str) -> str:
    """The python image uv resolves with: the minor dockergen builds for, or the nearest one built here."""
    return min(STAND_INS, key=lambda minor: abs(int(minor.split(".")[1]) - int(python.split(".")[1])))


def tool(manager: str) -> Path:
    """The manager's command, installed at the version tools.toml gives it."""
    spec = tools()[manager]
    package = spec.get("pip", manager)
    venv = CACHE / f"{manager}-{spec['version']}"
    if not (venv / "bin" / package).exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pins = [f"{package}=={spec['version']}", *spec.get("with", [])]
        env = {k: v for k, v in os.environ.items() if k != "PIP_FIND_LINKS"}
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", *pins], check=True, env=env)
    return venv / "bin" / package


def verdict(manager: str, project: Path, python: str) -> tuple[bool, str]:
    """Whether the manager calls the project's lock current, and what it printed; python is the
    minor dockergen builds for. Raises RuntimeError when it fails without saying the lock is stale
    (it could not read the project)."""
    command: list[str]
    if manager == "uv":
        python = stand_in(python)
        command = [
            *("docker", "run", "--rm", "-e", "UV_PYTHON_DOWNLOADS=never"),
            *("-v", f"{tool('uv')}:/usr/local/bin/uv:ro", "-v", f"{project.resolve()}:/src:ro", "-w", "/src"),
            *(f"python:{python}-slim", "uv", "lock", "--check", "--python", f"/usr/local/bin/python{python}"),
        ]
    elif manager == "poetry":
        command = [str(tool("poetry")), "check", "--lock"]
    elif manager == "pdm":
        command = [str(tool("pdm")), "lock", "--check"]
    elif manager == "pipenv":
        command = [str(tool("pipenv")), "verify"]
    else:
        raise ValueError(f"no lock check for {manager}")
    env = {**os.environ, "PIPENV_VERBOSITY": "-1", "PDM_CHECK_UPDATE": "0", "NO_COLOR": "1"}
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    if result.returncode == 0:
        return True, output
    if STALE[manager] in output:
        return False, output
    raise RuntimeError(f"{manager}'s lock check failed (exit {result.returncode}):\n{output[-2000:]}")
