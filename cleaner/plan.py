"""The values the seam, repeat and fragment passes hand on: pieces in, kept passages and a plan out.

A :class:`Piece` is a unit, or several joined at seams (:mod:`cleaner.seams`); the repeat pass
(:mod:`cleaner.repeats`) decides about each piece in input order; :mod:`cleaner.fragments` trims the
kept passages; the :class:`Plan` goes to :mod:`cleaner.stitch`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cleaner.model import Action, Finding, Kind
from cleaner.split import Unit, UnitKind

#: Units compared sentence by sentence; the others (headings, tables, code) only as exact repeats.
TEXT = frozenset({UnitKind.PROSE, UnitKind.ITEM})


@dataclass(slots=True)
class Piece:
    """A unit, or several joined at seams; built and grown by :func:`cleaner.seams.join_seams` only."""

    text: str
    kind: UnitKind
    first: Unit
    last: Unit
    anchor: Piece | None = None  # new text of this piece goes after this one (an alternative's branch)


@dataclass(frozen=True, slots=True)
class Kept:
    """A passage of the canonical body, in reading order."""

    text: str
    first: Unit
    last: Unit
    kind: UnitKind


@dataclass(frozen=True, slots=True)
class Plan:
    kept: tuple[Kept, ...]
    findings: tuple[Finding, ...]


#: Characters of a matched passage kept in a finding (``matched``; see docs/report-schema.md).
SHOWN_MATCH = 160


def _short(text: str, limit: int = SHOWN_MATCH) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _finding(
    kind: Kind,
    action: Action,
    unit: Unit,
    passage: str,
    matched: str = "",
    similarity: float | None = None,
    detail: str = "",
    *,
    rule: str,
) -> Finding:
    return Finding(
        kind,
        action,
        passage=passage,
        matched=_short(matched),
        similarity=similarity,
        block=unit.block,
        paragraph=unit.paragraph,
        line=unit.line,
        detail=detail,
        rule=rule,
    )
