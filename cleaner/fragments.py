"""Fragments and debris left once the repeats are decided (the last pass over the kept passages).

A kept passage that stops mid-sentence right before a marker or the end was cut: its unfinished
sentence goes when it is said in full elsewhere, and is reported when it is new. A ``---`` left with
nothing after it is debris of a dropped copy.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner import patterns
from cleaner.model import Action, Finding, Kind
from cleaner.plan import Kept, _finding, _short
from cleaner.repeats.ledger import Ledger
from cleaner.repeats.said import SaidIndex
from cleaner.split import Unit, UnitKind

#: Characters of a kept fragment shown in its finding.
_SHOWN_FRAGMENT = 80


def _trim_fragments(
    ledger: Ledger, said: SaidIndex, units: Sequence[Unit], findings: list[Finding]
) -> list[Kept]:
    """A kept passage that stops mid-sentence right before a marker or the end was cut.

    If its unfinished sentence is said in full elsewhere, the fragment goes; if it is new it stays and
    is reported. Only the passages that own the fragment's n-grams are searched, so the cost does not
    grow with the square of the number of blocks.
    """
    cut_after = {u.index - 1 for u in units if u.after_marker} | {len(units) - 1}
    out: list[Kept] = []
    for entry in ledger.ordered():
        if not entry.text.strip():
            continue
        piece = entry.piece
        item = Kept(entry.text, piece.first, piece.last, piece.kind)
        if (
            piece.kind is not UnitKind.PROSE
            or piece.last.index not in cut_after
            or not patterns.ends_open(entry.text)
        ):
            out.append(item)
            continue
        sentences = patterns.split_sentences(entry.text.rstrip())
        fragment = sentences[-1] if sentences else entry.text
        key = patterns.compare_key(fragment)
        owners = said.gram_owners(key) - {entry.id}
        elsewhere = [
            ledger.entries[o]
            for o in sorted(owners)
            if ledger.entries[o].alive and key and key in ledger.entries[o].key
        ]
        if elsewhere:
            findings.append(
                _finding(
                    Kind.FRAGMENT,
                    Action.DROPPED,
                    piece.last,
                    fragment.strip(),
                    matched=elsewhere[0].text,
                    similarity=100.0,
                    detail="cut fragment said in full elsewhere",
                    rule="fragment.dropped",
                )
            )
            rest = "".join(sentences[:-1]).rstrip()
            if rest:
                out.append(Kept(rest, piece.first, piece.last, piece.kind))
            continue
        findings.append(
            _finding(
                Kind.FRAGMENT_KEPT,
                Action.REPORTED,
                piece.last,
                _short(fragment, _SHOWN_FRAGMENT),
                detail="ends mid-sentence with nothing to continue it; kept",
                rule="fragment.kept",
            )
        )
        out.append(item)
    return out


def _drop_dangling_rules(kept: list[Kept], findings: list[Finding]) -> list[Kept]:
    """A ``---`` with nothing after it, or right before another one, is debris of a dropped copy."""
    out: list[Kept] = []
    for i, item in enumerate(kept):
        if item.kind is UnitKind.RULE:
            following = kept[i + 1] if i + 1 < len(kept) else None
            if following is None or following.kind is UnitKind.RULE or not out:
                findings.append(
                    _finding(
                        Kind.DANGLING_RULE, Action.DROPPED, item.first, item.text.strip(), rule="debris.rule"
                    )
                )
                continue
        out.append(item)
    return out
