"""`--online`: fill in the file lists that Pipfile.lock and requirements files do not record.

Only when the user asks (never by default, so `check` stays offline and reproducible). Uses an
index's simple API, in JSON (PEP 691) or HTML (PEP 503), which lists every file of a project.
The index is the one the installers would use: UV_DEFAULT_INDEX, UV_INDEX_URL or PIP_INDEX_URL
when set (a mirror, a proxy), else the package's own registry in the lock, else the project's
default index, else PyPI. A user and password in that URL, or the index host's line in ~/.netrc,
are sent as basic auth. Answers are cached for a day under $XDG_CACHE_HOME/dockergen/pypi, per
index. A failed look-up leaves the package as it was, with a note: the table's sdist-only flag
still applies.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import netrc
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_version,
    parse_sdist_filename,
    parse_wheel_filename,
)

from .facts import USERINFO, Index, LockedPackage

INDEX = "https://pypi.org/simple"
ACCEPT = "application/vnd.pypi.simple.v1+json, text/html;q=0.1"
# The installers' own variables for the index that replaces PyPI, in the order uv, then pip, reads them.
INDEX_VARIABLES = ("UV_DEFAULT_INDEX", "UV_INDEX_URL", "PIP_INDEX_URL")
MAX_AGE = 24 * 3600
LOOKUPS_AT_ONCE = 8  # the answers are small: latency, not bandwidth, is what a lock's worth costs
log = logging.getLogger(__name__)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dockergen" / "pypi"


def default_index(indexes: list[Index]) -> str:
    """The index that stands for PyPI: the user's variable, else the project's default index."""
    for variable in INDEX_VARIABLES:
        if os.environ.get(variable):
            return os.environ[variable]
    return next((index.url for index in indexes if not index.explicit), INDEX)


def index_for(package: LockedPackage, default: str) -> str:
    """Where the package is looked up: the user's variable wins over the registry the lock names."""
    if any(os.environ.get(variable) for variable in INDEX_VARIABLES):
        return default
    return package.source.url or default


class _Links(HTMLParser):
    """The file names a PEP 503 page links to (each anchor's last path segment)."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            path = urllib.parse.urlsplit(href).path
            self.files.append(urllib.parse.unquote(path.rsplit("/", 1)[-1]))


def _request(url: str) -> urllib.request.Request:
    """A request for url without its user and password, which go in a basic auth header (or the
    host's ~/.netrc line's do): urllib sends neither by itself."""
    parts = urllib.parse.urlsplit(url)
    plain = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    headers = {"Accept": ACCEPT}
    user, password = urllib.parse.unquote(parts.username or ""), urllib.parse.unquote(parts.password or "")
    if user == "***":  # a redacted URL's (the project's files keep the real one): ask ~/.netrc
        user, password = "", ""
    if not user and parts.hostname:
        try:
            found = netrc.netrc().authenticators(parts.hostname)
        except (OSError, netrc.NetrcParseError):
            found = None
        if found:
            user, password = found[0], found[2] or ""
    if user:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    return urllib.request.Request(plain, headers=headers)


def cache_file(name: str, index: str) -> Path:
    """Where the index's answer for the project is kept: a directory per index, named by its URL
    without credentials."""
    plain = USERINFO.sub(r"\1", index).rstrip("/")
    return cache_dir() / hashlib.sha256(plain.encode()).hexdigest()[:16] / f"{name}.json"


def project_files(name: str, index: str = INDEX) -> list[str]:
    """Every file name the index lists for the project (cached); raises OSError or ValueError on failure."""
    cached = cache_file(name, index)
    if cached.is_file() and time.time() - cached.stat().st_mtime < MAX_AGE:
        return [str(f) for f in json.loads(cached.read_text())]
    with urllib.request.urlopen(_request(f"{index.rstrip('/')}/{name}/"), timeout=20) as response:
        body = response.read()
        kind = response.headers.get_content_type()
    if kind.endswith("json"):
        data = json.loads(body)
        files = [str(f["filename"]) for f in data.get("files", []) if isinstance(f, dict) and "filename" in f]
    else:
        links = _Links()
        links.feed(body.decode("utf-8", errors="replace"))
        files = links.files
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(files))
    return files


def _version_of(filename: str) -> str | None:
    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[1])
        return str(parse_sdist_filename(filename)[1])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None


def fill_files(packages: list[LockedPackage], indexes: list[Index]) -> tuple[list[LockedPackage], list[str]]:
    """Packages with the files the index has for their pinned version; notes for failed look-ups.
    Look-ups run several at a time, and the CLI shows how many and how long they took."""
    wanted = [p for p in packages if not p.files and p.version and p.source.kind == "registry"]
    if not wanted:
        return list(packages), []
    default = default_index(indexes)
    log.info("looking up %d packages on %s (--online)", len(wanted), USERINFO.sub(r"\1***@", default))
    start = time.monotonic()
    with ThreadPoolExecutor(LOOKUPS_AT_ONCE) as pool:
        found = dict(zip(((p.name, p.version) for p in wanted), pool.map(lambda p: _lookup(p, default), wanted)))
    log.info("looked them up in %.1f s", time.monotonic() - start)
    out, notes = [], []
    for package in packages:
        files = None if package.files else found.get((package.name, package.version))
        if isinstance(files, str):
            notes.append(f"index look-up for {package.name} failed ({files}); using the table")
        out.append(replace(package, files=files) if isinstance(files, tuple) and files else package)
    return out, notes


def _lookup(package: LockedPackage, default: str) -> tuple[str, ...] | str:
    """The files of the package's pinned version, or why the look-up failed."""
    index = index_for(package, default)
    log.debug("%s: %s", package.name, USERINFO.sub(r"\1***@", index))
    try:
        names = project_files(package.name, index)
    except (OSError, ValueError, urllib.error.URLError) as exc:
        return str(exc)
    wanted = canonicalize_version(package.version or "")
    return tuple(n for n in names if (v := _version_of(n)) and canonicalize_version(v) == wanted)
