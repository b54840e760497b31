"""pipeline.run: the summary of a run that keeps no finding text counts exactly what a recording run
finds, for one process and two."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from cleaner.discover import Source, iter_files
from cleaner.model import Kind
from cleaner.options import Options
from cleaner.pipeline import Destination, run
from cleaner.report import Summary

from .factory import article

OPTIONS = Options()


def sources(root: Path) -> list[Source]:
    return [s for s in iter_files([root], OPTIONS) if isinstance(s, Source)]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    for i in range(12):
        text = article(i)
        paragraphs = [p for p in text.split("\n\n") if p.strip() and not p.startswith("---")]
        # a continuation block that repeats two paragraphs, as the pipeline left them
        dirty = text + "\n---END---\n\n" + "\n\n".join(paragraphs[2:4]) + "\n\n---END---"
        (root / f"post{i:02}.md").write_text(dirty, encoding="utf-8")
    (root / "broken.md").write_bytes(b"\xff\xfe\x00\x00binary\x00")
    return root


@pytest.mark.parametrize("jobs", [1, 2])
def test_counts_without_text_match_the_recorded_findings(corpus: Path, tmp_path: Path, jobs: int) -> None:
    full = list(run(sources(corpus), OPTIONS, Destination(out_dir=tmp_path / "a"), jobs=jobs))
    lean = list(run(sources(corpus), OPTIONS, Destination(out_dir=tmp_path / "b", record=False), jobs=jobs))
    assert [o.result.path for o in full] == [o.result.path for o in lean]
    for a, b in zip(full, lean, strict=True):
        expected = collections.Counter(f.kind.value for f in a.result.findings if f.kind is not Kind.ERROR)
        assert b.result.counts == dict(expected)
        assert b.result.findings == tuple(f for f in a.result.findings if f.kind is Kind.ERROR)
        assert b.result.error == a.result.error and b.result.changed == a.result.changed
    summaries = []
    for outcomes in (full, lean):
        summary = Summary()
        for outcome in outcomes:
            summary.add(outcome.result)
        summaries.append(summary.to_dict())
    assert summaries[0] == summaries[1]
    assert summaries[0]["errors"] == 1 and sum(summaries[0]["kinds"].values()) > 12
