"""Plain requirements.txt projects, not compiled by pip-tools (dockergen/inspectors/requirements.py).
How its lines are read is tests/inspectors/test_reqfile.py."""

from __future__ import annotations

import pytest

import dockergen
from dockergen.inspectors import piptools, reqfile, requirements
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


SPLIT = {
    "requirements.txt": "# everything\n-r requirements/main.txt\n-r requirements/tests.txt\n",
    "requirements/main.txt": "flask==3.0.3\n",
    "requirements/tests.txt": "-r main.txt\npytest==8.3.3\n",
    "app.py": "",
}


def test_a_root_file_that_only_includes_others_installs_the_runtime_ones(make_project):
    facts, plan = dockergen.plan(make_project(SPLIT), entrypoint="python")
    assert [(p.name, p.groups) for p in facts.packages] == [("flask", ("main",)), ("pytest", ("tests",))]
    assert facts.groups == ("tests",) and facts.install_files == ("requirements/main.txt",)
    # requirements.txt is mounted, so that what it includes is an input; the tests' file is not
    assert plan.deps.inputs == ("requirements.txt", "requirements/main.txt")
    assert plan.deps.requirements_files == ("requirements/main.txt",)
    dockerfile = dockergen.generate(facts.root, entrypoint="python")["Dockerfile"]
    assert "pip install -r requirements/main.txt \\\n" in dockerfile
    assert "not the development set requirements/tests.txt" in " ".join(facts.notes)


@pytest.mark.parametrize(
    "root",
    [
        "-r requirements/main.txt\n-r requirements/extra.txt\n",  # no development set among them
        "-r requirements/main.txt\n-r requirements/tests.txt\ngunicorn==23.0.0\n",  # a requirement of its own
        "-r requirements/tests.txt\n",  # nothing but the development set: installed as written
    ],
)
def test_any_other_root_file_installs_whole(make_project, root):
    project = make_project({**SPLIT, "requirements.txt": root, "requirements/extra.txt": "click==8.1.7\n"})
    facts, plan = dockergen.plan(project, entrypoint="python")
    assert facts.install_files == () and plan.deps.requirements_files == ("requirements.txt",)


def test_development_sets_are_told_by_the_words_of_their_names():
    development = ["requirements/tests.txt", "requirements/dev-tools.txt", "requirements-lint.txt", "ci/docs.txt"]
    runtime = ["requirements/main.txt", "requirements/base.txt", "requirements/production.txt", "latest.txt"]
    assert [reqfile.development_set(name) for name in development + runtime] == [True] * 4 + [False] * 4
