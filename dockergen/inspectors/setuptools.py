"""Projects with no lock and no manager of their own: setup.py / setup.cfg, a pyproject.toml
build backend, or a bare PEP 621 [project] table. pip installs what they declare."""

from __future__ import annotations

import configparser
import re

from ..facts import InspectError, ManagerFacts
from ..project import (
    Project,
    group_names,
    parse_requirement,
    pep621_name,
    pep621_requirements,
    pep621_scripts,
    requires_python,
    script_name,
)

NAME = "setuptools"
SETUP_NAME = re.compile(r"""\bname\s*=\s*["']([\w.-]+)["']""")
SETUP_PYTHON = re.compile(r"""\bpython_requires\s*=\s*["']([^"']+)["']""")
SETUP_SCRIPT = re.compile(r"""["']\s*([\w.-]+)\s*=\s*([\w.]+:[\w.]+)\s*["']""")


def detect(project: Project) -> tuple[bool, str] | None:
    for name in ("setup.py", "setup.cfg"):
        if project.exists(name):
            return False, f"{name} present"
    if project.build_backend:
        return False, f"build backend {project.build_backend} in pyproject.toml"
    if project.pyproject_table("project"):
        return False, "PEP 621 [project] in pyproject.toml, no lock file"
    return None


def _setup_cfg(project: Project) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    if project.exists("setup.cfg"):
        try:
            parser.read_string(project.text("setup.cfg"))
        except configparser.Error as exc:
            raise InspectError("setup.cfg", f"invalid INI: {str(exc).splitlines()[0]}") from None
    return parser


def inspect(project: Project) -> ManagerFacts:
    facts = ManagerFacts(
        NAME, installable=True, build_backend=project.build_backend or "setuptools.build_meta:__legacy__"
    )
    facts.inputs = [f for f in ("pyproject.toml", "setup.py", "setup.cfg") if project.exists(f)]
    cfg = _setup_cfg(project)
    setup_py = project.text("setup.py") if project.exists("setup.py") else ""
    facts.name = pep621_name(project) or cfg.get("metadata", "name", fallback=None)
    if not facts.name and SETUP_NAME.search(setup_py):
        facts.name = SETUP_NAME.search(setup_py).group(1)  # type: ignore[union-attr]
    facts.requirements = pep621_requirements(project)
    for line in cfg.get("options", "install_requires", fallback="").splitlines():
        if line.strip() and not line.strip().startswith("#"):
            facts.requirements.append(parse_requirement(line.strip(), "setup.cfg"))
    facts.groups = group_names(facts.requirements)
    facts.python_constraints = requires_python(project)
    python, origin = cfg.get("options", "python_requires", fallback=None), "setup.cfg python_requires"
    if not python and SETUP_PYTHON.search(setup_py):
        python, origin = SETUP_PYTHON.search(setup_py).group(1), "setup.py python_requires"  # type: ignore[union-attr]
    if python:
        facts.python_constraints.append((origin, python))
    facts.scripts = pep621_scripts(project)
    scripts_text = cfg.get("options.entry_points", "console_scripts", fallback="")
    for line in scripts_text.splitlines():
        name, sep, target = line.partition("=")
        if sep:
            facts.scripts.setdefault(script_name(name.strip(), "setup.cfg"), target.strip())
    for name, target in SETUP_SCRIPT.findall(setup_py) if "console_scripts" in setup_py else []:
        facts.scripts.setdefault(name, target)
    facts.lock_note = "no lock file: dependency versions resolve at build time"
    return facts
