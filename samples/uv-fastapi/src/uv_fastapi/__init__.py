"""Sample FastAPI service (dockergen sample: uv package project)."""

__version__ = "0.1.0"
