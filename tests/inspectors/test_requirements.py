"""Plain requirements.txt projects, not compiled by pip-tools (dockergen/inspectors/requirements.py).
How its lines are read is tests/inspectors/test_reqfile.py."""

from __future__ import annotations

from dockergen.inspectors import piptools, requirements
from dockergen.project import Project

from ..conftest import SAMPLES


def test_pins_and_unpinned_names_of_a_hand_written_file():
    project = Project(SAMPLES / "requirements-plain")
    assert piptools.detect(project) is None  # no requirements.in, no pip-compile header
    assert requirements.detect(project) == (False, "requirements.txt present")
    facts = requirements.inspect(project)
    # comments, whole-line and after a pin, are not part of the requirement
    assert [(p.name, p.version, p.groups) for p in facts.packages] == [
        ("requests", "2.32.5", ("main",)),
        ("urllib3", "2.5.0", ("main",)),
        ("click", None, ("main",)),
    ]
    assert not any(p.hashed for p in facts.packages)
    assert facts.groups == [] and facts.indexes == [] and facts.inputs == ["requirements.txt"]
    assert (facts.project_line, facts.local_paths) == (None, [])
    assert not facts.installable  # no setup.py, setup.cfg or [project] beside it
    assert facts.lock_consistent is None
    assert facts.lock_note == "not a lock: unpinned click resolve at build time"
