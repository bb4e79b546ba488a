"""dockergen.shell_words splits as shlex.split does, in linear time (shlex is quadratic in a word)."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockergen import shell_words

ALPHABET = st.sampled_from(list("ab =-:'\"\\\t\n\r\f$#*"))


@settings(max_examples=3000, deadline=None)
@given(st.text(ALPHABET, max_size=40))
def test_the_words_are_shlex_s(text):
    try:
        expected: list[str] | str = shlex.split(text)
    except ValueError as error:
        expected = str(error)
    try:
        got: list[str] | str = shell_words.split(text)
    except ValueError as error:
        got = str(error)
    assert got == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("gunicorn --bind 0.0.0.0:$PORT app:app", ["gunicorn", "--bind", "0.0.0.0:$PORT", "app:app"]),
        ("""a 'b c' "d \\" e" f\\ g""", ["a", "b c", 'd " e', "f g"]),
        ("--hash=sha256:00 --hash sha256:11", ["--hash=sha256:00", "--hash", "sha256:11"]),
    ],
)
def test_examples(text, words):
    assert shell_words.split(text) == words


def test_a_2_mb_word_is_one_word():
    """How long it takes is measured by benchmarks/hostile_inputs.py (shlex took a minute)."""
    word = "a" * 2_000_000
    assert shell_words.split(f'x --hash={word} "{word}"') == ["x", f"--hash={word}", word]
