"""Projects with no lock and no manager of their own: setup.py / setup.cfg, a pyproject.toml
build backend, or a bare PEP 621 [project] table. pip installs what they declare."""

from __future__ import annotations

import configparser

from ..facts import InspectError, ManagerFacts, Origin, Requirement
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
from . import reqfile
from .base import InstallTraits
from .setup_py import SetupCall, read_setup_py

NAME = "setuptools"
INSTALL = InstallTraits("declared", resolved=False)


def detect(project: Project) -> tuple[bool, str] | None:
    if project.exists("setup.py"):
        return False, "setup.py present"
    if project.exists("setup.cfg") and _setup_cfg(project).has_section("metadata"):
        return False, "setup.cfg with [metadata] present"  # not one that only configures flake8 or pytest
    if project.build_backend:
        return False, f"build backend {project.build_backend} in pyproject.toml"
    if project.pyproject_table("project"):
        return False, "PEP 621 [project] in pyproject.toml, no lock file"
    return None


def is_package(project: Project) -> bool:
    """Whether a requirements file or a Pipfile sits beside a package to build: a setup.py, a
    setup.cfg with [metadata], or a named [project]. A [build-system] alone configures tools."""
    if project.exists("setup.py") or (project.exists("setup.cfg") and _setup_cfg(project).has_section("metadata")):
        return True
    return bool(pep621_name(project))


def build_beside(project: Project, facts: ManagerFacts) -> ManagerFacts:
    """A package beside another manager's requirements: it is built as a wheel without
    dependencies (the other file pins them), and its scripts are commands. Returns what the
    package declares, for the caller to take more of."""
    package = inspect(project)
    facts.installable, facts.build_backend, facts.scripts = True, package.build_backend, package.scripts
    return package


def _setup_cfg(project: Project) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    if project.exists("setup.cfg"):
        try:
            parser.read_string(project.text("setup.cfg"))
        except configparser.Error as exc:
            raise InspectError("setup.cfg", f"invalid INI: {str(exc).splitlines()[0]}") from None
    return parser


def inspect(project: Project) -> ManagerFacts:
    facts = ManagerFacts(installable=True, build_backend=project.build_backend or "setuptools.build_meta:__legacy__")
    facts.inputs = [f for f in ("pyproject.toml", "setup.py", "setup.cfg") if project.exists(f)]
    cfg = _setup_cfg(project)
    call = read_setup_py(project) if project.exists("setup.py") else SetupCall()
    setup_name = call.values.get("name")
    facts.name = pep621_name(project) or cfg.get("metadata", "name", fallback=None)
    facts.name = facts.name or (setup_name if isinstance(setup_name, str) else None)
    facts.requirements = pep621_requirements(project)
    for line in cfg.get("options", "install_requires", fallback="").splitlines():
        if line.strip() and not line.strip().startswith("#"):
            facts.requirements.append(parse_requirement(line.strip(), "setup.cfg"))
    facts.requirements += _setup_py_requirements(project, call)
    facts.groups = group_names(facts.requirements)
    facts.python_constraints = requires_python(project)
    python, origin = cfg.get("options", "python_requires", fallback=None), Origin("setup.cfg", "python_requires")
    if not python and isinstance(call.values.get("python_requires"), str):
        python, origin = call.values["python_requires"], Origin("setup.py", "python_requires")
    if python:
        facts.python_constraints.append((origin, python))
    facts.scripts = pep621_scripts(project)
    for name, target in _console_scripts(cfg.get("options.entry_points", "console_scripts", fallback="")):
        facts.scripts.setdefault(script_name(name, "setup.cfg"), target)
    entry_points = call.values.get("entry_points")
    console = entry_points.get("console_scripts", []) if isinstance(entry_points, dict) else []
    for name, target in _console_scripts("\n".join(console) if isinstance(console, list) else str(console)):
        facts.scripts.setdefault(script_name(name, "setup.py"), target)
    for path in call.values.get("scripts", []) if isinstance(call.values.get("scripts"), list) else []:
        if isinstance(path, str):  # scripts=["bin/tool"]: installed as the command `tool`
            facts.scripts.setdefault(script_name(path.rsplit("/", 1)[-1], "setup.py"), path)
    facts.lock_note = "no lock file: dependency versions resolve at build time"
    facts.notes = [
        f"setup.py computes {key} when it runs: dockergen reads setup.py without running it, so "
        f"{'these dependencies are not installed before the build' if key == 'install_requires' else 'it is ignored'}"
        for key in call.computed
    ]
    return facts


def _setup_py_requirements(project: Project, call: SetupCall) -> list[Requirement]:
    """install_requires as a list or a multi-line string, or read from the requirements file it names."""
    if "install_requires" in call.requirement_files:
        rel = call.requirement_files["install_requires"]
        found = reqfile.parse(project, rel)
        return [Requirement(p.name, found.specifiers.get(p.name, ""), p.marker) for p in found.packages]
    value = call.values.get("install_requires", [])
    lines = value.splitlines() if isinstance(value, str) else value
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        raise InspectError("setup.py", "install_requires is not a list of requirement strings")
    return [parse_requirement(line.strip(), "setup.py") for line in lines if line.strip() and not line.startswith("#")]


def _console_scripts(text: str) -> list[tuple[str, str]]:
    """`name = module:function` lines, as setup.cfg and setup.py's entry_points write them."""
    pairs = []
    for line in text.splitlines():
        name, sep, target = line.partition("=")
        if sep and name.strip():
            pairs.append((name.strip(), target.strip()))
    return pairs
