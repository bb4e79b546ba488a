"""A parser for pip requirements files, shared by the pip-tools and plain-requirements inspectors."""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field

from .. import shell_words
from ..facts import Index, InspectError, LockedPackage, Source
from ..project import Project, normalize, parse_requirement

COMMENT = re.compile(r"(^|\s)#.*$")
# The project's own root, as a requirement line may name it: the generated Dockerfile's sed drops
# exactly these forms (templates/managers/_common.j2, drop_project_line), so keep the two in step.
PROJECT_ITSELF = re.compile(r"(file:)?\./?(\[[^\]]*\])?")
MAX_INCLUDE_DEPTH = 20
VCS = ("git+", "hg+", "svn+", "bzr+")  # pip's version-control URL schemes
# Words in an included file's name that mark it as a development set (requirements/tests.txt,
# requirements/dev-tools.txt, requirements-lint.txt): the runner needs none of them.
DEVELOPMENT_WORDS = frozenset(
    {"dev", "develop", "development", "devel", "test", "tests", "testing", "lint", "linting", "linters", "docs"}
    | {"doc", "ci", "local", "typing", "mypy", "qa", "style", "check", "checks", "coverage", "debug", "tox"}
    | {"benchmark", "benchmarks", "profiling"}
)


@dataclass
class RequirementsFile:
    packages: list[LockedPackage] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # this file and every -r/-c include, in order
    local: list[tuple[str, str]] = field(default_factory=list)  # (file, path): installs from the project tree
    specifiers: dict[str, str] = field(default_factory=dict)  # name -> the line's version specifier
    read: set[str] = field(default_factory=set)  # the real paths parsed: a link to a file read once


def logical_lines(text: str) -> list[str]:
    """Join backslash continuations and drop comments, as pip does."""
    lines, current = [], ""
    for raw in text.splitlines():
        line = COMMENT.sub("", raw) if not raw.lstrip().startswith("--hash") else raw
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        if current.strip():
            lines.append(current.strip())
        current = ""
    if current.strip():
        lines.append(current.strip())
    return lines


def parse(project: Project, rel: str, group: str = "main", *more: str) -> RequirementsFile:
    """A requirements file, or several read as pip reads `-r a -r b`, with every file they include."""
    result = RequirementsFile()
    for name in (rel, *more):
        _parse_into(project, name, group, result, depth=0, constraint=False)
    return result


def split_includes(project: Project, rel: str) -> tuple[list[str], list[str]] | None:
    """The runtime and the development files a requirements file includes, when including others
    (`-r requirements/main.txt -r requirements/tests.txt`) is all it does and one of them is a
    development set by its name; otherwise None, and the file installs whole."""
    includes = []
    for line in logical_lines(project.text(rel)):
        requirement, options = split_options(line)
        try:
            words = shell_words.split(options)
        except ValueError:
            return None
        option, _, value = words[0].partition("=") if words else ("", "", "")
        if requirement or option not in ("-r", "--requirement"):
            return None
        includes.append(_include(project, rel, value or (words[1] if len(words) > 1 else "")))
    development = [name for name in includes if development_set(name)]
    if not development:
        return None
    return [name for name in includes if name not in development], development


def group_name(rel: str) -> str:
    """The group a requirements file's packages are listed under: 'requirements-dev.txt' -> 'dev',
    'requirements/tests.txt' -> 'tests'."""
    stem = posixpath.basename(rel).rsplit(".", 1)[0]
    for affix in ("requirements-", "requirements_", "-requirements", "_requirements"):
        stem = stem.replace(affix, "")
    return stem or "dev"


def development_set(rel: str) -> bool:
    """Whether a requirements file's name says it is for development ('requirements/tests.txt')."""
    stem = posixpath.basename(rel).rsplit(".", 1)[0]
    return bool(DEVELOPMENT_WORDS & set(re.split(r"[-_.]+", stem.lower())))


def _include(project: Project, parent: str, target: str) -> str:
    rel = posixpath.normpath(posixpath.join(posixpath.dirname(parent), target))
    if rel.startswith("../") or rel.startswith("/"):
        raise InspectError(parent, f"includes {target!r}, which is outside the project")
    if not project.exists(rel):
        raise InspectError(parent, f"includes {target!r}, which does not exist")
    return rel


def _parse_into(project: Project, rel: str, group: str, out: RequirementsFile, depth: int, constraint: bool) -> None:
    if rel in out.files:
        return  # an include loop, or the same file twice: pip reads it once in effect
    if depth > MAX_INCLUDE_DEPTH:
        raise InspectError(rel, f"includes nest deeper than {MAX_INCLUDE_DEPTH} levels")
    out.files.append(rel)  # mounted as named: pip follows the same path
    real = os.path.realpath(project.root / rel)
    if real in out.read:
        return  # the same file through a link (a/ -> .): its lines are read once, however many paths lead to it
    out.read.add(real)
    for line in logical_lines(project.text(rel)):
        requirement, options = split_options(line)
        try:
            words = ([requirement] if requirement else []) + shell_words.split(options)
        except ValueError as exc:
            raise InspectError(rel, f"cannot read line {line[:60]!r}: {exc}") from None
        if not words:
            continue
        option, _, value = words[0].partition("=")
        value = value or (words[1] if len(words) > 1 else "")
        if option in ("-r", "--requirement", "-c", "--constraint"):
            is_constraint = constraint or option in ("-c", "--constraint")
            _parse_into(project, _include(project, rel, value), group, out, depth + 1, is_constraint)
        elif option in ("-i", "--index-url", "--extra-index-url"):
            if "pypi.org/simple" not in value:
                out.indexes.append(Index(option.lstrip("-"), value))
        elif option in ("-e", "--editable") and value.startswith(VCS):  # -e git+https://...#egg=name
            name = value.split("#egg=", 1)[1].split("&")[0] if "#egg=" in value else value.rsplit("/", 1)[-1]
            out.packages.append(LockedPackage(normalize(name.removesuffix(".git")), None, (group,), source=_vcs(value)))
        elif option in ("-e", "--editable") or words[0].startswith((".", "/", "file:")):
            path = value if option in ("-e", "--editable") else words[0]
            out.local.append((rel, path))
        elif option.startswith("-"):
            continue  # --find-links, --no-binary, --pre and friends do not change what is pinned
        elif not constraint:
            package, specifier = _package(rel, words, group)
            out.packages.append(package)
            out.specifiers[package.name] = specifier


def split_options(line: str) -> tuple[str, str]:
    """The requirement and the options of a line, split as pip splits them: the requirement is
    every word before the first that starts with '-', kept whole, so quoted markers
    (`flask==3.0 ; python_version >= "3.9"`) keep their quotes; only the options are shell words."""
    words = line.split()
    for index, word in enumerate(words):
        if word.startswith("-"):
            return " ".join(words[:index]), " ".join(words[index:])
    return " ".join(words), ""


def _vcs(url: str) -> Source:
    """git+ URLs need the git command in the builder; other version-control schemes are rare."""
    return Source("git" if url.startswith("git+") else "url", url)


def is_project_itself(path: str) -> bool:
    """Whether a requirement's path ('.', './', 'file:.', '.[extra]') names the project's own root."""
    return PROJECT_ITSELF.fullmatch(path) is not None


def split_local(main: RequirementsFile, rel: str) -> tuple[str | None, list[tuple[str, str]]]:
    """rel's path for the project itself ('.' for '-e .'), and every other path from the tree."""
    itself = [path for file, path in main.local if file == rel and is_project_itself(path)]
    others = [(file, path) for file, path in main.local if not (file == rel and is_project_itself(path))]
    return (itself[0] if itself else None), others


def bare_url_requirement(text: str) -> str:
    """A bare URL line (`https://host/pkg-1.0-py3-none-any.whl`, `git+https://host/x#egg=x`), which
    pip accepts, as the `name @ url` requirement it stands for; the name comes from `#egg=` or from
    the archive's file name. Any other line is returned as it is."""
    url, _, marker = text.partition(";")
    url = url.strip()
    if not re.match(r"[a-z][a-z0-9+.-]*://", url):
        return text
    if "#egg=" in url:
        name = url.split("#egg=", 1)[1].split("&")[0]
    else:
        file = url.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        name = re.split(r"-\d", file.removesuffix(".git"), maxsplit=1)[0]
    return f"{name} @ {url}" + (f" ;{marker}" if marker else "")


def _package(rel: str, words: list[str], group: str) -> tuple[LockedPackage, str]:
    spec_words = [w for w in words if not w.startswith("--")]
    hashes = [w for w in words if w.startswith("--hash")]
    req_text = bare_url_requirement(" ".join(spec_words))
    try:
        req = parse_requirement(req_text, rel, group)
    except InspectError:
        raise InspectError(rel, f"cannot read requirement {req_text[:80]!r}") from None
    pinned = re.fullmatch(r"===?([^,*]+)", req.specifier)
    url = req_text.split("@", 1)[1].split(";", 1)[0].strip() if "@" in req_text and "://" in req_text else None
    source = (_vcs(url) if url.startswith(VCS) else Source("url", url)) if url else Source("registry")
    package = LockedPackage(
        name=req.name,
        version=pinned.group(1) if pinned else None,
        groups=(group,),
        marker=req.marker,
        source=source,
        hashed=bool(hashes),
    )
    return package, req.specifier
