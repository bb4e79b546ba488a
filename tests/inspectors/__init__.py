"""Each inspector's reading of its own files: one test module per module of dockergen/inspectors/.

test_<format>.py holds what dockergen reads from that format's files (packages, groups, hashes,
indexes, Python constraints, whether the lock is current, workspace members, path packages),
against the real samples in samples/ where one shows it. Decisions on the plan are in
tests/test_plan.py; the checks every sample gets from its dockergen-test.toml (manager, Python,
command, pins) in tests/test_inspect_samples.py.
"""

from __future__ import annotations

from pathlib import Path

from dockergen.api import inspect

from ..samples import expectations


def stale_samples(manager: str) -> list[str]:
    """The samples of manager whose dockergen-test.toml has a [stale] edit: each lock format's
    module runs test_stale_lock_is_detected on its own (tests/test_inspect_samples.py checks that
    every such sample is taken by one)."""
    return sorted(name for name, s in expectations().items() if s.stale is not None and s.manager == manager)


def assert_stale_lock_is_detected(path: Path, sample: str) -> None:
    """Make the sample's [stale] edit to its manifest in path (a copy): the lock no longer matches it."""
    edit = expectations()[sample].stale
    assert edit is not None
    name, old, new = edit.file, edit.old, edit.new
    text = (path / name).read_text()
    assert old in text, f"{sample}/{name} no longer contains {old!r}"
    (path / name).write_text(text.replace(old, new, 1))
    facts = inspect(path)
    assert facts.lock_consistent is False
    assert "stale" in facts.lock_note
    assert any("stale" in note for note in facts.notes)
