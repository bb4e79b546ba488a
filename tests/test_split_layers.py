"""The layer split the Dockerfile runs in the install step: every venv file in exactly one layer,
as a hard link (no data written), under its full path, with fixed times on every entry."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dockergen.render import _templates_dir

EPOCH = 315532800


def make_venv(root: Path) -> Path:
    venv = root / "opt" / "venv"
    site = venv / "lib" / "python3.11" / "site-packages"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    (venv / "pyvenv.cfg").write_text("home = /usr/local/bin\n")
    (venv / "lib64").symlink_to("lib")
    for dist, files in {"big_pkg": {"big_pkg/__init__.py": "x" * 50_000}, "small": {"small.py": "y"}}.items():
        info = site / f"{dist}-1.0.dist-info"
        info.mkdir(parents=True)
        record = []
        for name, text in files.items():
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_text(text)
            record.append(f"{name},,")
        (info / "METADATA").write_text("Name: x\n")
        (info / "RECORD").write_text("\n".join([*record, f"{info.name}/METADATA,,", f"{info.name}/RECORD,,"]) + "\n")
    (site / "big_pkg" / "__pycache__").mkdir()
    (site / "big_pkg" / "__pycache__" / "x.pyc").write_text("compiled")  # not in RECORD: its top-level owner
    return venv


def test_every_file_lands_in_one_layer_as_a_hard_link_with_fixed_times(tmp_path):
    venv = make_venv(tmp_path / "root")
    out = tmp_path / "layers"
    script = _templates_dir() / "split_layers.py"
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}
    subprocess.run([sys.executable, str(script), str(venv), str(out), "1", "2"], check=True, env=env)

    layers = sorted(out.iterdir(), key=lambda p: int(p.name))
    assert [p.name for p in layers] == ["0", "1", "2", "3"]
    originals = sorted(p.relative_to(venv) for p in venv.rglob("*") if p.is_file() or p.is_symlink())
    found: dict[Path, str] = {}
    for layer in layers:
        for path in layer.rglob("*"):
            assert path.lstat().st_mtime == EPOCH, path
            if path.is_file() or path.is_symlink():
                rel = path.relative_to(layer / str(venv).lstrip("/"))
                assert rel not in found, f"{rel} is in layers {found[rel]} and {layer.name}"
                found[rel] = layer.name
                assert path.lstat().st_ino == (venv / rel).lstat().st_ino, f"{rel} was copied, not linked"
    assert sorted(found) == originals
    site = Path("lib/python3.11/site-packages")
    assert found[site / "big_pkg/__init__.py"] == found[site / "big_pkg/__pycache__/x.pyc"] == "1"
    assert found[Path("pyvenv.cfg")] == found[Path("bin/python")] == found[Path("lib64")] == "0"
    assert found[site / "small.py"] in ("2", "3")
