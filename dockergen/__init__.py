"""dockergen: write the Dockerfile an expert would write for a Python project."""

from __future__ import annotations

__version__ = "0.1.0"

from .api import FileStatus, RefusedError, generate, inspect, plan, status, write
from .facts import InspectError

__all__ = [
    "FileStatus",
    "InspectError",
    "RefusedError",
    "__version__",
    "generate",
    "inspect",
    "plan",
    "status",
    "write",
]
