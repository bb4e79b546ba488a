"""Sample package: pip-compiled requirements with -e . (dockergen sample)."""
