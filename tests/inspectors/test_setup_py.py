"""setup.py read without running it: install_requires, python_requires, entry_points, computed values
(dockergen/inspectors/setup_py.py, for the setuptools inspector)."""

from __future__ import annotations

import dockergen


def project(tmp_path, setup: str, **files: str):
    (tmp_path / "setup.py").write_text(setup)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_install_requires_names_and_module_constants_are_installed_and_judged(tmp_path):
    path = project(
        tmp_path,
        "from setuptools import setup, find_packages\n"
        'BASE = ["fastapi>=0.100", "psycopg2>=2.9"]\n'
        "setup(\n"
        '    name="svc",\n'
        '    install_requires=BASE + ["click"],\n'
        '    python_requires=">=3.9,<3.14",\n'
        '    entry_points={"console_scripts": ["svc = svc.cli:main", "svc-admin=svc.admin:run"]},\n'
        "    packages=find_packages(),\n"
        ")\n",
    )
    facts, plan = dockergen.plan(path)
    assert facts.name == "svc"
    assert [(r.name, r.specifier) for r in facts.requirements] == [
        ("fastapi", ">=0.100"),
        ("psycopg2", ">=2.9"),
        ("click", ""),
    ]
    assert facts.python.version == "3.13"
    assert facts.entrypoint is not None and facts.entrypoint.command == ("svc",)
    assert "libpq-dev" in plan.base.apt and plan.libraries  # psycopg2 publishes no wheels
    assert [n.linked for n in plan.native if n.package == "psycopg2"] == [("libpq5",)]


def test_install_requires_read_from_the_requirements_file_setup_py_opens(tmp_path):
    path = project(
        tmp_path,
        "from setuptools import setup\n"
        "with open('requirements/base.txt') as f:\n"
        "    reqs = f.read().splitlines()\n"
        "setup(name='tool', install_requires=reqs, entry_points={'console_scripts': 'tool = tool:main'})\n",
    )
    (path / "requirements").mkdir()
    (path / "requirements" / "base.txt").write_text("requests>=2\nrich ; python_version >= '3.9'\n")
    facts = dockergen.inspect(path)
    assert [(r.name, r.marker) for r in facts.requirements] == [("requests", None), ("rich", 'python_version >= "3.9"')]
    assert facts.scripts == {"tool": "tool:main"}


def test_a_computed_value_is_named_in_the_notes(tmp_path):
    path = project(
        tmp_path,
        "from setuptools import setup\nimport os\n"
        "setup(name='calc', install_requires=[d for d in os.environ.get('DEPS', '').split()])\n",
    )
    facts = dockergen.inspect(path)
    assert facts.requirements == ()
    assert any("setup.py computes install_requires" in note for note in facts.notes)


def test_script_files_are_commands_like_console_scripts(tmp_path):
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup(name='ck', scripts=['bin/ck'])\n")
    facts = dockergen.inspect(tmp_path)
    assert facts.scripts == {"ck": "bin/ck"} and facts.entrypoint.command == ("ck",)
