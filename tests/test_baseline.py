"""Byte-identical across refactors: every recorded input gives the output and findings it gave when
``tests/data/baseline.sha256`` was recorded (``python tests/record_baseline.py`` re-records it; do so
only for a change of output that is meant). Golden cases always run; ../shared parts skip without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.record_baseline import BASELINE, CASES, SHARED_PARTS, checksums, inputs, load

RECORDED = load(BASELINE)
CASE_INPUTS = list(inputs(shared=None))


def test_every_case_is_recorded() -> None:
    names = {name for name, _ in CASE_INPUTS}
    assert names and names <= RECORDED.keys(), sorted(names - RECORDED.keys())


@pytest.mark.parametrize(("name", "path"), CASE_INPUTS, ids=[n for n, _ in CASE_INPUTS])
def test_case_unchanged(name: str, path: Path) -> None:
    assert checksums(path.read_bytes()) == RECORDED[name], f"{name}: output or findings changed"


@pytest.mark.parametrize("part", SHARED_PARTS)
def test_shared_unchanged(shared: Path, part: str) -> None:
    items = [(n, p) for n, p in inputs(shared) if n.startswith(f"{part}/")]
    assert items, f"../shared/{part} holds no file"
    changed = [name for name, path in items if checksums(path.read_bytes()) != RECORDED.get(name)]
    assert not changed, f"{len(changed)} of {len(items)} changed: {changed[:10]}"
    assert CASES.is_dir()
