"""Work that grows with the input, never faster: shapes an attacker (or a big monorepo) can give.

These count work rather than time it; benchmarks/hostile_inputs.py measures the seconds.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping

import dockergen
from dockergen.inspectors.lockgraph import install_conditions


class CountingEdges(Mapping[str, list[tuple[str, str | None]]]):
    """The lock's edges, counting how often the walk asks for a package's dependencies."""

    def __init__(self, edges: dict[str, list[tuple[str, str | None]]]) -> None:
        self.edges, self.lookups = edges, 0

    def __getitem__(self, name: str) -> list[tuple[str, str | None]]:
        self.lookups += 1
        return self.edges[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.edges)

    def __len__(self) -> int:
        return len(self.edges)


def test_a_chain_of_packages_is_walked_once():
    """A 12,000-package chain took minutes: the walk went over every package once per link."""
    n = 2000
    edges = CountingEdges({f"p{i}": [(f"p{i + 1}", None)] for i in range(n)})
    conditions = install_conditions(["p0"], edges)
    assert len(conditions) == n + 1 and all(c is None for c in conditions.values())
    assert edges.lookups <= n + 1


def test_markers_along_a_chain_are_carried_to_its_end():
    edges = CountingEdges({"a": [("b", 'sys_platform == "linux"')], "b": [("c", None)], "c": []})
    assert install_conditions(["a"], edges)["c"] == '((sys_platform == "linux"))'


def test_includes_through_links_to_the_same_file_are_read_once(make_project):
    path = make_project({"requirements.txt": "-r a/requirements.txt\n-r b/requirements.txt\nflask==3.0.0\n"})
    os.symlink(".", path / "a")
    os.symlink(".", path / "b")
    facts = dockergen.inspect(path)
    assert [p.name for p in facts.runtime_packages] == ["flask"]
    # mounted as pip will open them, through the links
    assert facts.inputs == ("requirements.txt", "a/requirements.txt", "b/requirements.txt")


def test_the_asset_walk_looks_at_a_bounded_number_of_entries_and_depth(make_project, monkeypatch):
    """Sizing static/ and its kind lists names and reads sizes only, and no more than the budget:
    a tree of millions of files, or directories nested thousands deep, costs the same bounded walk."""
    from dockergen import project as project_module

    files = {f"static/f{i:03d}.txt": "x" for i in range(100)}
    deep = "static/" + "/".join(f"d{i}" for i in range(60)) + "/deep.txt"
    path = make_project({**files, deep: "y" * 10, "requirements.txt": "", "main.py": "print(1)\n"})
    found = {d.path: d.size for d in dockergen.inspect(path).asset_dirs}
    assert found == {"static": 100}  # the file below MAX_TREE_DEPTH levels is not counted
    monkeypatch.setattr(project_module, "MAX_TREE_ENTRIES", 30)
    counted = project_module.asset_dirs(project_module.Project(path))
    assert counted and counted[0].size < 30
