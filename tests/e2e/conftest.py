"""Fixtures shared by the Docker tests."""

from __future__ import annotations

import pytest

from .. import lock_tools


@pytest.fixture(scope="session")
def lock_tool():
    """The real tool, at the version the generated Dockerfiles install, in a venv kept between runs."""
    return lock_tools.tool
