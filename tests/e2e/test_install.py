"""Installed as a user installs a Python CLI (issue 15, part 4): the wheel built from this tree,
installed with `uv tool install` (what `pipx install` does, with uv's own tool directory), gives a
`dockergen` command that works outside this checkout: its templates and data tables are in the
wheel, and so is py.typed. Needs PyPI (the build backend and the dependencies), as CI has.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import dockergen
from dockergen import __version__

from ..conftest import ROOT, SAMPLES


def test_the_wheel_installs_as_a_uv_tool_and_runs(lock_tool, tmp_path):
    uv = lock_tool("uv")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "VIRTUAL_ENV"))}
    env |= {"UV_TOOL_DIR": str(tmp_path / "tools"), "UV_TOOL_BIN_DIR": str(tmp_path / "bin")}
    env |= {"UV_CACHE_DIR": str(tmp_path / "uv-cache")}
    subprocess.run([str(uv), "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(ROOT)], env=env, check=True)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    assert wheel.name == f"dockergen_py-{__version__}-py3-none-any.whl"  # the free PyPI name, not `dockergen`
    names = zipfile.ZipFile(wheel).namelist()
    assert {"dockergen/py.typed", "dockergen/templates/Dockerfile.j2", "dockergen/data/tools.toml"} <= set(names)
    subprocess.run([str(uv), "tool", "install", str(wheel)], env=env, check=True, cwd=tmp_path)
    command = Path(tmp_path / "bin" / "dockergen")
    run = {"env": env, "cwd": tmp_path, "capture_output": True, "text": True}
    version = subprocess.run([str(command), "--version"], **run)
    assert version.returncode == 0 and version.stdout == f"dockergen, version {__version__}\n"
    assert "Commands:" in subprocess.run([str(command), "-h"], **run).stdout
    generated = subprocess.run([str(command), "generate", "--stdout", str(SAMPLES / "uv-fastapi")], **run)
    assert generated.returncode == 0 and "FROM python:3.13-slim-trixie AS runner" in generated.stdout


def readme_hook() -> str:
    """The README's post-generation hook example, as a user copies it."""
    text = (ROOT / "README.md").read_text()
    start = text.index('```python\n"""Post-generation hook')
    return text[start + len("```python\n") : text.index("```", start + 10)]


def test_the_readmes_post_generation_hook_gives_a_new_project_current_files(lock_tool, tmp_path):
    uv = lock_tool("uv")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "VIRTUAL_ENV"))}
    env |= {"UV_CACHE_DIR": str(tmp_path / "uv-cache"), "UV_PYTHON_DOWNLOADS": "never"}
    env["PATH"] = os.pathsep.join([str(uv.parent), env.get("PATH", "")])  # the hook runs `uv lock`
    python = shutil.which("python3.11") or sys.executable
    subprocess.run([str(uv), "init", "--package", "--python", python, "hooked"], cwd=tmp_path, env=env, check=True)
    project = tmp_path / "hooked"
    (project / "hooks").mkdir()
    (project / "hooks" / "post_gen_project.py").write_text(readme_hook())
    hook = subprocess.run(
        [sys.executable, "hooks/post_gen_project.py"], cwd=project, env=env, capture_output=True, text=True
    )
    assert hook.returncode == 0, hook.stderr
    assert hook.stdout == "Dockerfile: created\n.dockerignore: created\n"
    assert (project / "uv.lock").is_file()
    assert {s.state for s in dockergen.status(project)} == {"current"}
