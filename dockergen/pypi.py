"""`--online`: fill in the file lists that Pipfile.lock and requirements files do not record.

Only when the user asks (never by default, so `check` stays offline and reproducible). Uses PyPI's
simple API in JSON form (PEP 691), which lists every file of a project; answers are cached for a
day under $XDG_CACHE_HOME/dockergen/pypi. A failed look-up leaves the package as it was, with a
note: the table's sdist-only flag still applies.
"""

from __future__ import annotations

import json
import logging
import os
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_version,
    parse_sdist_filename,
    parse_wheel_filename,
)

from .facts import LockedPackage

INDEX = "https://pypi.org/simple"
ACCEPT = "application/vnd.pypi.simple.v1+json"
MAX_AGE = 24 * 3600
LOOKUPS_AT_ONCE = 8  # the answers are small: latency, not bandwidth, is what a lock's worth costs
log = logging.getLogger(__name__)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dockergen" / "pypi"


def project_files(name: str) -> list[str]:
    """Every file name PyPI lists for the project (cached); raises OSError or ValueError on failure."""
    cached = cache_dir() / f"{name}.json"
    if cached.is_file() and time.time() - cached.stat().st_mtime < MAX_AGE:
        data = json.loads(cached.read_text())
    else:
        request = urllib.request.Request(f"{INDEX}/{name}/", headers={"Accept": ACCEPT})
        with urllib.request.urlopen(request, timeout=20) as response:
            data = json.loads(response.read())
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(data))
    return [str(f["filename"]) for f in data.get("files", []) if isinstance(f, dict) and "filename" in f]


def _version_of(filename: str) -> str | None:
    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[1])
        return str(parse_sdist_filename(filename)[1])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None


def fill_files(packages: list[LockedPackage]) -> tuple[list[LockedPackage], list[str]]:
    """Packages with the files PyPI has for their pinned version; notes for failed look-ups.
    Look-ups run several at a time, and the CLI shows how many and how long they took."""
    wanted = [p for p in packages if not p.files and p.version and p.source.kind == "registry"]
    if not wanted:
        return list(packages), []
    log.info("looking up %d packages on PyPI (--online)", len(wanted))
    start = time.monotonic()
    with ThreadPoolExecutor(LOOKUPS_AT_ONCE) as pool:
        found = dict(zip(((p.name, p.version) for p in wanted), pool.map(_lookup, wanted)))
    log.info("looked them up in %.1f s", time.monotonic() - start)
    out, notes = [], []
    for package in packages:
        files = None if package.files else found.get((package.name, package.version))
        if isinstance(files, str):
            notes.append(f"PyPI look-up for {package.name} failed ({files}); using the table")
        out.append(replace(package, files=files) if isinstance(files, tuple) and files else package)
    return out, notes


def _lookup(package: LockedPackage) -> tuple[str, ...] | str:
    """The files of the package's pinned version, or why the look-up failed."""
    try:
        names = project_files(package.name)
    except (OSError, ValueError, urllib.error.URLError) as exc:
        return str(exc)
    wanted = canonicalize_version(package.version or "")
    return tuple(n for n in names if (v := _version_of(n)) and canonicalize_version(v) == wanted)
