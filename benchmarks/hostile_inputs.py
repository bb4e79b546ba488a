"""Seconds `dockergen generate` takes on input shapes that once took minutes (issue 17).

    python benchmarks/hostile_inputs.py

Each shape is written to a scratch directory and generated three times; the best time is shown.
dockergen should finish every one in about a second: parsing is linear, and includes and globs
never read a file twice.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dockergen.api import generate
from dockergen.facts import InspectError

WORD = "a" * 2_000_000


def chain_lock(root: Path, n: int = 12_000) -> None:
    """A uv.lock of n packages in one dependency chain."""
    lines = ['version = 1\nrevision = 3\nrequires-python = ">=3.11"\n']
    lines.append(
        '[[package]]\nname = "app"\nversion = "1"\nsource = { virtual = "." }\ndependencies = [{ name = "p0" }]\n'
    )
    for i in range(n):
        deps = f'dependencies = [{{ name = "p{i + 1}" }}]\n' if i + 1 < n else ""
        wheel = f"https://files.pythonhosted.org/p{i}-1.0-py3-none-any.whl"
        lines.append(
            f'[[package]]\nname = "p{i}"\nversion = "1.0"\nsource = {{ registry = "https://pypi.org/simple" }}\n'
            f'{deps}wheels = [{{ url = "{wheel}", hash = "sha256:00" }}]\n'
        )
    (root / "uv.lock").write_text("\n".join(lines))
    (root / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = ["p0"]\n'
    )


def long_hash_option(root: Path) -> None:
    (root / "requirements.txt").write_text(f"flask==3.0.0 --hash=sha256:{WORD}\n")


def long_quoted_procfile_word(root: Path) -> None:
    (root / "requirements.txt").write_text("flask==3.0.0\n")
    (root / "Procfile").write_text(f'web: gunicorn "{WORD}"\n')


def include_fan_out(root: Path) -> None:
    for name in "abcd":
        os.symlink(".", root / name)
    (root / "requirements.txt").write_text("".join(f"-r {n}/requirements.txt\n" for n in "abcd") + "flask==3.0.0\n")


SHAPES: dict[str, Callable[[Path], None]] = {
    "uv.lock, 12,000 packages in one chain": chain_lock,
    "requirements.txt, a 2 MB --hash word": long_hash_option,
    "Procfile, a 2 MB quoted word": long_quoted_procfile_word,
    "requirements includes through 4 links to the project": include_fan_out,
}


def main() -> None:
    for label, write in SHAPES.items():
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch)
            (root / "main.py").write_text("print(1)\n")
            write(root)
            best, outcome = float("inf"), ""
            for _ in range(3):
                start = time.perf_counter()
                try:
                    generate(root)
                    outcome = "generated"
                except InspectError as error:
                    outcome = f"refused: {str(error)[:60]}..."
                best = min(best, time.perf_counter() - start)
            print(f"{best:7.2f} s  {label}  ({outcome})")


if __name__ == "__main__":
    main()
