"""What the tests expect of each sample, read from samples/<name>/dockergen-test.toml.

Every sample directory has that file, so adding a sample is adding one directory. A key the
loader does not know, a value of the wrong type or a partial group of keys is an error at
collection, not a check silently skipped. The format is described in samples/README.md.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
EXPECTATIONS_FILE = "dockergen-test.toml"

# What `dockergen inspect` must find: all of these keys, or none of them.
INSPECT_KEYS = ("manager", "python", "installable", "entrypoint", "pins")
TOP_KEYS = (*INSPECT_KEYS, "dev_only", "web_path", "smoke", "stale", "variants")


class SampleFileError(ValueError):
    """A dockergen-test.toml that is missing, unreadable or not in the format."""


@dataclass(frozen=True)
class Smoke:
    command: tuple[str, ...]  # given to `docker run`; empty for the image's own CMD
    output: str  # text the run's output must contain


@dataclass(frozen=True)
class StaleEdit:
    file: str  # the manifest to edit
    old: str  # text it must contain, replaced once by new: the lock no longer matches
    new: str


@dataclass(frozen=True)
class Variant:
    file: str  # the golden file's name, beside the sample's Dockerfile under tests/golden
    options: Mapping[str, Any]  # given to generate()


@dataclass(frozen=True)
class SampleExpectations:
    name: str
    manager: str | None = None
    python: str | None = None
    installable: bool | None = None
    entrypoint: tuple[str, ...] | None = None
    pins: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    dev_only: str | None = None
    web_path: str | None = None
    smoke: Smoke | None = None
    stale: StaleEdit | None = None
    variants: tuple[Variant, ...] = ()


def _check_keys(where: str, table: dict[str, Any], known: tuple[str, ...], required: tuple[str, ...] = ()) -> None:
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise SampleFileError(f"{where}: unknown key {', '.join(unknown)} (known: {', '.join(known)})")
    missing = [key for key in required if key not in table]
    if missing:
        raise SampleFileError(f"{where}: missing key {', '.join(missing)}")


def _typed(where: str, key: str, value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(value, kind):
        raise SampleFileError(f"{where}: {key} must be {what}, not {value!r}")
    return value


def _table(where: str, key: str, value: Any) -> dict[str, Any]:
    return _typed(where, key, value, dict, "a table")


def _strings(where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SampleFileError(f"{where}: {key} must be a list of strings, not {value!r}")
    return tuple(value)


def _text(where: str, key: str, value: Any) -> str:
    return _typed(where, key, value, str, "a string")


def parse(name: str, data: dict[str, Any], where: str) -> SampleExpectations:
    """One sample's expectations from its parsed file; where names the file in errors."""
    _check_keys(where, data, TOP_KEYS)
    given = [key for key in INSPECT_KEYS if key in data]
    if given and len(given) != len(INSPECT_KEYS):
        missing = ", ".join(key for key in INSPECT_KEYS if key not in data)
        raise SampleFileError(f"{where}: {', '.join(given)} given without {missing}: inspect keys come together")
    if "dev_only" in data and not given:
        raise SampleFileError(f"{where}: dev_only is checked with the inspect keys ({', '.join(INSPECT_KEYS)})")
    values: dict[str, Any] = {}
    for key in ("manager", "python", "dev_only"):
        if key in data:
            values[key] = _text(where, key, data[key])
    if "installable" in data:
        values["installable"] = _typed(where, "installable", data["installable"], bool, "true or false")
    if "entrypoint" in data:
        values["entrypoint"] = _strings(where, "entrypoint", data["entrypoint"])
    if "pins" in data:
        pins = _table(where, "pins", data["pins"])
        values["pins"] = MappingProxyType({pkg: _text(where, f"pins.{pkg}", pin) for pkg, pin in pins.items()})
    if "web_path" in data:
        values["web_path"] = _text(where, "web_path", data["web_path"])
        if not values["web_path"].startswith("/"):
            raise SampleFileError(f"{where}: web_path must start with '/', not {values['web_path']!r}")
    if "smoke" in data:
        smoke = _table(where, "smoke", data["smoke"])
        _check_keys(f"{where} [smoke]", smoke, ("command", "output"), required=("command", "output"))
        values["smoke"] = Smoke(
            _strings(where, "smoke.command", smoke["command"]), _text(where, "smoke.output", smoke["output"])
        )
    if "stale" in data:
        stale = _table(where, "stale", data["stale"])
        _check_keys(f"{where} [stale]", stale, ("file", "old", "new"), required=("file", "old", "new"))
        values["stale"] = StaleEdit(*(_text(where, f"stale.{key}", stale[key]) for key in ("file", "old", "new")))
    if "variants" in data:
        variants = []
        for i, variant in enumerate(_typed(where, "variants", data["variants"], list, "an array of tables")):
            here = f"{where} [[variants]] #{i + 1}"
            _check_keys(here, _table(where, "variants", variant), ("file", "options"), required=("file", "options"))
            options = _table(here, "options", variant["options"])
            variants.append(Variant(_text(here, "file", variant["file"]), MappingProxyType(options)))
        files = [variant.file for variant in variants]
        if len(set(files)) != len(files):
            raise SampleFileError(f"{where}: two [[variants]] write the same file")
        values["variants"] = tuple(variants)
    return SampleExpectations(name=name, **values)


def read(sample: Path) -> SampleExpectations:
    """The expectations of the sample in directory sample."""
    path = sample / EXPECTATIONS_FILE
    where = f"samples/{sample.name}/{EXPECTATIONS_FILE}"
    if not path.is_file():
        raise SampleFileError(f"{where}: missing; every sample has one (see samples/README.md)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise SampleFileError(f"{where}: {error}") from error
    return parse(sample.name, data, where)


def load(samples_dir: Path = SAMPLES_DIR) -> dict[str, SampleExpectations]:
    """Every sample's expectations, by sample name, in name order."""
    return {path.name: read(path) for path in sorted(p for p in samples_dir.iterdir() if p.is_dir())}


@functools.cache
def expectations() -> Mapping[str, SampleExpectations]:
    """load(), read once for the session: the test modules call it at import, so a bad file fails collection."""
    return MappingProxyType(load())
