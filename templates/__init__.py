"""Jinja templates for the Dockerfile; a package only so the wheel ships them as dockergen/templates."""
