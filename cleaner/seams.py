"""Seams: a unit that ends mid-sentence joined with the one that continues it (the first pass).

A unit that ends mid-sentence is joined with the next one when the next one overlaps its tail
(``では、競合`` + ``競合他社との…``) or plainly continues it (``…が主張`` + ``する「高性能」は…``). Markers
are strong hints: across a marker a weaker signal suffices than inside a block. A block that starts
mid-sentence with nothing to continue is an alternative continuation of an earlier cut; its partial
first sentence goes.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from cleaner import patterns
from cleaner.model import Action, Finding, Kind
from cleaner.options import Options
from cleaner.plan import Piece, _finding, _short
from cleaner.split import Unit, UnitKind
from cleaner.structure.evidence import not_a_continuation, restart_key

#: Japanese particles and commas that never end a line of prose: a line that ends in one was cut.
_PARTICLE_END = tuple("のをにがはでとへやもて、,")
#: The longest overlap looked for at a seam.
_MAX_OVERLAP = 400
#: The shortest overlap that joins two lines inside a block (no marker between them, so weaker evidence
#: than across a marker, where ``Options.min_overlap_chars`` applies).
_MIN_INNER_OVERLAP = 4
#: A reply of the model (``はい、承知いたしました。…``) is one short line; a longer line that starts the
#: same way is prose.
_CHATTER_MAX_CHARS = 300
#: The opening line's first characters (compare key) that, found again at a block's start, make it a
#: restart of the article rather than a continuation; shorter openings are too common to tell.
_RESTART_PREFIX = 12
_RESTART_MIN = 6
#: How much of a block's start (in multiples of the prefix) is compared with the opening.
_RESTART_SPAN = 4
#: The shortest cut sentence (compare key) whose full version, found elsewhere in the input, is taken as
#: evidence of how the cut goes on; shorter cuts (``その結果、``) start too many sentences to tell.
_SAID_CUT_MIN = 8
#: How many characters of the full version's continuation the next line must start with to continue it.
_SAID_NEXT = 2
#: Characters of a joined continuation shown in its finding.
_SHOWN_CONTINUATION = 60
#: How much of a cut sentence that evidence kept from joining the next line its finding shows.
_SHOWN_REFUSED = 60


_SAID_OTHERWISE = "the input says this sentence in full, and not so"


def overlap_length(tail: str, head: str, minimum: int) -> int:
    """Length of the longest suffix of ``tail`` that is a prefix of ``head`` (0 if below ``minimum``).

    Latin overlaps must be whole words, so that ``its`` + ``sales`` does not lose an ``s``; a kana or
    kanji doubled at a cut is almost never grammatical, so one character is evidence enough there.

    >>> overlap_length("では、競合", "競合他社との比較", 1)
    2
    >>> overlap_length("その目で確かめて", "ていきましょう。", 1)
    1
    >>> overlap_length("では、競合", "他社", 1)
    0
    >>> overlap_length("we turn to the rivals", "the rivals are close", 1)
    10
    >>> overlap_length("its", "sales grew", 1)
    0
    """
    longest = min(len(tail), len(head), _MAX_OVERLAP)
    for k in range(longest, minimum - 1, -1):
        if not tail.endswith(head[:k]):
            continue
        if head[0].isascii() and head[0].isalnum():
            starts_word = k == len(tail) or not tail[-k - 1].isalnum()
            ends_word = k == len(head) or not (head[k].isascii() and head[k].isalnum())
            if not (starts_word and ends_word):
                continue
        return k
    return 0


def _ends_with_particle(text: str) -> bool:
    return text.rstrip().endswith(_PARTICLE_END)


def _joiner(left: str, right: str) -> str:
    """Latin words cut at a seam get a space back; CJK text joins directly."""
    if (
        left
        and right
        and left[-1].isascii()
        and left[-1].isalnum()
        and right[0].isascii()
        and right[0].isalnum()
    ):
        return " "
    return ""


def said_otherwise(tail: str, body: str, keys: Sequence[str]) -> bool:
    """Whether the input says the cut sentence at the end of ``tail`` in full, and not as ``body`` goes on.

    The article itself then shows how the cut continues: a next line that starts otherwise is
    unrelated text, whatever a particle at the cut suggests (rule ``seam.said_otherwise``).

    >>> said_otherwise("今回の献立の狙いは", "子どもたちの感想も集められています。",
    ...                ["今回の献立の狙いは、野菜を食べやすくすることです。"])
    True
    >>> said_otherwise("今回の献立の狙いは", "、野菜を食べやすくすることです。",
    ...                ["今回の献立の狙いは、野菜を食べやすくすることです。"])
    False
    >>> said_otherwise("今回の献立の狙いは", "子どもたちの感想も集められています。", [])
    False
    """
    cut = patterns.compare_key((patterns.split_sentences(tail.rstrip())[-1:] or [tail])[0])
    if len(cut) < _SAID_CUT_MIN:
        return False
    head = patterns.compare_key(body[: 4 * _SAID_NEXT])[:_SAID_NEXT]
    found = False
    for key in keys:
        at = key.find(cut)
        while at >= 0:
            rest = key[at + len(cut) : at + len(cut) + _SAID_NEXT]
            if len(rest) == _SAID_NEXT:
                if rest == head:
                    return False
                found = True
            at = key.find(cut, at + 1)
    return found


def join_seams(units: Sequence[Unit], options: Options) -> tuple[list[Piece], list[Finding]]:
    """Drop debris lines and join cut sentences with their continuation (pass 1)."""
    pieces: list[Piece] = []
    findings: list[Finding] = []
    continuations: list[tuple[str, Piece]] = []
    anchor: tuple[int, Piece] | None = None  # (block, piece) that an alternative continuation branches from
    opening = next((u for u in units if u.kind is UnitKind.PROSE), None)
    restart = patterns.compare_key(opening.text)[:_RESTART_PREFIX] if opening is not None else ""
    starts: set[str] = set()  # where earlier prose passages start: a line that starts so is a restart
    keys = [patterns.compare_key(u.text) for u in units if u.kind is UnitKind.PROSE]
    for unit in units:
        if unit.kind is not UnitKind.PROSE:
            pieces.append(Piece(unit.text, unit.kind, unit, unit))
            continue
        text = unit.text
        start = restart_key(text)
        if patterns.PROMPT_ECHO_HEADER.match(text):
            findings.append(
                _finding(
                    Kind.PROMPT_ECHO, Action.DROPPED, unit, text, detail="prompt header", rule="echo.prompt"
                )
            )
            continue
        if len(text) < _CHATTER_MAX_CHARS and patterns.CHATTER.match(text):
            findings.append(_finding(Kind.CHATTER, Action.DROPPED, unit, text, rule="chatter.reply"))
            continue
        prev = pieces[-1] if pieces and pieces[-1].kind is UnitKind.PROSE else None
        body = patterns.RESUME_ELLIPSIS.sub("", text.strip()) if unit.after_marker else text
        if (
            prev is not None
            and patterns.ends_open(prev.text)
            # the body's first line restates the title: it never runs on into the text below it, and a
            # line that starts with it again is a restart, not a continuation
            and (unit.after_marker or prev.first is not opening)
            and not (
                len(restart) >= _RESTART_MIN
                and patterns.compare_key(body[: _RESTART_SPAN * len(restart)]).startswith(restart)
            )
        ):
            tail = prev.text.rstrip()
            minimum = options.min_overlap_chars if unit.after_marker else _MIN_INNER_OVERLAP
            k = overlap_length(tail, body, minimum)
            if k:
                rest = body[k:]
                prev.text = tail + rest
                prev.last = unit
                continuations.append((body, prev))
                findings.append(
                    _finding(
                        Kind.OVERLAP,
                        Action.CHANGED,
                        unit,
                        body[:k],
                        matched=tail,
                        detail="overlap stitched once",
                        rule="seam.overlap",
                    )
                )
                continue
            strong = patterns.NEVER_OPENS.match(body) is not None or _ends_with_particle(tail)
            against = "" if patterns.NEVER_OPENS.match(body) else not_a_continuation(tail, body, starts)
            # a next line that may start a sentence, after a cut that the input says otherwise
            if (
                not against
                and strong
                and not patterns.starts_mid_sentence(body)
                and said_otherwise(tail, body, keys)
            ):
                against = _SAID_OTHERWISE
            said = against == _SAID_OTHERWISE
            # (a cut before a marker is reported with the fragments, unless the input says it in full)
            if against and (said or not unit.after_marker):
                findings.append(
                    _finding(
                        Kind.FRAGMENT_KEPT,
                        Action.REPORTED,
                        unit,
                        _short(tail, _SHOWN_REFUSED),
                        detail=f"not joined to the next line: {against}",
                        rule="seam.said_otherwise" if said else "seam.refused",
                    )
                )
            if not against and (strong or (unit.after_marker and patterns.starts_mid_sentence(body))):
                joiner = _joiner(tail, body)
                prev.text = tail + joiner + body
                prev.last = unit
                continuations.append((body, prev))
                findings.append(
                    _finding(
                        Kind.CONTINUATION,
                        Action.CHANGED,
                        unit,
                        _short(body, _SHOWN_CONTINUATION),
                        matched=tail,
                        detail="cut sentence joined",
                        rule="seam.continuation",
                    )
                )
                continue
        if unit.after_marker and patterns.starts_mid_sentence(body):
            # Continues a cut that was already continued: a second version of a passage the first
            # continuation completed. It goes as a whole; what its block says next belongs after the
            # first continuation, where the block branched off.
            sentences = patterns.split_sentences(body)
            head = sentences[0]
            if continuations:
                best, branch = max(continuations, key=lambda c: fuzz.ratio(c[0][: len(head)], head))
                anchor = (unit.block, branch)
                findings.append(
                    _finding(
                        Kind.ALTERNATIVE,
                        Action.DROPPED,
                        unit,
                        body,
                        matched=best,
                        similarity=fuzz.ratio(patterns.compare_key(best), patterns.compare_key(body)),
                        detail="alternative continuation of a cut already continued",
                        rule="seam.alternative",
                    )
                )
                continue
            # nothing to be an alternative of: only the partial first sentence cannot stand alone
            findings.append(
                _finding(
                    Kind.FRAGMENT,
                    Action.DROPPED,
                    unit,
                    head,
                    detail="starts mid-sentence; nothing it continues",
                    rule="fragment.unjoined",
                )
            )
            body = "".join(sentences[1:]).lstrip()
            if not body:
                continue
        if start:
            starts.add(start)
        piece = Piece(body if unit.after_marker else text, UnitKind.PROSE, unit, unit)
        if anchor is not None and anchor[0] == unit.block:
            piece.anchor = anchor[1]
        anchor = None
        pieces.append(piece)
    return pieces, findings
