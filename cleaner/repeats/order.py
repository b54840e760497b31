"""Order: where the text a block goes on with is kept (issue 14 §5).

- A repeat moves the insertion point to the passage it repeats, so that what the block says next goes
  after it. Not across sections: when the block writes under one heading and the passage it repeats
  stands under another (neither that heading nor a bold lead-in line between them is the block's) or
  in the introduction, the block is not retelling that section, and what it says next belongs under
  its own heading (:func:`stay_in_section`).
- ``order.closing``: a closing passage (a call to the reader, ``さあ、あなたも…``) that ended its block
  stays last: the text a later block adds goes before it (:func:`closes_block` marks it; the ledger's
  :meth:`~cleaner.repeats.ledger.Ledger.landing` keeps it last; the apply step reports it), and once
  every block is decided it goes after the passages that stand after it (:func:`closings_last`).
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner import patterns
from cleaner.model import Action, Finding, Kind
from cleaner.plan import Piece, _finding
from cleaner.repeats.decisions import Decision, Drop, Merge, Supersede
from cleaner.repeats.ledger import Ledger, heads_section
from cleaner.split import UnitKind

#: How many kept passages back the heading of a repeated passage is looked for.
SECTION_LOOKBACK = 64
#: A closing passage's call to the reader is among its last sentences.
CLOSING_SENTENCES = 2


def heading_key(title: str) -> str:
    """What makes two headings one section: no number, no continuation mark, no markup.

    >>> heading_key("### 7. 投資家への示唆（続き）") == heading_key("**8. 投資家への示唆**")
    True
    """
    match = patterns.HEADING.match(title)
    text = match.group(2) if match else title
    text = patterns.CONTINUED_HEADING.sub("", text)
    return patterns.compare_key(patterns.SECTION_NUMBER.sub("", patterns.compare_key(text)))


def section_key(piece: Piece) -> str:
    """The heading key of ``piece`` when it is a heading or a bold lead-in line, else ""."""
    return heading_key(piece.text.strip()) if heads_section(piece.text, piece.kind) else ""


def stay_in_section(decision: Decision, section: str | None, ledger: Ledger) -> Decision:
    """``decision`` without its move of the insertion point when that move would leave the section the
    block writes under (``section``) for a passage under another heading."""
    if section is None:
        return decision
    if isinstance(decision, Supersede):
        target: int | None = decision.after
    elif isinstance(decision, Drop | Merge):
        target = decision.cursor
    else:
        return decision
    if target is None:
        return decision
    headings, start = ledger.headings_before(target, SECTION_LOOKBACK)
    if not headings and not start:
        return decision  # too far from any heading to tell
    if section in {heading_key(h.text.strip()) for h in headings}:
        return decision
    if isinstance(decision, Supersede):
        return decision._replace(follow=False)
    return decision._replace(cursor=None)


def is_closing(text: str) -> bool:
    """Whether a passage closes an article: a call to the reader among its last sentences.

    >>> is_closing("ここまで見てきました。さあ、あなたも始めてみませんか。")
    True
    >>> is_closing("さあ、始めましょう。手順は三つあります。まず道具をそろえます。最後に確かめます。")
    False
    """
    if patterns.ends_open(text):
        return False
    sentences = patterns.split_sentences(text.strip())
    return any(patterns.CLOSING_CALL.search(s) for s in sentences[-CLOSING_SENTENCES:])


def closes_block(pieces: Sequence[Piece], n: int) -> bool:
    """Whether ``pieces[n]`` is a closing passage that ends its block, with a later block after it."""
    piece = pieces[n]
    if piece.kind is not UnitKind.PROSE or n + 1 >= len(pieces):
        return False
    if pieces[n + 1].first.block == piece.last.block:
        return False
    return is_closing(piece.text)


def closings_last(ledger: Ledger, findings: list[Finding]) -> None:
    """``order.closing``: each closing passage that ended its block goes after every other passage, in
    the order they stand. One that is the first passage under its heading stays (moving it would leave
    the heading with nothing under it)."""
    if not ledger.closing:
        return
    ordered = ledger.ordered()
    closings = [e for e in ordered if e.id in ledger.closing]
    tail = [e.id for e in ordered[len(ordered) - len(closings) :]]
    if tail == [e.id for e in closings]:
        return  # already last
    for entry in closings:
        before = ledger.prev_of.get(entry.id)
        above = ledger.entries[before] if before is not None else None
        if above is not None and heads_section(above.text, above.piece.kind):
            continue
        following = ledger.next_of.get(entry.id)
        ledger.move_to_end(entry.id)
        if following is None or entry.id in ledger.closing_reported:
            continue
        ledger.closing_reported.add(entry.id)
        findings.append(
            _finding(
                Kind.ORDER,
                Action.CHANGED,
                entry.piece.first,
                entry.text,
                matched=ledger.entries[following].text,
                detail="a closing passage (a call to the reader) that ended its block moved after the text "
                "that stood after it",
                rule="order.closing",
            )
        )
