"""The frozen decisions the repeat rules return, and the one step that carries them out.

A rule (:mod:`cleaner.repeats.rules`) reads a piece, the index and the ledger and returns one of
:class:`Drop`, :class:`Keep`, :class:`Supersede` or :class:`Merge`, with its rule code and the findings
it makes; :func:`apply` is the only code that changes the ledger and the index, and it emits the
findings in the order the decision lists them. Decisions are named tuples, immutable like a frozen
dataclass but made four times faster: one is made for every piece of every body.
"""

from __future__ import annotations

from typing import NamedTuple

from cleaner.model import Action, Finding, Kind
from cleaner.plan import Piece, _finding
from cleaner.repeats.ledger import Entry, Ledger
from cleaner.repeats.said import SaidIndex, Sentence


class Drop(NamedTuple):
    """The piece says nothing new: it goes, matched with the kept passage ``match``."""

    rule: str
    match: int
    findings: tuple[Finding, ...]
    cursor: int | None = None  # the insertion point moves here afterwards (None: it stays)


class Keep(NamedTuple):
    """``text`` (the piece, or what it says that is new) is kept as a passage of its own after the
    insertion point. ``sentences`` are what the index learns it says (when ``index``)."""

    rule: str
    text: str
    grams: set[int]
    key: str | None
    sentences: tuple[Sentence, ...]
    indexed: bool = True
    findings: tuple[Finding, ...] = ()


class Supersede(NamedTuple):
    """The piece is a fuller version of the kept passages ``replaced``: ``text`` takes their place,
    right after ``after`` (the first of them in reading order)."""

    rule: str
    replaced: tuple[int, ...]
    after: int
    text: str
    grams: set[int]
    sentences: tuple[Sentence, ...]
    findings: tuple[Finding, ...]
    follow: bool = True  # the insertion point moves to it afterwards (False: it stays)


class Splice(NamedTuple):
    """A kept passage rewritten with sentences of a retelling merged in."""

    owner: int
    text: str
    added: tuple[Sentence, ...]


class Merge(NamedTuple):
    """The piece retells kept passages: its new sentences go inside them (``splices``); ``leftover``
    sentences with no kept neighbour become a passage of their own after the insertion point."""

    rule: str
    splices: tuple[Splice, ...]
    leftover: tuple[Sentence, ...]
    target: int  # the passage that stands for the piece when nothing is left over
    findings: tuple[Finding, ...]
    cursor: int | None = None  # moved here before the leftover goes in (None: it stays)


Decision = Drop | Keep | Supersede | Merge


def _union(sentences: tuple[Sentence, ...]) -> set[int]:
    return set().union(*(s.grams for s in sentences))


def apply(decision: Decision, piece: Piece, ledger: Ledger, said: SaidIndex, findings: list[Finding]) -> None:
    """Carry out ``decision`` about ``piece``: move passages and the insertion point, tell the index
    what is said from now on, and emit the decision's findings."""
    findings.extend(decision.findings)
    if isinstance(decision, Keep):
        closing = _closing_passed(ledger)
        entry = ledger.insert_at_cursor(ledger.new_entry(decision.text, piece, decision.grams, decision.key))
        _report_closing(closing, entry, ledger, findings)
        ledger.record(piece, entry.id)
        if decision.indexed:
            said.add(entry, decision.sentences)
    elif isinstance(decision, Drop):
        ledger.record(piece, decision.match)
        if decision.cursor is not None:
            ledger.move_to(decision.cursor)
    elif isinstance(decision, Supersede):
        entry = ledger.new_entry(decision.text, piece, decision.grams)
        ledger.insert_after(decision.after, entry)
        for old in decision.replaced:
            ledger.remove(old, entry.id)
        if decision.follow:
            ledger.move_to(entry.id)
        ledger.record(piece, entry.id)
        said.add(entry, decision.sentences)
    else:
        for splice in decision.splices:
            kept = ledger.entries[splice.owner]
            said.forget(kept)
            entry = ledger.rewrite(kept.id, splice.text, kept.grams | _union(splice.added))
            said.add(entry, splice.added)
        if decision.cursor is not None:
            ledger.move_to(decision.cursor)
        if decision.leftover:
            text = "".join(s.text for s in decision.leftover).strip()
            closing = _closing_passed(ledger)
            entry = ledger.insert_at_cursor(ledger.new_entry(text, piece, _union(decision.leftover)))
            _report_closing(closing, entry, ledger, findings)
            said.add(entry, decision.leftover)
            ledger.record(piece, entry.id)
        else:
            ledger.record(piece, decision.target)


def _closing_passed(ledger: Ledger) -> int | None:
    """The closing passage that a passage kept now goes before, instead of after (None: none)."""
    anchor = ledger.anchor()
    return anchor if anchor in ledger.closing else None


def _report_closing(closing: int | None, entry: Entry, ledger: Ledger, findings: list[Finding]) -> None:
    """``order.closing``: the first passage a later block put after a closing passage went before it."""
    if closing is None or closing in ledger.closing_reported:
        return
    ledger.closing_reported.add(closing)
    kept = ledger.entries[closing]
    findings.append(
        _finding(
            Kind.ORDER,
            Action.CHANGED,
            kept.piece.first,
            kept.text,
            matched=entry.text,
            detail="a closing passage (a call to the reader) that ended its block kept last: "
            "the text a later block adds goes before it",
            rule="order.closing",
        )
    )
