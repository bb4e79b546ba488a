"""Greetings, with six as the library's own dependency."""

import six


def hello(name: str) -> str:
    return f"Hello, {name}! (greeting, six {six.__version__})"
