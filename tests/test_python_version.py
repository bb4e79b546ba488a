import datetime

import pytest

from dockergen.facts import InspectError
from dockergen.python_version import choose_python, parse_pin, released_minors


def test_released_minors_ignore_future_releases():
    assert released_minors(datetime.date(2025, 1, 1))[-1] == "3.13"
    assert released_minors(datetime.date(2025, 10, 7))[-1] == "3.14"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3.13", "3.13"), ("3.11.7\n", "3.11"), ("cpython-3.12.1", "3.12"), ("python-3.10.4", "3.10")],
)
def test_parse_pin(text, expected):
    assert parse_pin(text, ".python-version") == expected


def test_parse_pin_rejects_other_interpreters():
    with pytest.raises(InspectError, match=r"\.python-version: cannot read a CPython version"):
        parse_pin("pypy3.10", ".python-version")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (">=3.11,<3.12", "3.11"),
        (">=3.9,<3.14", "3.13"),
        ("~=3.10.0", "3.10"),
        (">=3.11.4,<3.12", "3.11"),  # a minor counts when any of its patches is allowed
        ("^3.10", released_minors()[-1]),  # Poetry caret: >=3.10,<4
        ("~3.11", "3.11"),  # Poetry tilde: >=3.11,<3.12
        (">=3.9,<4.0", released_minors()[-1]),
    ],
)
def test_newest_minor_allowed_by_the_constraint(spec, expected):
    choice = choose_python([("pyproject.toml requires-python", spec)], [])
    assert choice.version == expected
    assert spec in choice.reasons[0]


def test_every_constraint_must_allow_the_choice():
    choice = choose_python([("a", ">=3.9"), ("b", "<3.12")], [])
    assert choice.version == "3.11"


def test_first_pin_wins_and_the_others_are_reported():
    choice = choose_python([("requires-python", ">=3.10")], [(".python-version", "3.11"), ("Pipfile", "3.13")])
    assert choice.version == "3.11"
    assert any("Pipfile (3.13) ignored" in r for r in choice.reasons)


def test_pin_outside_the_constraint_is_an_error_naming_the_pin():
    with pytest.raises(
        InspectError, match=r"^\.python-version: asks for Python 3\.10, but requires-python is '>=3\.11'"
    ):
        choose_python([("requires-python", ">=3.11")], [(".python-version", "3.10")])


def test_no_release_satisfies():
    with pytest.raises(InspectError, match="no released CPython satisfies"):
        choose_python([("pyproject.toml requires-python", ">=3.11,<3.11")], [])


def test_invalid_constraint():
    with pytest.raises(InspectError, match="invalid Python constraint"):
        choose_python([("pyproject.toml requires-python", ">=three")], [])


def test_no_constraint_means_newest_release():
    choice = choose_python([], [])
    assert choice.version == released_minors()[-1]
    assert "no Python constraint" in choice.reasons[0]
