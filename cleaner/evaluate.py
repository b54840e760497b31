"""Quality measures for a cleaned body: the figures the acceptance gates pin.

- :func:`repeated_pairs`: paragraph pairs (30+ characters) of one article whose rapidfuzz ``ratio`` is at
  or above 90: regenerated passages that survived.
- :func:`sentence_coverage`: the share of distinct input sentences (8+ characters) that the output still
  says: verbatim, as a kept near-duplicate (``ratio`` ≥ 90), or as a longer version of the sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import regex
from rapidfuzz import fuzz, process

from cleaner import patterns
from cleaner.options import DEFAULT_MARKER

MIN_PARAGRAPH = 30
MIN_SENTENCE = 8
NEAR = 90.0


def paragraphs(body: str, minimum: int = MIN_PARAGRAPH) -> list[str]:
    """Non-blank lines of at least ``minimum`` characters, stripped; footer link lines left out.

    Templated link lines (``[Amazonで詳しく見る →](https://…)``, ``- [title](/link/)``) legitimately
    repeat in the footers of the blog's structured format.
    """
    return [
        line.strip()
        for line in body.split("\n")
        if len(line.strip()) >= minimum and not patterns.FOOTER_LINE.match(line)
    ]


def repeated_pairs(body: str, threshold: float = NEAR) -> list[tuple[str, str, float]]:
    """Pairs of paragraphs in ``body`` with ``ratio`` ≥ ``threshold``."""
    paras = paragraphs(body)
    if len(paras) < 2:
        return []
    keys = [patterns.compare_key(p) for p in paras]
    scores = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=threshold, dtype=np.uint8)
    pairs = []
    for i, j in zip(*np.nonzero(np.triu(scores, k=1)), strict=True):
        pairs.append((paras[i], paras[j], float(scores[i, j])))
    return pairs


def sentences(body: str, minimum: int = MIN_SENTENCE) -> set[str]:
    """Distinct sentence keys of ``body`` with at least ``minimum`` characters."""
    out = set()
    for line in body.split("\n"):
        for sentence in patterns.split_sentences(line):
            key = patterns.compare_key(sentence)
            if len(key) >= minimum:
                out.add(key)
    return out


@dataclass(frozen=True, slots=True)
class Coverage:
    total: int
    kept: int
    missing: tuple[str, ...]

    @property
    def share(self) -> float:
        return 1.0 if not self.total else self.kept / self.total


def sentence_coverage(before: str, after: str, marker: str = DEFAULT_MARKER) -> Coverage:
    """How many distinct sentences of ``before`` ``after`` still says (verbatim, near or longer).

    Markers are not sentences: they are removed from ``before`` first. "Verbatim" is judged on the
    comparison key of the whole output, so a heading that a flattened copy ran into its paragraph still
    counts as said when the output has both.
    """
    wanted = sentences(regex.sub(marker, "\n", before))
    have = sentences(after, minimum=1)
    joined = patterns.compare_key(after)
    missing = []
    pool = sorted(have)
    for key in sorted(wanted):
        if key in have or key in joined:
            continue
        if pool and process.extractOne(key, pool, scorer=fuzz.ratio, score_cutoff=NEAR) is not None:
            continue
        missing.append(key)
    return Coverage(len(wanted), len(wanted) - len(missing), tuple(missing))


def totals(coverages: Iterable[Coverage]) -> Coverage:
    items = list(coverages)
    return Coverage(
        sum(c.total for c in items), sum(c.kept for c in items), tuple(m for c in items for m in c.missing)
    )
