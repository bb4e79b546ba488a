"""dockergen: write the Dockerfile an expert would write for a Python project."""

from __future__ import annotations

__version__ = "0.1.0"

from .api import generate, inspect, plan, status, write

__all__ = ["__version__", "generate", "inspect", "plan", "status", "write"]
