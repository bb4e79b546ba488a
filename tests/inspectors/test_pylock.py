"""PEP 751 lock files: pylock.toml or pylock.<name>.toml, lock-version 1.x (dockergen/inspectors/pylock.py)."""

from __future__ import annotations

from dockergen.facts import Origin
from dockergen.inspectors import pylock
from dockergen.project import Project

from ..conftest import SAMPLES


def test_packages_wheels_and_hashes_are_read_from_a_pip_lock():
    """samples/pylock-app/pylock.toml was written by `pip lock`: wheels only, for the platform it ran on."""
    project = Project(SAMPLES / "pylock-app")
    assert pylock.detect(project) == (True, "pylock.toml (PEP 751) present")
    facts = pylock.inspect(project)
    assert [(p.name, p.version, p.files) for p in facts.packages] == [
        ("attrs", "26.1.0", ("attrs-26.1.0-py3-none-any.whl",)),
        (
            "pyyaml",
            "6.0.4",
            ("pyyaml-6.0.4-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl",),
        ),
    ]
    assert all(p.hashed and p.source.kind == "registry" and p.groups == ("main",) for p in facts.packages)
    assert facts.unusable == ""  # a Linux wheel for each: the lock installs in the image
    assert facts.inputs == ["pyproject.toml", "pylock.toml"]
    # pip writes no requires-python into the lock: the constraint is the project's alone
    assert facts.python_constraints == [(Origin("pyproject.toml", "requires-python"), ">=3.11,<3.12")]
    assert not facts.installable  # no [build-system]: an app, not a package
    # PEP 751 records no hash of the manifest, so no verdict either way
    assert facts.lock_consistent is None
    assert facts.lock_note == "PEP 751 records no manifest hash: regenerate it after changing dependencies"


def test_a_pylock_made_on_another_platform_gives_way_to_the_requirements_beside_it(tmp_path):
    import dockergen

    (tmp_path / "pylock.toml").write_text(
        'lock-version = "1.0"\ncreated-by = "pip"\n\n[[packages]]\nname = "beancount"\nversion = "3.2.0"\n'
        '[[packages.wheels]]\nname = "beancount-3.2.0-cp312-cp312-macosx_11_0_arm64.whl"\n'
        'url = "https://example.org/beancount-3.2.0-cp312-cp312-macosx_11_0_arm64.whl"\n'
        'hashes = {sha256 = "00"}\n'
    )
    (tmp_path / "requirements.txt").write_text("beancount==3.2.0\n")
    (tmp_path / "main.py").write_text("import beancount\n")
    facts = dockergen.inspect(tmp_path)
    assert facts.manager == "requirements"
    assert "pylock passed over: pylock.toml has no sdist and no Linux wheel for beancount" in facts.manager_reason
