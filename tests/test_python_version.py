import datetime

import pytest

from dockergen.facts import InspectError, LockedPackage, Origin
from dockergen.python_version import SETTING, Hint, choose_python, parse_pin, released_minors

TODAY = datetime.date(2026, 11, 29)  # 3.15.0 came out on 2026-10-01


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
        ("^3.10", "3.14"),  # Poetry caret: >=3.10,<4; 3.15 is out, but for less than MATURE
        ("~3.11", "3.11"),  # Poetry tilde: >=3.11,<3.12
        (">=3.9,<4.0", "3.14"),
        (">=3.15", "3.15"),  # the only one allowed, mature or not
    ],
)
def test_newest_minor_allowed_by_the_constraint(spec, expected):
    choice = choose_python([(Origin("pyproject.toml", "requires-python"), spec)], [], today=TODAY)
    assert choice.version == expected
    assert spec in choice.reasons[0]


def test_every_constraint_must_allow_the_choice():
    choice = choose_python([(Origin("a"), ">=3.9"), (Origin("b"), "<3.12")], [])
    assert choice.version == "3.11"


def test_first_pin_wins_and_the_others_are_reported():
    choice = choose_python(
        [(Origin("pyproject.toml", "requires-python"), ">=3.10")],
        [(Origin(".python-version"), "3.11"), (Origin("Pipfile"), "3.13")],
    )
    assert choice.version == "3.11"
    assert any("Pipfile (3.13) ignored" in r for r in choice.reasons)


def test_a_dockergen_pin_outside_the_constraint_is_an_error_naming_it():
    with pytest.raises(
        InspectError,
        match=r"^pyproject\.toml: .*asks for Python 3\.10, but pyproject\.toml requires-python is '>=3\.11'",
    ):
        choose_python([(Origin("pyproject.toml", "requires-python"), ">=3.11")], [(SETTING, "3.10")])


def test_a_stale_python_version_file_is_ignored_with_a_warning():
    choice = choose_python(
        [(Origin("pyproject.toml", "requires-python"), ">=3.9,<3.14")],
        [(Origin(".python-version"), "3.8")],
        today=TODAY,
    )
    assert choice.version == "3.13"
    assert (
        "WARNING .python-version pins 3.8, ignored: pyproject.toml requires-python is '>=3.9,<3.14'" in choice.reasons
    )


def test_no_release_satisfies():
    with pytest.raises(InspectError, match="no released CPython satisfies"):
        choose_python([(Origin("pyproject.toml", "requires-python"), ">=3.11,<3.11")], [])


def test_invalid_constraint():
    with pytest.raises(InspectError, match="invalid Python constraint"):
        choose_python([(Origin("pyproject.toml", "requires-python"), ">=three")], [])


def test_no_constraint_means_the_newest_mature_release():
    choice = choose_python([], [], today=TODAY)
    assert choice.version == "3.14"
    assert "no Python constraint" in choice.reasons[0] and "3.15 is newer" in choice.reasons[0]
    assert choose_python([], [], today=datetime.date(2027, 6, 1)).version == "3.15"


def package(name: str, *wheels: str) -> LockedPackage:
    return LockedPackage(name, "1.0", files=(*wheels, f"{name}-1.0.tar.gz"))


def test_the_lock_decides_where_its_binary_packages_have_wheels():
    native = package(
        "fastnative",
        "fastnative-1.0-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "fastnative-1.0-cp314-cp314-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    )
    pure = package("pure", "pure-1.0-py3-none-any.whl")
    stable = package("stableabi", "stableabi-1.0-cp39-abi3-manylinux_2_17_x86_64.whl")
    choice = choose_python(
        [(Origin("pyproject.toml", "requires-python"), ">=3.11")], [], (native, pure, stable), today=TODAY
    )
    assert choice.version == "3.14"
    assert "3.15 lacks 1 (fastnative)" in choice.reasons[0]
    late = package("late", "late-1.0-cp315-cp315-manylinux_2_28_x86_64.whl")
    assert choose_python([], [], (pure, late), today=TODAY).version == "3.15"  # evidence beats maturity


def test_the_projects_own_evidence_comes_before_the_default():
    hints = [Hint("its trove classifiers", "3.12"), Hint("its CI workflows", "3.13")]
    choice = choose_python([(Origin("pyproject.toml", "requires-python"), ">=3.9")], [], (), hints, today=TODAY)
    assert choice.version == "3.12"
    assert "its trove classifiers" in choice.reasons[0]


def test_a_compiled_requirements_file_names_the_python_its_pins_fit(make_project):
    from dockergen.project import Project
    from dockergen.python_version import python_hints

    path = make_project(
        {
            "requirements.txt": "#\n# This file is autogenerated by pip-compile with Python 3.11\n"
            "# by the following command:\n#\n#    pip-compile\n#\nclick==8.1.7\n",
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'
            'classifiers = ["Programming Language :: Python :: 3.13"]\n',
        }
    )
    hints = python_hints(Project(path))
    assert hints[0] == Hint("requirements.txt, compiled with Python 3.11", "3.11", compiled=True)
    assert choose_python([], [], (), hints, today=TODAY).version == "3.11"
    old = [Hint("requirements.txt, compiled with Python 3.7", "3.7", compiled=True)]
    choice = choose_python([], [], (), old, today=TODAY)
    assert choice.version == "3.8" and "oldest release offered" in choice.reasons[0]


def test_pins_without_file_names_are_judged_by_the_wheel_table():
    """A pip freeze from 2023: greenlet 3.0.1 has wheels up to CPython 3.12 (PyPI, in
    data/wheel_minors.toml), and building it on 3.13 or later fails to compile."""
    greenlet = LockedPackage("greenlet", "3.0.1")
    choice = choose_python([], [], (greenlet, LockedPackage("click", "8.1.7")), today=TODAY)
    assert choice.version == "3.12"
    assert "no wheel of the pinned version for 3.13 (greenlet)" in choice.reasons[0]
    hints = [Hint("its CI workflows", "3.10"), Hint("tox.ini", "3.14")]
    assert choose_python([], [], (greenlet,), hints, today=TODAY).version == "3.10"  # the project's word, if it fits
    assert choose_python([], [], (LockedPackage("greenlet", "3.3.0"),), today=TODAY).version == "3.14"


def test_the_wheel_table_is_well_formed():
    from packaging.utils import canonicalize_name

    from dockergen.python_version import wheel_minors

    table = wheel_minors()
    assert len(table) >= 50
    for name, minors in table.items():
        assert name == canonicalize_name(name), name
        assert set(minors) <= set(released_minors()), name
        assert all(first <= last for first, last in minors.values()), name


@pytest.mark.parametrize(
    ("pin", "warning"),
    [
        ("3.9", "WARNING Python 3.9 reached its end of life on 2025-10-31"),
        ("3.10", "WARNING Python 3.10 reached its end of life on 2026-10-31"),
        ("3.16", "WARNING Python 3.16 (.python-version) is not released yet, so no python:3.16 image exists"),
        ("3.13", None),
    ],
)
def test_a_pin_past_its_end_of_life_or_not_out_yet_is_built_with_a_warning(pin, warning):
    choice = choose_python([], [(Origin(".python-version"), pin)], today=TODAY)
    assert choice.version == pin
    warnings = [r for r in choice.reasons if r.startswith("WARNING")]
    assert len(warnings) == (warning is not None) and all(w.startswith(str(warning)) for w in warnings)


def test_a_constraint_that_leaves_only_an_old_minor_warns_too():
    choice = choose_python([(Origin("pyproject.toml", "requires-python"), ">=3.8,<3.10")], [], today=TODAY)
    assert choice.version == "3.9"
    assert choice.reasons[-1].startswith("WARNING Python 3.9 reached its end of life")
    assert "move pyproject.toml requires-python to a supported Python" in choice.reasons[-1]


def test_a_minor_due_later_is_not_released_on_its_eve():
    choice = choose_python([], [(SETTING, "3.15")], today=datetime.date(2026, 9, 30))
    assert (
        "is not released yet, so no python:3.15 image exists: its first release is due 2026-10-01"
        in (choice.reasons[-1])
    )
