"""The copy of a pylock.toml the dependency step installs: every entry but those from the tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from dockergen.project import tomllib
from dockergen.render import _templates_dir

from .conftest import SAMPLES

SOURCE = (SAMPLES / "pylock-app" / "pylock.toml").read_text()


def without(tmp_path: Path, source: str, *names: str) -> dict[str, Any]:
    (tmp_path / "in.toml").write_text(source)
    target = tmp_path / "pylock.toml"
    script = _templates_dir() / "pylock_without.py"
    subprocess.run([sys.executable, str(script), str(tmp_path / "in.toml"), str(target), *names], check=True)
    return tomllib.loads(target.read_text())


def test_the_named_entries_leave_and_everything_else_stays(tmp_path):
    original = tomllib.loads(SOURCE)
    copy = without(tmp_path, SOURCE, "pyyaml")
    assert [p["name"] for p in copy["packages"]] == [p["name"] for p in original["packages"] if p["name"] != "pyyaml"]
    assert {k: v for k, v in copy.items() if k != "packages"} == {k: v for k, v in original.items() if k != "packages"}
    kept = next(p for p in copy["packages"] if p["name"] == "attrs")
    assert kept == next(p for p in original["packages"] if p["name"] == "attrs")  # its wheels and hashes too


def test_names_match_as_pep_503_normalizes_them(tmp_path):
    assert 'name = "pyyaml"' in SOURCE
    copy = without(tmp_path, SOURCE.replace('name = "pyyaml"', 'name = "PyYAML"'), "pyyaml")
    assert "pyyaml" not in [p["name"].lower() for p in copy["packages"]]
    assert len(without(tmp_path, SOURCE, "no-such-package")["packages"]) == len(tomllib.loads(SOURCE)["packages"])
