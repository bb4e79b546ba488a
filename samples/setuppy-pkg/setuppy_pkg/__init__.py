"""Sample classic setuptools package (dockergen sample)."""
