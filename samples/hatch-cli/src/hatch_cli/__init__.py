"""Sample Hatch-managed CLI (dockergen sample)."""

__version__ = "0.1.0"
