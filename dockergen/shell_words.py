"""Split a line into words as a POSIX shell does, in time linear in its length.

shlex.split builds each word one character at a time, which is quadratic in a word's length: a
2 MB word in a Procfile or a requirements line took a minute. This splitter gives the same words
as shlex.split(text) (quotes, backslashes, no comments) by slicing runs of plain characters.
"""

from __future__ import annotations

import re

# A run of characters with no meaning to the shell outside quotes, and runs inside double quotes.
WHITESPACE = " \t\r\n"  # shlex's
PLAIN = re.compile(r"[^ \t\r\n'\"\\]+")
IN_DOUBLE = re.compile(r'[^"\\]+')


def split(text: str) -> list[str]:
    """The words of text; raises ValueError on an unclosed quote or a trailing backslash."""
    words: list[str] = []
    parts: list[str] | None = None  # the word being built, None between words
    i, end = 0, len(text)
    while i < end:
        char = text[i]
        if char in WHITESPACE:
            if parts is not None:
                words.append("".join(parts))
                parts = None
            i += 1
            continue
        if parts is None:
            parts = []
        if char == "'":
            close = text.find("'", i + 1)
            if close < 0:
                raise ValueError("No closing quotation")
            parts.append(text[i + 1 : close])
            i = close + 1
        elif char == '"':
            i = _double_quoted(text, i + 1, parts)
        elif char == "\\":
            if i + 1 >= end:
                raise ValueError("No escaped character")
            parts.append(text[i + 1])
            i += 2
        else:
            match = PLAIN.match(text, i)
            assert match is not None  # char is none of the characters PLAIN excludes
            parts.append(match.group())
            i = match.end()
    if parts is not None:
        words.append("".join(parts))
    return words


def _double_quoted(text: str, i: int, parts: list[str]) -> int:
    """Append what is between double quotes from text[i:]; return the index after the closing one."""
    while i < len(text):
        match = IN_DOUBLE.match(text, i)
        if match:
            parts.append(match.group())
            i = match.end()
            continue
        if text[i] == '"':
            return i + 1
        # a backslash: shlex (posix) drops it only before a backslash or a double quote
        if i + 1 >= len(text):
            raise ValueError("No escaped character")
        following = text[i + 1]
        parts.append(following if following in '\\"' else "\\" + following)
        i += 2
    raise ValueError("No closing quotation")
