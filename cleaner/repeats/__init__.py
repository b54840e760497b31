"""The repeat pass: which pieces repeat, contain, retell or replace passages kept before them.

Each piece is compared with what has been kept so far, sentence by sentence, and decided by named
rules in input order:

- :mod:`cleaner.repeats.ledger`: the kept passages in reading order, aliases of replaced ones, and
  the insertion point (only the ledger moves it);
- :mod:`cleaner.repeats.said`: the "was this said, where, how closely" index (the hot path);
- :mod:`cleaner.repeats.rules` and :mod:`cleaner.repeats.retell`: rules that return frozen decisions
  with their rule codes and change nothing;
- :mod:`cleaner.repeats.decisions`: the decisions and :func:`~cleaner.repeats.decisions.apply`, the
  one step that carries a decision out and emits its findings.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.model import Finding
from cleaner.options import Options
from cleaner.plan import TEXT, Piece
from cleaner.repeats.decisions import apply
from cleaner.repeats.ledger import Ledger
from cleaner.repeats.order import closes_block, closings_last, section_key, stay_in_section
from cleaner.repeats.rules import branch_point, decide
from cleaner.repeats.said import NgramIndex

__all__ = ["find_repeats"]


def find_repeats(pieces: Sequence[Piece], options: Options) -> tuple[Ledger, NgramIndex, list[Finding]]:
    """Decide about each piece in input order; the ledger holds what is kept, in reading order."""
    ledger = Ledger()
    said = NgramIndex(options, ledger)
    said.prepare(p.text for p in pieces if p.kind in TEXT)
    findings: list[Finding] = []
    section: str | None = None  # the heading the current block writes under (None: not seen yet)
    for n, piece in enumerate(pieces):
        if n and piece.first.block != pieces[n - 1].last.block:
            section = None
        if piece.anchor is not None:
            branch = branch_point(piece, ledger)
            if branch is not None:
                ledger.move_to(branch)
        decision = stay_in_section(decide(piece, said, ledger, options), section, ledger)
        apply(decision, piece, ledger, said, findings)
        section = section_key(piece) or section
        if closes_block(pieces, n):
            held = ledger.entry_of(piece)
            if held is not None:
                ledger.closing.add(ledger.resolve(held))
    closings_last(ledger, findings)
    return ledger, said, findings
