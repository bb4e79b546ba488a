"""Which locked packages belong to which group, found by walking the lock's dependency edges.

Locks that record edges but not groups (uv.lock, and poetry/pdm locks as a fallback) need this:
runtime packages are those reachable from the project's main requirements; each dev group gets
what it reaches that the runtime set does not already hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def reachable(start: Iterable[str], edges: Mapping[str, Iterable[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(edges.get(name, ()))
    return seen


def assign_groups(roots: Mapping[str, Iterable[str]], edges: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Map package name -> the groups that reach it; roots maps group -> its direct names."""
    groups: dict[str, list[str]] = {}
    for group, start in roots.items():
        for name in reachable(start, edges):
            groups.setdefault(name, []).append(group)
    return {name: tuple(g) for name, g in groups.items()}
