"""Projects with no lock and no manager: setup.cfg, setup.py, a build backend or a bare [project]
(dockergen/inspectors/setuptools.py). What is read from setup.py itself is tests/inspectors/test_setup_py.py."""

from __future__ import annotations

from dockergen.facts import Origin, Requirement
from dockergen.inspectors import setuptools
from dockergen.project import Project

from ..conftest import SAMPLES


def test_setup_cfg_metadata_options_and_entry_points_are_read():
    """samples/setuppy-pkg: a setup.py that only calls setup(), everything in setup.cfg."""
    project = Project(SAMPLES / "setuppy-pkg")
    assert setuptools.detect(project) == (False, "setup.py present")
    facts = setuptools.inspect(project)
    assert facts.name == "setuppy-pkg"
    assert facts.requirements == [Requirement("packaging", ">=23", None, "main")]
    assert facts.python_constraints == [(Origin("setup.cfg", "python_requires"), ">=3.11,<3.12")]
    assert facts.scripts == {"setuppy-pkg": "setuppy_pkg.cli:main"}
    # no pyproject.toml: pip builds it with setuptools' legacy backend
    assert (facts.installable, facts.build_backend) == (True, "setuptools.build_meta:__legacy__")
    assert facts.inputs == ["setup.py", "setup.cfg"]
    assert (facts.lock_file, facts.packages, facts.notes) == (None, [], [])
