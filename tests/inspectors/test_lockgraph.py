"""The walk over a lock's dependency edges: which group reaches each package, and under which
markers it installs (dockergen/inspectors/lockgraph.py, for locks that record edges, not groups).
That the walk is linear in the lock's size is tests/test_bounded_work.py."""

from __future__ import annotations

from dockergen.inspectors.lockgraph import MAX_CLAUSES, assign_groups, install_conditions
from dockergen.project import Project

from ..conftest import SAMPLES


def uv_lock_edges(sample: str) -> tuple[dict[str, list[str]], dict[str, list[tuple[str, str | None]]]]:
    """The roots by group and the marked edges of a sample's uv.lock, read here without uv.py."""
    lock = Project(SAMPLES / sample).toml("uv.lock")
    edges = {p["name"]: [(d["name"], d.get("marker")) for d in p.get("dependencies", [])] for p in lock["package"]}
    root = next(p for p in lock["package"] if p["name"] == sample)
    roots = {"main": [d["name"] for d in root["dependencies"]]}
    roots.update({g: [d["name"] for d in deps] for g, deps in root["dev-dependencies"].items()})
    return roots, edges


def test_groups_of_the_uv_fastapi_lock():
    roots, edges = uv_lock_edges("uv-fastapi")
    assert roots == {"main": ["fastapi", "uvicorn"], "dev": ["pytest"]}
    groups = assign_groups(roots, {name: [child for child, _ in deps] for name, deps in edges.items()})
    dev = sorted(name for name, group in groups.items() if group == ("dev",))
    assert dev == ["colorama", "iniconfig", "packaging", "pluggy", "pygments", "pytest"]
    assert groups["fastapi"] == groups["pydantic-core"] == groups["click"] == ("main",)
    assert "uv-fastapi" not in groups  # the root is where the walk starts, not a member


def test_a_package_two_groups_reach_is_in_both():
    edges = {"app": ["httpx"], "pytest-httpx": ["httpx", "pytest"], "httpx": ["idna"]}
    groups = assign_groups({"main": ["app"], "dev": ["pytest-httpx"]}, edges)
    assert groups["idna"] == groups["httpx"] == ("main", "dev")
    assert groups["pytest"] == ("dev",)


def test_markers_on_the_edges_of_the_uv_fastapi_lock():
    _, edges = uv_lock_edges("uv-fastapi")
    conditions = install_conditions(["uv-fastapi"], edges)
    assert conditions["fastapi"] is None and conditions["pydantic-core"] is None
    assert "pytest" not in conditions  # dev edges are the caller's to add (uv.py does)
    conditions = install_conditions(["uv-fastapi", "pytest"], edges)
    assert conditions["colorama"] == "((sys_platform == 'win32'))"  # pytest needs it on Windows only


def test_paths_to_a_package_are_alternatives_and_a_path_without_markers_makes_it_unconditional():
    edges: dict[str, list[tuple[str, str | None]]] = {
        "app": [("a", 'sys_platform == "linux"'), ("b", 'python_version < "3.12"')],
        "a": [("c", None)],
        "b": [("c", 'platform_machine == "x86_64"')],
    }
    assert install_conditions(["app"], edges)["c"] == (
        '((platform_machine == "x86_64") and (python_version < "3.12")) or ((sys_platform == "linux"))'
    )
    edges["app"].append(("c", None))
    assert install_conditions(["app"], edges)["c"] is None


def test_past_max_clauses_a_package_counts_as_unconditional():
    """It may only over-report what installs: a package is never left out for a marker too long to keep."""
    many = [(f"via{i}", f'python_version == "3.{i}"') for i in range(MAX_CLAUSES + 1)]
    edges = {"app": many, **{f"via{i}": [("shared", None)] for i in range(MAX_CLAUSES + 1)}}
    assert install_conditions(["app"], edges)["shared"] is None
    edges = {"app": many[:MAX_CLAUSES], **{f"via{i}": [("shared", None)] for i in range(MAX_CLAUSES)}}
    assert install_conditions(["app"], edges)["shared"].count(" or ") == MAX_CLAUSES - 1
