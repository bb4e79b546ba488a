"""What every inspector module declares: how it finds and reads its projects, and how they install.

An inspector is a module (pre-commit's languages are the model): NAME, INSTALL, detect() and
inspect(). The planner reads INSTALL and never tests a manager's name, so adding a manager is one
module here, one template in templates/managers/ and one row in MODULES.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from ..facts import ManagerFacts
from ..project import Project


@dataclass(frozen=True)
class InstallTraits:
    """How a manager's projects install in the Dockerfile's dependency step."""

    template: str  # templates/managers/<template>.j2 holds its install step
    lock: str | None = None  # the lock its install reads: without it there is nothing to plan
    lock_command: str | None = None  # the command that writes that lock
    tool: str | None = None  # the data/tools.toml entry pip-installed into /opt/<tool> in the builder
    uv: bool = False  # its install step runs uv, which then builds the project's wheel as well
    # Its file lists every package the project needs. Otherwise (a plain requirements file, or no
    # file at all) what the project declares is installed by name and resolved at build time.
    resolved: bool = True
    # Where packages locked from a directory of the tree are built: the project stage (the install
    # leaves them out), or the dependency step itself (it cannot leave a locked package out).
    tree_packages: Literal["project-stage", "deps-step"] = "project-stage"
    # Why its lock installs as it is, unchecked by the tool, once dockergen found it current; ""
    # when the tool always checks it.
    frozen: str = ""
    exports: bool = False  # can export its lock as hashed requirements for uv to install
    cpu_variant: bool = False  # its install step can swap the locked torch for PyTorch's CPU build
    installs_groups: bool = False  # its install step installs the lock's dependency groups by name (--group)

    def missing_lock(self) -> str:
        return f"no {self.lock}: run `{self.lock_command}` so builds are reproducible"


class Inspector(Protocol):
    """The surface of an inspector module (checked by the type checker on MODULES)."""

    NAME: str
    INSTALL: InstallTraits

    def detect(self, project: Project) -> tuple[bool, str] | None:
        """(whether its lock file is there, why) when the project looks like one of its kind."""

    def inspect(self, project: Project) -> ManagerFacts:
        """What its files say about the project."""
