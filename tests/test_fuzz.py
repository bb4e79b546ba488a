"""Property-based robustness tests (issue 5).

Mutated real sample files and randomly built project files go through the inspector, the planner
and the renderer. Every outcome must be facts (and a rendered Dockerfile) or one InspectError whose
one-line message starts with the offending file's relative name (or the project path): never
another exception, which the CLI would report as exit 3, an internal error.

Each strategy returns {relative path: bytes}, so a shrunk failure can be pinned with @example.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockergen import api
from dockergen.cli import main
from dockergen.facts import InspectError, printable
from dockergen.project import MAX_FILE_BYTES, tomllib

from .samples import EXPECTATIONS_FILE

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def _read_samples() -> dict[str, dict[str, bytes]]:
    """Each sample's files, less the tests' expectations (dockergen-test.toml), which are not the project's."""
    out = {}
    for sample in sorted(p for p in SAMPLES_DIR.iterdir() if p.is_dir()):
        out[sample.name] = {
            path.relative_to(sample).as_posix(): path.read_bytes()
            for path in sorted(sample.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts and path.name != EXPECTATIONS_FILE
        }
    return out


SAMPLES = _read_samples()
SAMPLE_NAMES = sorted(SAMPLES)
BIG = {name for name, files in SAMPLES.items() if sum(map(len, files.values())) > 40_000}
# The big samples (uv locks of 55-65 KB, several times slower to read) come up a quarter as often.
WEIGHTED_SAMPLES = sorted(SAMPLE_NAMES + [n for n in SAMPLE_NAMES if n not in BIG] * 3)
# Byte-level mutations target the metadata files, and the Python files entrypoint detection reads.
MUTABLE = {name: sorted(files) for name, files in SAMPLES.items()}
KNOWN_NAMES = (
    "pyproject.toml",
    "uv.lock",
    "poetry.lock",
    "pdm.lock",
    "Pipfile",
    "Pipfile.lock",
    "pylock.toml",
    "pylock.dev.toml",
    "requirements.txt",
    "requirements.in",
    "requirements-dev.txt",
    "setup.py",
    "setup.cfg",
    "hatch.toml",
    ".python-version",
    "runtime.txt",
    "Procfile",
    "manage.py",
    "main.py",
    "app.py",
)


# --- running a case -------------------------------------------------------------------------


def write_files(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def assert_good_error(err: InspectError, root: Path) -> None:
    """One line, "FILE: problem", and FILE is a file of the project (or the project itself)."""
    text = str(err)
    assert len(text.splitlines()) == 1 and "\r" not in text and text.isprintable(), f"not one line: {text!r}"
    assert text == printable(f"{err.path}: {err.problem}")
    names = {p.relative_to(root).as_posix() for p in root.rglob("*")} | {str(root)}
    # rglob does not enter a linked directory: a file in one is in the tree by its name
    in_tree = not os.path.isabs(err.path) and ".." not in err.path.split("/") and os.path.lexists(root / err.path)
    assert err.path in names or in_tree, f"error does not name a project file: {text!r}"


def outcome(root: Path, call: Callable[[Path], Any] = api.generate) -> Any:
    """Run call(root): its result, or None after checking the InspectError it raised."""
    try:
        return call(root)
    except InspectError as err:
        assert_good_error(err, root)
        return None


def run_case(files: dict[str, bytes], call: Callable[[Path], Any] = api.generate) -> Any:
    with tempfile.TemporaryDirectory(prefix="dgfuzz") as tmp:
        root = Path(tmp) / "proj"
        root.mkdir()
        write_files(root, files)
        return outcome(root, call)


class Workdir:
    """One project directory reused across examples (hypothesis allows no function-scoped
    fixture per example): each case rewrites only the files that differ from the last one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.current: dict[str, bytes] = {}

    def run(self, files: dict[str, bytes], call: Callable[[Path], Any] = api.generate) -> Any:
        for rel in set(self.current) - set(files):
            (self.root / rel).unlink()
        write_files(self.root, {rel: data for rel, data in files.items() if self.current.get(rel) != data})
        self.current = dict(files)
        return outcome(self.root, call)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Workdir:
    return Workdir(tmp_path_factory.mktemp("fuzz"))


# --- a tiny TOML writer (tomli_w is not a dependency) -----------------------------------------

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in ESCAPES:
            out.append(ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    return key if BARE_KEY.match(key) else toml_string(key)


_PRISTINE: dict[int, Any] = {}  # id -> container of a parsed sample (kept alive by PARSED)
_INLINE_CACHE: dict[int, str] = {}


def toml_inline(value: Any) -> str:
    key = id(value)
    if key in _INLINE_CACHE and _PRISTINE.get(key) is value:
        return _INLINE_CACHE[key]
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    elif isinstance(value, str):
        text = toml_string(value)
    elif isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        text = value.isoformat()
    elif isinstance(value, list):
        text = "[" + ", ".join(toml_inline(v) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{toml_key(k)} = {toml_inline(v)}" for k, v in value.items()) + "}"
    else:  # pragma: no cover - the strategies make nothing else
        raise TypeError(type(value))
    if _PRISTINE.get(key) is value:
        _INLINE_CACHE[key] = text
    return text


def toml_dumps(doc: dict[str, Any]) -> str:
    """Top-level tables and arrays of tables as headers (as the real files have them), the rest
    inline; round-trips through tomllib."""

    def is_table_array(value: Any) -> bool:
        return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)

    lines = [
        f"{toml_key(k)} = {toml_inline(v)}" for k, v in doc.items() if not isinstance(v, dict) and not is_table_array(v)
    ]
    for key, value in doc.items():
        if isinstance(value, dict):
            lines.append(f"\n[{toml_key(key)}]")
            lines += [f"{toml_key(k)} = {toml_inline(v)}" for k, v in value.items()]
        elif is_table_array(value):
            for item in value:
                lines.append(f"\n[[{toml_key(key)}]]")
                lines += [f"{toml_key(k)} = {toml_inline(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


# --- parsed samples and structural edits ----------------------------------------------------


def _walk(node: Any, path: tuple[Any, ...], out: list[tuple[Any, ...]], containers: dict[int, Any]) -> None:
    out.append(path)
    if isinstance(node, dict):
        containers[id(node)] = node
        for k, v in node.items():
            _walk(v, (*path, k), out, containers)
    elif isinstance(node, list):
        containers[id(node)] = node
        for i, v in enumerate(node):
            _walk(v, (*path, i), out, containers)


def _parse_samples() -> dict[tuple[str, str], tuple[str, Any, list[tuple[Any, ...]]]]:
    parsed = {}
    for sample, files in SAMPLES.items():
        for rel, data in files.items():
            name = rel.rsplit("/", 1)[-1]
            if name.endswith((".toml", ".lock")) or name == "Pipfile":
                kind, doc = (
                    ("json", json.loads(data)) if name == "Pipfile.lock" else ("toml", tomllib.loads(data.decode()))
                )
                paths: list[tuple[Any, ...]] = []
                _walk(doc, (), paths, _PRISTINE)
                parsed[(sample, rel)] = (kind, doc, paths)
    return parsed


PARSED = _parse_samples()
PARSED_KEYS = sorted(PARSED) + sorted(k for k in PARSED if k[0] not in BIG) * 3


def get_in(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def edit(doc: Any, path: tuple[Any, ...], change: Callable[[Any], Any]) -> Any:
    """A copy of doc with change applied to the container at path (copied along the path only)."""
    if not path:
        return change(doc)
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    head, rest = path[0], path[1:]
    if isinstance(copy, dict) and not isinstance(copy.get(head), (dict, list)) and rest:
        copy[head] = {}  # creating a path through a missing key or a scalar
    copy[head] = edit(copy[head], rest, change)
    return copy


def set_in(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    def change(parent: Any) -> Any:
        if isinstance(parent, dict):
            return {**parent, str(path[-1]): value}
        parent = list(parent)
        parent[path[-1]] = value
        return parent

    return edit(doc, path[:-1], change)


def delete_in(doc: Any, path: tuple[Any, ...]) -> Any:
    def change(parent: Any) -> Any:
        parent = dict(parent) if isinstance(parent, dict) else list(parent)
        del parent[path[-1]]
        return parent

    return edit(doc, path[:-1], change)


# --- value strategies -----------------------------------------------------------------------

INTERESTING_STRINGS = (
    "",
    " ",
    "*",
    ".",
    "./",
    "..",
    "../x",
    "/",
    "/etc/passwd",
    "**",
    "packages/*",
    "flask",
    "flask>=2",
    "Flask[async] ; python_version < '3.12'",
    "x @ https://example.com/x-1.0.tar.gz",
    "-e .",
    "1",
    "1.0",
    "2.1",
    "4.5.0",
    "3",
    "3.9",
    "3.11",
    "3.13",
    "3.99",
    "2.7",
    "cpython-3.13",
    "pypy3.10",
    ">=3.11",
    ">=3.11,<3.12",
    "==3.11.*",
    "^3.11",
    "~3.11",
    "3.11.*",
    ">=3.99",
    "<3",
    "!=3.13.*",
    ">=3.11 || <2",
    ">= 3.x",
    "^",
    "default",
    "main",
    "dev",
    "editable",
    "virtual",
    "registry",
    "git",
    "explicit",
    "find_links",
    "https://example.com/simple",
    "https://pypi.org/simple",
    "git+https://github.com/a/b",
    "sha256:abc",
    "pyproject.toml",
    "hatchling.build",
    "poetry.core.masonry.api",
    "pdm.backend",
    "gunicorn app:app",
    "uvicorn",
    "uv",
    "poetry",
    "pip-tools",
    "a\nb",
    "\x00",
    "\x01x",
    "é",
    "\u2028",
    "${X}",
    "$(id)",
    "RUN x",
    "x,y",
    "x y",
    "python_version < '3.12'",
    "extra == 'x'",
    "nonsense ==",
)
TEXT = st.text(max_size=10) | st.sampled_from(INTERESTING_STRINGS)
KEYS = st.sampled_from(
    (
        "name",
        "version",
        "dependencies",
        "dev-dependencies",
        "optional-dependencies",
        "groups",
        "group",
        "source",
        "marker",
        "markers",
        "files",
        "file",
        "wheels",
        "sdist",
        "hashes",
        "hash",
        "url",
        "path",
        "git",
        "editable",
        "virtual",
        "registry",
        "directory",
        "vcs",
        "archive",
        "requires-python",
        "requires_python",
        "python",
        "python_version",
        "python_full_version",
        "metadata",
        "package",
        "packages",
        "extras",
        "scripts",
        "targets",
        "content-hash",
        "content_hash",
        "lock-version",
        "lock_version",
        "pipfile-spec",
        "members",
        "exclude",
        "workspace",
        "index",
        "tool",
        "project",
        "build-system",
        "build-backend",
        "dependency-groups",
        "requires-dist",
        "specifier",
        "type",
        "reference",
        "priority",
        "explicit",
        "distribution",
        "package-mode",
        "include_packages",
        "requires",
        "default",
        "develop",
        "dev-packages",
        "_meta",
        "sha256",
    )
) | st.text(max_size=6)
TOML_SCALARS = (
    TEXT
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats()
    | st.booleans()
    | st.datetimes(timezones=st.none() | st.just(datetime.timezone.utc))
    | st.dates()
    | st.times()
)
TOML_VALUES = st.recursive(
    TOML_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3), max_leaves=6
)
JSON_SCALARS = TEXT | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False) | st.booleans() | st.none()
JSON_VALUES = st.recursive(
    JSON_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3), max_leaves=6
)
VERSION_VALUES = (
    st.sampled_from(["1", "1.0", "1.1", "1.99", "2", "2.0", "2.1", "2.99", "4", "4.0", "4.5.0", "3.0", "", "x"])
    | st.sampled_from([0, 1, 2, 4, 5, 6, 7, -1, 1.0, 2.1, 6.0, True, False])
    | TEXT
)
# Version fields, and keys the inspectors read by name, per file (path into the parsed document).
VERSION_PATHS = {
    "uv.lock": [("version",)],
    "poetry.lock": [("metadata", "lock-version")],
    "pdm.lock": [("metadata", "lock_version")],
    "pylock.toml": [("lock-version",)],
    "Pipfile.lock": [("_meta", "pipfile-spec")],
}
SETTINGS = ("python", "manager", "entrypoint", "port", "image", "debian", "apt", "user", "uid", "groups", "extras")
SETTINGS += ("syntax", "variant")  # cuda: see test_unknown_cuda_setting_names_pyproject
KNOWN_PATHS = {
    "pyproject.toml": [
        ("project",),
        ("project", "name"),
        ("project", "dependencies"),
        ("project", "dependencies", 0),
        ("project", "requires-python"),
        ("project", "scripts"),
        ("project", "scripts", "x"),
        ("project", "optional-dependencies"),
        ("build-system",),
        ("build-system", "build-backend"),
        ("dependency-groups",),
        ("dependency-groups", "dev"),
        ("external",),
        ("external", "dependencies"),
        ("external", "build-requires", 0),
        ("tool",),
        ("tool", "uv"),
        ("tool", "uv", "package"),
        ("tool", "uv", "index"),
        ("tool", "uv", "index", 0),
        ("tool", "uv", "workspace"),
        ("tool", "uv", "workspace", "members"),
        ("tool", "uv", "workspace", "members", 0),
        ("tool", "uv", "workspace", "exclude"),
        ("tool", "poetry"),
        ("tool", "poetry", "name"),
        ("tool", "poetry", "dependencies"),
        ("tool", "poetry", "dependencies", "python"),
        ("tool", "poetry", "dependencies", "x"),
        ("tool", "poetry", "dev-dependencies"),
        ("tool", "poetry", "group"),
        ("tool", "poetry", "group", "dev"),
        ("tool", "poetry", "group", "dev", "dependencies"),
        ("tool", "poetry", "scripts"),
        ("tool", "poetry", "scripts", "x"),
        ("tool", "poetry", "source"),
        ("tool", "poetry", "package-mode"),
        ("tool", "pdm"),
        ("tool", "pdm", "source"),
        ("tool", "pdm", "source", 0),
        ("tool", "pdm", "dev-dependencies"),
        ("tool", "pdm", "dev-dependencies", "dev"),
        ("tool", "pdm", "distribution"),
        ("tool", "pdm", "resolution"),
        ("tool", "hatch"),
        ("tool", "hatch", "envs"),
        ("tool", "hatch", "envs", "default"),
        ("tool", "dockergen"),
        *(("tool", "dockergen", s) for s in SETTINGS),
    ],
    "uv.lock": [("requires-python",), ("package",), ("package", 0), ("package", 0, "source")],
    "poetry.lock": [("metadata",), ("metadata", "python-versions"), ("metadata", "content-hash"), ("package",)],
    "pdm.lock": [("metadata",), ("metadata", "targets"), ("metadata", "content_hash"), ("package",)],
    "pylock.toml": [("requires-python",), ("packages",), ("packages", 0)],
    "Pipfile": [
        ("packages",),
        ("packages", "x"),
        ("dev-packages",),
        ("requires",),
        ("requires", "python_version"),
        ("requires", "python_full_version"),
        ("source",),
        ("source", 0),
        ("custom",),
    ],
    "Pipfile.lock": [("_meta",), ("_meta", "hash"), ("default",), ("default", "x"), ("develop",), ("extra",)],
}


# --- mutation strategies ----------------------------------------------------------------------


BYTE_OPS = st.sampled_from(["truncate", "delete_line", "duplicate_line", "swap_lines", "flip", "insert"])
BYTES = st.sampled_from([0x80, 0xFF, 0xC3, 0xED, 0x00, 0x0A, 0x22, 0x5B]) | st.integers(0, 255)
# Strategies are built once: building them inside a draw costs more than running a case.
SAMPLE_CHOICE = st.sampled_from(WEIGHTED_SAMPLES)
FILE_CHOICE = {name: st.sampled_from(files) for name, files in MUTABLE.items()}
ONE_TO_THREE = st.integers(1, 3)
INSERTED = st.binary(min_size=1, max_size=8)


def _index(draw: st.DrawFn, size: int) -> int:
    """An index below size (or 0), drawn without building a strategy per size."""
    return draw(st.integers(0, 2**24)) % max(size, 1)


@st.composite
def byte_mutations(draw: st.DrawFn) -> dict[str, bytes]:
    """A sample with one to three of: truncation, a line deleted, duplicated or swapped, bytes
    flipped (usually making it non-UTF-8), random bytes inserted."""
    sample = draw(SAMPLE_CHOICE)
    files = dict(SAMPLES[sample])
    for _ in range(draw(ONE_TO_THREE)):
        rel = draw(FILE_CHOICE[sample])
        data = files[rel]
        op = draw(BYTE_OPS)
        if op == "truncate":
            data = data[: _index(draw, len(data) + 1)]
        elif op in ("delete_line", "duplicate_line", "swap_lines"):
            lines = data.splitlines(keepends=True) or [b""]
            i = _index(draw, len(lines))
            if op == "delete_line":
                del lines[i]
            elif op == "duplicate_line":
                lines.insert(i, lines[i])
            else:
                j = _index(draw, len(lines))
                lines[i], lines[j] = lines[j], lines[i]
            data = b"".join(lines)
        elif op == "flip":
            pos = _index(draw, len(data))
            data = data[:pos] + bytes([draw(BYTES)]) + data[pos + 1 :]
        else:
            pos = _index(draw, len(data) + 1)
            data = data[:pos] + draw(INSERTED) + data[pos:]
        files[rel] = data
    return files


STRUCT_OPS = st.sampled_from(["replace", "delete", "add", "version", "known"])
PARSED_CHOICE = st.sampled_from(PARSED_KEYS)
PATH_CHOICE = {key: st.sampled_from(paths[1:] or [()]) for key, (_, _, paths) in PARSED.items()}
DICT_PATH_CHOICE = {
    key: st.sampled_from([p for p in paths if isinstance(get_in(doc, p), dict)])
    for key, (_, doc, paths) in PARSED.items()
}


def _file_kind(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    return "pylock.toml" if name.startswith("pylock.") else name


VERSION_CHOICE = {name: st.sampled_from(paths) for name, paths in VERSION_PATHS.items()}
KNOWN_CHOICE = {name: st.sampled_from(paths) for name, paths in KNOWN_PATHS.items()}


@st.composite
def structural_mutations(draw: st.DrawFn) -> dict[str, bytes]:
    """A sample with one to three edits of a parsed TOML/JSON file, re-serialised: a value
    replaced by a random value (usually of another type), a key deleted or added, a version
    field or a key an inspector reads set to a random value."""
    key = draw(PARSED_CHOICE)
    sample, rel = key
    kind, doc, _ = PARSED[key]
    values = TOML_VALUES if kind == "toml" else JSON_VALUES
    name = _file_kind(rel)
    for _ in range(draw(ONE_TO_THREE)):
        op = draw(STRUCT_OPS)
        if op == "delete":
            doc = _try(delete_in, doc, draw(PATH_CHOICE[key]))
            continue
        if op == "replace":
            path = draw(PATH_CHOICE[key])
        elif op == "add":
            path = (*draw(DICT_PATH_CHOICE[key]), draw(KEYS))
        elif op == "version" and name in VERSION_CHOICE:
            path = draw(VERSION_CHOICE[name])
        elif name in KNOWN_CHOICE:
            path = draw(KNOWN_CHOICE[name])
        else:
            continue
        doc = _try(set_in, doc, path, draw(VERSION_VALUES if op == "version" else values))
    files = dict(SAMPLES[sample])
    if kind == "toml":
        files[rel] = toml_dumps(doc).encode()
    else:
        files[rel] = json.dumps(doc, indent=1).encode()
    return files


def _try(change: Callable[..., Any], doc: Any, *args: Any) -> Any:
    """Apply an edit; one whose path an earlier edit removed leaves the document alone."""
    try:
        return change(doc, *args)
    except (KeyError, IndexError, TypeError):
        return doc


ALL_FILES = sorted({(rel, data) for files in SAMPLES.values() for rel, data in files.items()})


@st.composite
def mixed_projects(draw: st.DrawFn) -> dict[str, bytes]:
    """Files of different samples thrown together: a lock made for another project, a lock
    without its manifest, two managers' locks side by side."""
    chosen = draw(st.lists(st.sampled_from(ALL_FILES), min_size=1, max_size=6))
    return dict(chosen)


# --- requirements files from a small grammar --------------------------------------------------

HASHES = [f"--hash=sha256:{c * 64}" for c in "0a5f"] + ["--hash=md5:zz", "--hash", "--hash=", "--hash=sha256:"]
REQ_NAMES = st.sampled_from(
    ["flask", "Django", "requests", "my_pkg", "a.b-c", "x", "psycopg[binary]", "uvicorn[standard]", "gunicorn"]
) | st.text("aZ09._-[]", min_size=1, max_size=6)
REQ_SPECS = st.sampled_from(
    [
        "",
        "==1.0",
        "==2.32.5",
        ">=1,<2",
        "~=3.1",
        "===weird",
        "===1.0",
        "==1.*",
        " == 2.0.0",
        "!=1.5",
        ">1",
        "==1.0+local",
        "==1.0.post1.dev2",
        "====1",
        ">=",
        "==",
        " @ https://example.com/x-1.0.tar.gz",
        " @ file:///tmp/x.whl",
        "@ git+https://github.com/a/b@main",
        "(>=1.0)",
    ]
)
REQ_MARKERS = st.sampled_from(
    [
        "",
        "; python_version < '3.12'",
        ";sys_platform=='linux'",
        "; extra == 'x'",
        "; foo",
        "; python_version <",
        ' ; platform_machine == "x86_64" and python_version >= "3.8"',
    ]
)
INCLUDE_TARGETS = st.sampled_from(
    [
        "requirements.txt",
        "other.txt",
        "constraints.txt",
        "sub/more.txt",
        "sub/../other.txt",
        "../other.txt",
        "../../etc/passwd",
        "/etc/hosts",
        "missing.txt",
        "sub",
        ".",
        "",
        "requirements-dev.txt",
        "requirements.in",
        "'unterminated",
        "x y.txt",
    ]
)
OPTION_LINES = st.sampled_from(
    [
        "-e .",
        "-e ./pkg",
        "--editable=.",
        ".",
        "./pkg",
        "/abs/pkg",
        "file:///tmp/x",
        "-i https://example.com/simple",
        "--index-url=https://pypi.org/simple",
        "--extra-index-url https://example.com/extra",
        "--find-links ./wheels",
        "--pre",
        "--no-binary :all:",
        "--only-binary=:all:",
        "--require-hashes",
        "-f",
        "-r",
        "-c",
        "-e",
        "=",
        "==1.0",
        "[extra]",
        ";",
        "#",
        "# comment",
        "",
        "   ",
        "\t",
        "https://example.com/pkg.whl",
        "git+https://github.com/a/b",
        "pkg @ https://example.com/pkg-1.0.tar.gz",
        "'unterminated",
        '"quoted name"',
        "\\",
        "flask \\",
        "--hash=sha256:abcd",
        "# This file is autogenerated by pip-compile with Python 3.11",
    ]
)


REQ_LINE = st.builds(
    lambda name, spec, marker, hashes, sep, comment: sep.join([name + spec + marker, *hashes]) + comment,
    REQ_NAMES,
    REQ_SPECS,
    REQ_MARKERS,
    st.lists(st.sampled_from(HASHES), max_size=2),
    st.sampled_from([" ", " \\\n    "]),
    st.sampled_from(["", "", "  # pinned", " #", "#no-space"]),
)
INCLUDE_LINE = st.builds(
    str.__add__,
    st.sampled_from(["-r ", "-c ", "--requirement=", "--constraint ", "-r", "--requirement "]),
    INCLUDE_TARGETS,
)
TEXT_LINE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
REQ_LINES = st.one_of(REQ_LINE, REQ_LINE, INCLUDE_LINE, OPTION_LINES, TEXT_LINE)


def requirements_text(max_lines: int) -> st.SearchStrategy[bytes]:
    return st.builds(
        lambda lines, newline, tail: (newline.join(lines) + tail).encode(),
        st.lists(REQ_LINES, max_size=max_lines),
        st.sampled_from(["\n", "\r\n"]),
        st.sampled_from(["\n", "", "\\", "\n\\\n"]),
    )


MAIN_REQUIREMENTS = requirements_text(8)
OTHER_REQUIREMENTS = requirements_text(4)
REQ_EXTRA_FILES = (
    "other.txt",
    "constraints.txt",
    "sub/more.txt",
    "requirements.in",
    "requirements-dev.txt",
    "dev-requirements.txt",
    "requirements_test.txt",
)
REQ_CONTEXT = {
    "pyproject.toml": b'[project]\nname = "reqs"\nversion = "1"\n'
    b'[build-system]\nbuild-backend = "setuptools.build_meta"\n',
    "setup.py": b"from setuptools import setup\nsetup(name='reqs', python_requires='>=3.9')\n",
    ".python-version": b"3.12\n",
    "app.py": b"from flask import Flask\napp = Flask(__name__)\n",
    "Procfile": b"web: gunicorn app:app --bind 0.0.0.0:8080\n",
}


EXTRA_CHOICE = st.sets(st.sampled_from(REQ_EXTRA_FILES), max_size=3)
CONTEXT_CHOICE = st.sets(st.sampled_from(sorted(REQ_CONTEXT)), max_size=3)


@st.composite
def requirements_projects(draw: st.DrawFn) -> dict[str, bytes]:
    """requirements.txt with -r/-c includes (present, missing, loops, escapes), hashes, URLs,
    markers, options, comments and continuations; sometimes a requirements.in (pip-tools)."""
    files = {"requirements.txt": draw(MAIN_REQUIREMENTS)}
    for rel in sorted(draw(EXTRA_CHOICE)):
        files[rel] = draw(OTHER_REQUIREMENTS)
    for rel in sorted(draw(CONTEXT_CHOICE)):
        files[rel] = REQ_CONTEXT[rel]
    return files


# --- the properties ---------------------------------------------------------------------------


# Examples per property; together at least 10,000 (issue 5), in the default profile.
EXAMPLES = {"bytes": 3000, "structure": 3000, "requirements": 2500, "mixed": 1200, "cli": 400, "links": 400}


@fuzz(EXAMPLES["bytes"])
@given(files=byte_mutations())
def test_byte_mutations_of_samples(workdir: Workdir, files: dict[str, bytes]) -> None:
    workdir.run(files)


@fuzz(EXAMPLES["structure"])
@given(files=structural_mutations())
def test_structural_mutations_of_samples(workdir: Workdir, files: dict[str, bytes]) -> None:
    workdir.run(files)


@fuzz(EXAMPLES["requirements"])
@given(files=requirements_projects())
def test_random_requirements_files(workdir: Workdir, files: dict[str, bytes]) -> None:
    workdir.run(files)


@fuzz(EXAMPLES["mixed"])
@given(files=mixed_projects())
def test_files_of_different_samples_together(workdir: Workdir, files: dict[str, bytes]) -> None:
    workdir.run(files)


@fuzz(EXAMPLES["cli"])
@given(
    files=byte_mutations() | structural_mutations() | requirements_projects(),
    command=st.sampled_from([["inspect"], ["inspect", "--json"], ["generate", "--stdout"], ["init"]]),
)
def test_cli_exit_code_is_0_or_2_with_one_line(files: dict[str, bytes], command: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="dgfuzz") as tmp:
        root = Path(tmp) / "proj"
        root.mkdir()
        write_files(root, files)
        result = CliRunner().invoke(main, [*command, str(root)])
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr, result.exception)
    if result.exit_code == 2:
        assert result.stderr.startswith("dockergen: error: ")
        assert result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.output


def test_samples_still_generate() -> None:
    """The unmutated samples are the base case: every one plans and renders."""
    for sample in SAMPLE_NAMES:
        assert run_case(SAMPLES[sample]), sample


# --- regressions: the shrunk inputs of the bugs these properties found -----------------------
# Each raised something other than InspectError (exit 3), or an error that was not one line or
# did not name a file of the project. A main.py is added so that every case has an entrypoint.
REGRESSIONS = {
    "python-constraint-error-names-the-file": {
        "pyproject.toml": b'[project]\nname = "x"\nrequires-python = "!>=3.13"\n[build-system]\nbuild-backend = "x"\n',
    },
    "setup-cfg-python-requires-two-lines": {
        "setup.cfg": b"[metadata]\nname = x\n[options]\npython_requires = >=3.11,<3.12\n    packaging>=23\n",
    },
    "pipfile-package-not-string-or-table": {"Pipfile": b"[packages]\nrequests = true\n"},
    "pipfile-section-name-with-cr": {"Pipfile": b'"\\r" = ""\n[packages]\n'},
    "poetry-lock-source-not-table": {
        "pyproject.toml": b'[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\nclick = "*"\n',
        "poetry.lock": b'[[package]]\nname = "click"\nversion = "8"\nsource = [1]\n[metadata]\nlock-version = "2.1"\n',
    },
    "poetry-lock-files-not-list": {
        "pyproject.toml": b'[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\nclick = "*"\n',
        "poetry.lock": b'[[package]]\nname = "click"\nversion = "8"\nfiles = 1\n[metadata]\nlock-version = "2.1"\n',
    },
    "poetry-lock-dependencies-not-table": {
        "pyproject.toml": b'[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\nclick = "*"\n',
        "poetry.lock": b'[[package]]\nname = "click"\ndependencies = [1]\n[metadata]\nlock-version = "2.1"\n',
    },
    "poetry-script-not-string-or-table": {
        "pyproject.toml": b'[tool.poetry]\nname = "x"\n[tool.poetry.scripts]\nx = 1\n'
    },
    "poetry-content-hash-of-a-date": {
        "pyproject.toml": b'[tool.poetry]\nname = "x"\nextras = 1979-05-27\n',
        "poetry.lock": b'[metadata]\nlock-version = "2.1"\ncontent-hash = "x"\n',
    },
    "pdm-lock-files-not-list": {
        "pyproject.toml": b'[project]\nname = "x"\n',
        "pdm.lock": b'[metadata]\nlock_version = "4.5.0"\n[[package]]\nname = "a"\ngroups = ["default"]\nfiles = 1\n',
    },
    "pdm-lock-targets-not-list": {
        "pyproject.toml": b'[project]\nname = "x"\n',
        "pdm.lock": b'[metadata]\nlock_version = "4.5.0"\ntargets = 1\n',
    },
    "pdm-lock-dependency-not-string": {
        "pyproject.toml": b'[project]\nname = "x"\n',
        "pdm.lock": b'[metadata]\nlock_version = "4.5.0"\n[[package]]\nname = "a"\ndependencies = [1]\n',
    },
    "pdm-lock-file-url-not-string": {
        "pyproject.toml": b'[project]\nname = "x"\n',
        "pdm.lock": b'[metadata]\nlock_version = "4.5.0"\n[[package]]\nname = "a"\ngroups = ["default"]\n'
        b"files = [{url = 1}]\n",
    },
    "pdm-content-hash-of-a-date": {
        "pyproject.toml": b'[project]\nname = "x"\n[tool.pdm.resolution]\nx = 1979-05-27\n',
        "pdm.lock": b'[metadata]\nlock_version = "4.5.0"\ncontent_hash = "sha256:x"\n',
    },
    "pipfile-hash-of-a-date": {
        "Pipfile": b"[packages]\n[requires]\nx = 1979-05-27\n",
        "Pipfile.lock": b'{"_meta": {"pipfile-spec": 6, "hash": {"sha256": "x"}}}',
    },
    "pylock-wheels-not-list": {
        "pylock.toml": b'lock-version = "1.0"\n[[packages]]\nname = "a"\nwheels = 1\n',
    },
    "uv-lock-source-not-table": {
        "pyproject.toml": b'[project]\nname = "x"\nversion = "1"\n',
        "uv.lock": b'version = 1\n[[package]]\nname = "x"\ndependencies = [{name = "y"}]\n'
        b'[[package]]\nname = "y"\nsource = 1.5\n',
    },
    "uv-lock-dependencies-not-list": {
        "pyproject.toml": b'[project]\nname = "x"\nversion = "1"\n',
        "uv.lock": b'version = 1\n[[package]]\nname = "x"\ndependencies = 1\n',
    },
    "uv-lock-metadata-not-table": {
        "pyproject.toml": b'[project]\nname = "x"\nversion = "1"\n',
        "uv.lock": b'version = 1\n[[package]]\nname = "x"\nmetadata = 1\n',
    },
    "uv-workspace-member-empty-pattern": {
        "pyproject.toml": b'[project]\nname = "x"\nversion = "1"\n[tool.uv.workspace]\nmembers = [""]\n',
        "uv.lock": b'version = 1\n[[package]]\nname = "x"\nsource = { editable = "." }\n',
    },
    "uv-workspace-member-outside-the-project": {
        "pyproject.toml": b'[project]\nname = "x"\nversion = "1"\n[tool.uv.workspace]\nmembers = ["../*"]\n',
        "uv.lock": b'version = 1\n[[package]]\nname = "x"\nsource = { editable = "." }\n',
    },
    "invalid-requirement-message-one-line": {
        "pyproject.toml": b'[project]\nname = "x"\ndependencies = [""]\n[build-system]\nbuild-backend = "x"\n',
    },
    "procfile-command-with-control-character": {
        "requirements.txt": b"flask\n",
        "Procfile": b"worker: python a\x10p.py\n",
    },
    "console-script-name-with-control-character": {
        "pyproject.toml": b'[project]\nname = "x"\n[project.scripts]\n"a\\u0000" = "x:y"\n'
        b'[build-system]\nbuild-backend = "x"\n',
    },
}


@pytest.mark.parametrize("files", list(REGRESSIONS.values()), ids=list(REGRESSIONS))
def test_regression(workdir: Workdir, files: dict[str, bytes]) -> None:
    workdir.run({"main.py": b"", **files})


def test_unknown_cuda_setting_names_pyproject(workdir: Workdir) -> None:
    files = dict(SAMPLES["pdm-flask"])
    files["pyproject.toml"] += b'\n[tool.dockergen]\ncuda = "12.0"\n'
    workdir.run(files)


# --- symlinks and huge files ------------------------------------------------------------------

# The sample in which each file name is read, for the cases that need a real project around it.
HOST = {
    "pyproject.toml": "uv-fastapi",
    "uv.lock": "uv-fastapi",
    "poetry.lock": "poetry-django",
    "pdm.lock": "pdm-flask",
    "Pipfile": "pipenv-app",
    "Pipfile.lock": "pipenv-app",
    "pylock.toml": "pylock-app",
    "pylock.dev.toml": "pylock-app",
    "requirements.txt": "requirements-plain",
    "requirements.in": "piptools-psycopg",
    "requirements-dev.txt": "requirements-plain",
    "setup.py": "setuppy-pkg",
    "setup.cfg": "setuppy-pkg",
    "hatch.toml": "hatch-cli",
    ".python-version": "requirements-plain",
    "runtime.txt": "requirements-plain",
    "Procfile": "requirements-plain",
    "manage.py": "poetry-django",
    "main.py": "pipenv-app",
    "app.py": "pdm-flask",
}
needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")


@needs_symlinks
@pytest.mark.parametrize("kind", ["loop", "loop2", "dangling"])
@pytest.mark.parametrize("alone", [True, False], ids=["alone", "in-sample"])
@pytest.mark.parametrize("name", KNOWN_NAMES)
def test_symlink_loops_and_dangling_links(tmp_path: Path, name: str, kind: str, alone: bool) -> None:
    root = tmp_path / "proj"
    root.mkdir()
    if not alone:
        write_files(root, {rel: data for rel, data in SAMPLES[HOST[name]].items() if rel != name})
    link = root / name
    if kind == "loop":
        link.symlink_to(name)
    elif kind == "loop2":
        link.symlink_to(name + ".other")
        (root / (name + ".other")).symlink_to(name)
    else:
        link.symlink_to("does-not-exist")
    result = outcome(root)
    if alone and name not in ("manage.py", "main.py", "app.py", "Procfile", ".python-version", "runtime.txt"):
        assert result is None  # an error, which outcome() checked names a file of the project


# --- links that lead out of the project -------------------------------------------------------
# A file of a sample (or a file dockergen writes) is replaced by a symbolic link to a copy of it
# outside the project: the file itself, a link to a link, the directory it is in, or a link to a
# path outside that does not exist yet (where a write through it would create a file). Whatever the
# command, nothing outside the project may be opened (an audit hook sees every open()), nothing
# there may change, and an error is one line naming a file of the project.

_OPENED: list[str] | None = None  # every path opened while a links case runs


def _record_opens(event: str, args: tuple[Any, ...]) -> None:
    """Where an open() lands: its path with links followed, unless the open follows none at the
    end (O_NOFOLLOW, or O_CREAT|O_EXCL, which fails on any existing name, a link included)."""
    if event != "open" or _OPENED is None or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path, flags = os.path.abspath(os.fsdecode(args[0])), args[2] if isinstance(args[2], int) else 0
    exclusive = os.O_CREAT | os.O_EXCL
    if flags & getattr(os, "O_NOFOLLOW", 0) or flags & exclusive == exclusive:
        _OPENED.append(os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path)))
    else:
        _OPENED.append(os.path.realpath(path))


sys.addaudithook(_record_opens)  # cannot be removed: it does nothing unless a links case records

WRITTEN = ("Dockerfile", ".dockerignore", "Dockerfile.dockerignore", "Dockerfile.bak")
LINKABLE = {name: st.sampled_from(sorted(files) + list(WRITTEN)) for name, files in SAMPLES.items()}
LINK_KINDS = st.sampled_from(["file", "chain", "directory", "dangling"])
COMMANDS: dict[str, Callable[[Path], Any]] = {
    "generate": api.generate,
    "check": api.status,
    "init --force": lambda root: api.write(root, force=True),
    "cli check": lambda root: CliRunner().invoke(main, ["check", str(root)]),
    "cli init --force": lambda root: CliRunner().invoke(main, ["init", "--force", str(root)]),
}
OUTSIDE_TEXT = b"ARG PYTHON_IMAGE=python:3.13-slim-trixie\n# not the project's\n"
PERSONS_DOCKERFILE = b'FROM python:3.13-slim\nCOPY . .\nCMD ["python", "app.py"]\n'  # init --force backs it up


@st.composite
def linked_out(draw: st.DrawFn) -> tuple[dict[str, bytes], str, str, str]:
    sample = draw(SAMPLE_CHOICE)
    return dict(SAMPLES[sample]), draw(LINKABLE[sample]), draw(LINK_KINDS), draw(st.sampled_from(sorted(COMMANDS)))


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def run_linked_out(files: dict[str, bytes], rel: str, kind: str, command: str) -> None:
    global _OPENED
    with tempfile.TemporaryDirectory(prefix="dgfuzz") as tmp:
        root, outside = Path(tmp) / "proj", Path(tmp) / "outside"
        root.mkdir()
        outside.mkdir()
        if rel == "Dockerfile.bak":
            files = {**files, "Dockerfile": PERSONS_DOCKERFILE}
        write_files(root, files)
        if kind == "directory" and "/" in rel:  # the top directory it is in leads out
            top = rel.split("/", 1)[0]
            shutil.move(str(root / top), str(outside / top))
            (root / top).symlink_to(outside / top)
        else:
            (outside / "target").write_bytes(files.get(rel, OUTSIDE_TEXT))  # what a read would find fine
            (root / rel).unlink(missing_ok=True)
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            if kind == "dangling":
                (root / rel).symlink_to(outside / "absent")
            elif kind == "chain":  # a link to a link inside the project, which leads out
                (root / ".hop").symlink_to(outside / "target")
                (root / rel).symlink_to(os.path.relpath(root / ".hop", (root / rel).parent))
            else:
                (root / rel).symlink_to(outside / "target")
        before, _OPENED = _snapshot(outside), []
        try:
            result = outcome(root, COMMANDS[command])
        finally:
            opened, _OPENED = _OPENED, None
        real = os.path.realpath(outside) + os.sep
        assert not [path for path in opened if path.startswith(real)], f"read outside the project: {opened}"
        assert _snapshot(outside) == before, "wrote outside the project"
        if command.startswith("cli"):
            assert result.exit_code in (0, 1, 2), (result.exit_code, result.output, result.exception)
            if result.exit_code == 2:
                assert result.output.splitlines()[-1].startswith("dockergen: error: "), result.output


@needs_symlinks
@fuzz(EXAMPLES["links"])
@given(case=linked_out())
def test_a_file_linked_out_of_the_project_is_never_read_or_written(
    case: tuple[dict[str, bytes], str, str, str],
) -> None:
    run_linked_out(*case)


@pytest.mark.parametrize("name", [*(n for n in HOST if n != "hatch.toml"), "other.txt"])  # hatch.toml: never read
def test_huge_file_is_refused(tmp_path: Path, name: str) -> None:
    root = tmp_path / "proj"
    root.mkdir()
    files = dict(SAMPLES[HOST.get(name, "requirements-plain")])
    if name == "other.txt":
        files["requirements.txt"] = b"-r other.txt\n"
    if name == "pylock.dev.toml":
        files.pop("pylock.toml")
    if name == "requirements-dev.txt":
        files.pop("requirements.txt", None)
        files["requirements.txt"] = b"flask==3.1.0\n"
    write_files(root, files)
    with open(root / name, "wb") as handle:  # sparse: no 50 MiB written
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(InspectError) as info:
        api.generate(root)
    assert str(info.value) == f"{name}: file is larger than 50 MiB"


def test_toml_writer_round_trips() -> None:
    for kind, doc, _ in PARSED.values():
        if kind == "toml":
            assert tomllib.loads(toml_dumps(doc)) == doc


def test_fuzz_case_count() -> None:
    assert sum(EXAMPLES.values()) >= 10_000
