"""benchapp: the FastAPI service that dockergen's benchmark builds."""

__version__ = "0.1.0"
