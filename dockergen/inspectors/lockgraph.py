"""Which locked packages belong to which group, found by walking the lock's dependency edges.

Locks that record edges but not groups (uv.lock, and poetry/pdm locks as a fallback) need this:
runtime packages are those reachable from the project's main requirements; each dev group gets
what it reaches that the runtime set does not already hold.
"""

from __future__ import annotations

from collections import deque
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


Clause = frozenset[str]  # markers that must all hold (one path from a root)
MAX_CLAUSES = 16


def _absorb(clauses: set[Clause]) -> set[Clause]:
    """Drop every clause that a weaker one (a subset) already covers."""
    return {c for c in clauses if not any(other < c for other in clauses)}


def install_conditions(
    roots: Iterable[str], edges: Mapping[str, Iterable[tuple[str, str | None]]]
) -> dict[str, str | None]:
    """The marker under which each reachable package installs, from markers on edges (uv.lock).

    A package's condition is the OR, over the paths that reach it, of the AND of the edge markers
    on the path. None means unconditional. Past MAX_CLAUSES a package counts as unconditional,
    which may only over-report what gets installed.
    """
    conditions: dict[str, set[Clause]] = {name: {frozenset()} for name in roots}
    # A work list: only a package whose condition changed passes it on again, so a chain of
    # thousands of packages is walked once, not once per link.
    todo = deque(conditions)
    queued = set(todo)
    while todo:
        parent = todo.popleft()
        queued.discard(parent)
        clauses = conditions[parent]
        for child, marker in edges.get(parent, ()):
            extra = {c | {marker} if marker else c for c in clauses}
            merged = _absorb(conditions.get(child, set()) | extra)
            if len(merged) > MAX_CLAUSES:
                merged = {frozenset()}
            if merged != conditions.get(child):
                conditions[child] = merged
                if child not in queued:
                    todo.append(child)
                    queued.add(child)
    return {name: _marker(clauses) for name, clauses in conditions.items()}


def _marker(clauses: set[Clause]) -> str | None:
    if frozenset() in clauses:
        return None
    return " or ".join("(" + " and ".join(f"({m})" for m in sorted(c)) + ")" for c in sorted(clauses, key=sorted))
