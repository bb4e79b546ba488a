"""A person's .dockerignore, read as Docker reads it, so `init` can keep it and say in one line
each what it would break (a file the Dockerfile reads is left out of the context) or leak (the
repository's history, a virtualenv or local secrets are sent to the builder), and write the
Dockerfile.dockerignore that fixes both without touching it.

Docker's rules: one pattern a line, `#` comments, a leading `!` re-includes, the last matching
pattern wins, `*` and `?` stay within one path segment, `**` spans any number of them, and a
pattern that matches a directory matches everything below it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

# What must never reach a build context, with what it is; each is checked by a file inside it,
# so a pattern that excludes the directory (or everything) counts.
MUST_EXCLUDE = {
    ".git/HEAD": "the repository's history (.git)",
    ".venv/pyvenv.cfg": "a local virtualenv (.venv)",
    ".env": "local secrets (.env)",
}


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    include: bool  # a `!` line: re-include what matches


def _segment(text: str) -> str:
    """One pattern segment as a regex: * and ? stay within the segment, [..] is a class."""
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and (end := text.find("]", i + 1)) > i:
            body = text[i + 1 : end]
            out.append("[" + ("^" + re.escape(body[1:]) if body.startswith(("!", "^")) else re.escape(body)) + "]")
            i = end
        elif char == "\\" and i + 1 < len(text):
            i += 1
            out.append(re.escape(text[i]))
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _compile(pattern: str) -> re.Pattern[str]:
    parts = []
    for segment in pattern.split("/"):
        parts.append("(?:.*/)?" if segment == "**" else _segment(segment) + "/")
    body = "".join(parts)
    body = body[:-1] if body.endswith("/") else body.removesuffix("/")
    if body.endswith("(?:.*/)?"):
        body = body[: -len("(?:.*/)?")] + ".*"
    return re.compile(body + "(?:/.*)?")  # a directory's match covers what is below it


def parse(text: str) -> list[Rule]:
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        include = line.startswith("!")
        pattern = posixpath.normpath(line[1:].strip() if include else line).lstrip("/")
        if pattern in ("", "."):
            continue
        rules.append(Rule(_compile(pattern), include))
    return rules


def excluded(rules: list[Rule], path: str) -> bool:
    """Whether Docker leaves path (relative, with /) out of the build context."""
    state = False
    for rule in rules:
        if rule.pattern.fullmatch(path):
            state = not rule.include
    return state


# A path that may be named in a warning or written into Dockerfile.dockerignore: one line, no
# pattern characters, nothing a hostile file name could turn into a rule of its own.
SAFE_PATH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*(/[A-Za-z0-9_][A-Za-z0-9_.+-]*)*")


def problems(text: str, needed: Iterable[str]) -> list[str]:
    """One line for each needed file the .dockerignore leaves out, and for each thing it lets in
    that must not reach the builder."""
    needed = [path for path in needed if SAFE_PATH.fullmatch(path)]
    rules = parse(text)
    lines = [
        f".dockerignore excludes {path}, which the Dockerfile reads (add `!{path}`)"
        for path in dict.fromkeys(needed)
        if excluded(rules, path)
    ]
    lines += [
        f".dockerignore does not exclude {what}, which must not reach the builder (add `{path.split('/')[0]}`)"
        for path, what in MUST_EXCLUDE.items()
        if not excluded(rules, path)
    ]
    return lines


def amended(text: str, needed: Iterable[str]) -> str:
    """The person's .dockerignore, verbatim, then what the Dockerfile needs of it: each needed file
    it leaves out re-included, and each of .git, .venv and .env it lets in left out. BuildKit reads
    it as Dockerfile.dockerignore, in place of .dockerignore, for the Dockerfile beside it."""
    rules = parse(text)
    include = [f"!{path}" for path in dict.fromkeys(needed) if SAFE_PATH.fullmatch(path) and excluded(rules, path)]
    exclude = [path.split("/")[0] for path in MUST_EXCLUDE if not excluded(rules, path)]
    return (
        text.rstrip("\n")
        + "\n\n# dockergen: your .dockerignore above, with what the Dockerfile needs of it.\n"
        + "".join(f"{line}\n" for line in include + exclude)
    )
