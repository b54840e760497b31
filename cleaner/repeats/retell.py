"""``repeat.merge``: a retelling's new sentences go next to the kept sentences they extend.

A piece that mostly says again what kept passages say, with a sentence added or lengthened here and
there (``…ものでした。そのクオリティは確かに素晴らしい。しかし、…``), retells them. Each run of its new
sentences goes inside the kept passage, right after the kept sentence that precedes it in the piece (or
before the one that follows it), rather than into a paragraph of its own far from its context; a fuller
version of a kept sentence takes that sentence's place (``repeat.fuller_sentence``). Like every rule,
these functions only decide: :func:`cleaner.repeats.decisions.apply` rewrites the passages.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from cleaner import patterns
from cleaner.model import Action, Finding, Kind
from cleaner.options import Options
from cleaner.plan import Piece, _finding
from cleaner.repeats.decisions import Merge, Splice
from cleaner.repeats.ledger import CURSOR_MIN, Entry, Ledger
from cleaner.repeats.said import SaidIndex, Sentence
from cleaner.split import UnitKind

Anchor = tuple[int, int]  # (kept passage, index of one of its sentences)

#: Two sentences of which the shorter is less than this share of the longer are never versions of one
#: sentence, however well the shorter is found inside the longer (``partial_ratio``).
_VERSION_MIN_SHARE = 0.5


def versions(a: str, b: str, options: Options) -> bool:
    """Whether two sentence keys are versions of one sentence: near-identical (``ratio``), or the
    shorter, at least half as long, found almost whole in the longer (``partial_ratio``).

    >>> kept = "技術者にとっては、この競争はまさに腕の見せ所です。"
    >>> versions(kept, "技術者にとっては、この競争はまさに腕の見せ所であり、成長の機会です。", Options())
    True
    >>> versions("市場は拡大を続けています。", "規制の議論も各国で始まりました。", Options())
    False
    """
    threshold = options.near_duplicate_ratio
    if fuzz.ratio(a, b, score_cutoff=threshold):
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= _VERSION_MIN_SHARE * len(long) and bool(
        fuzz.partial_ratio(short, long, score_cutoff=threshold)
    )


def strip_said(
    piece: Piece,
    sentences: Sequence[Sentence],
    options: Options,
    ledger: Ledger,
    *,
    record_only: bool = False,
) -> tuple[str, tuple[Finding, ...]]:
    """``repeat.sentences``: the piece without the sentences said elsewhere, and the finding that
    records them. ``record_only``: the caller places the rest itself (a retelling)."""
    if not options.drop_repeated_sentences or (piece.kind is not UnitKind.PROSE and not record_only):
        return piece.text, ()  # a list item keeps its sentences: stripping one could take its marker
    said = [s for s in sentences if s.covered and not s.neutral]
    if not said:
        return piece.text, ()
    owner = ledger.entries[said[0].owner] if said[0].owner is not None else None
    finding = _finding(
        Kind.REPEATED_SENTENCES,
        Action.DROPPED,
        piece.first,
        "".join(s.text for s in said).strip(),
        matched=owner.text if owner else "",
        detail=f"{len(said)} of {len(sentences)} sentences already said",
        rule="repeat.sentences",
    )
    return "".join(s.text for s in sentences if not (s.covered and not s.neutral)).strip(), (finding,)


def locate(sentence: Sentence, kind: UnitKind, said: SaidIndex, ledger: Ledger) -> Anchor | None:
    """Where a said sentence stands in its live owner of ``kind``: ``(owner id, sentence index)``."""
    if sentence.owner is None:
        return None
    owner = ledger.entries[sentence.owner]
    if not owner.alive or owner.piece.kind is not kind:
        return None
    parts = said.owner_sentences(owner)
    if not parts or "".join(p.text for p in parts) != owner.text:
        return None  # a passage whose sentences do not rebuild it exactly is not spliced
    for index, part in enumerate(parts):
        if part.key == sentence.key:
            return owner.id, index
    index = max(range(len(parts)), key=lambda i: (len(parts[i].grams & sentence.grams), -i))
    return owner.id, index


def merge(
    piece: Piece, sentences: list[Sentence], said: SaidIndex, ledger: Ledger, options: Options
) -> Merge | None:
    """The merge of a retelling into the passages it retells, or None when the piece is not a
    retelling or nothing could be placed (it is then kept as a new paragraph).

    A last run that stops mid-sentence stays a passage of its own, so that the fragment check sees it;
    so does a run with no kept neighbour, and one that holds a flattened heading or list item.
    """
    said_before = [s for s in sentences if s.covered or s.fuller_of is not None]
    if not said_before:
        return None
    kind = piece.kind
    # a list item that opens with a kept item's words is another version of that item, however much
    # it adds; a paragraph must say again most of what it holds
    opens_item = kind is UnitKind.ITEM and locate(sentences[0], kind, said, ledger) is not None
    share = options.retold_share
    if not opens_item and sum(len(s.key) for s in said_before) < share * sum(len(s.key) for s in sentences):
        return None
    # a paragraph's sentence never replaces a list item's, nor back
    sentences = [
        s._replace(fuller_of=None)
        if s.fuller_of is not None and ledger.entries[s.fuller_of[0]].piece.kind is not kind
        else s
        for s in sentences
    ]
    anchors: list[Anchor | None] = [
        s.fuller_of if s.fuller_of is not None else locate(s, kind, said, ledger) if s.covered else None
        for s in sentences
    ]
    sentences, anchors = match_neighbours(sentences, anchors, said, ledger, options)
    places: dict[int, list[tuple[int, str, list[Sentence]]]] = {}  # owner → (index, how, run)
    leftover: list[Sentence] = []
    for sentence in sentences:
        if sentence.fuller_of is not None:
            owner, index = sentence.fuller_of
            places.setdefault(owner, []).append((index, "replace", [sentence]))
    start = 0
    while start < len(sentences):
        if sentences[start].covered or sentences[start].fuller_of is not None:
            start += 1
            continue
        end = start
        while end < len(sentences) and not (sentences[end].covered or sentences[end].fuller_of):
            end += 1
        run = sentences[start:end]
        place: tuple[int, int, str] | None = None
        # a run that ends mid-sentence is a fragment for ``trim_fragments``; one that holds a
        # flattened heading or list item would break the paragraph it went into
        if (end < len(sentences) or not patterns.ends_open(run[-1].text)) and not any(
            patterns.INLINE_STRUCTURE.search(s.text) for s in run
        ):
            before = anchors[start - 1] if start > 0 else None
            after = anchors[end] if end < len(sentences) else None
            if before is not None:
                place = (*before, "after")
            elif after is not None:
                place = (*after, "before")
        if place is None:
            leftover.extend(run)
        else:
            places.setdefault(place[0], []).append((place[1], place[2], run))
        start = end
    if not places:
        return None
    _, stripped = strip_said(piece, sentences, options, ledger, record_only=True)
    findings = list(stripped)
    splices: list[Splice] = []
    for owner_id, items in places.items():
        splice, made = _splice(ledger.entries[owner_id], items, piece, said)
        splices.append(splice)
        findings.extend(made)
    last = next((a for a in reversed(anchors) if a is not None), None)
    cursor: int | None = None
    if last is not None:
        rewritten = {s.owner: s.text for s in splices}
        text = rewritten.get(last[0])
        last_key = ledger.entries[last[0]].key if text is None else patterns.compare_key(text)
        if len(last_key) >= CURSOR_MIN:
            cursor = last[0]
    target = last[0] if last is not None else next(iter(places))
    return Merge("repeat.merge", tuple(splices), tuple(leftover), target, tuple(findings), cursor)


def match_neighbours(
    sentences: list[Sentence], anchors: list[Anchor | None], said: SaidIndex, ledger: Ledger, options: Options
) -> tuple[list[Sentence], list[Anchor | None]]:
    """A new sentence next to a said one is compared with the kept sentence it would stand beside:
    when the two are versions of one sentence (``…腕の見せ所です。`` and ``…腕の見せ所であり、自己成長
    の大きなチャンスです。``), the longer one takes that place and the other is said, so that the
    passage never holds both. Returns new lists of sentences and anchors."""
    sentences, anchors = list(sentences), list(anchors)
    for k, sentence in enumerate(sentences):
        if sentence.covered or sentence.fuller_of is not None:
            continue
        if k > 0 and anchors[k - 1] is not None:
            owner, index = anchors[k - 1]  # type: ignore[misc]
            beside = index + 1  # it would follow the anchor: the kept sentence after it
        elif k + 1 < len(sentences) and anchors[k + 1] is not None:
            owner, index = anchors[k + 1]  # type: ignore[misc]
            beside = index - 1  # it would precede the anchor: the kept sentence before it
        else:
            continue
        parts = said.owner_sentences(ledger.entries[owner])
        if not 0 <= beside < len(parts) or not versions(sentence.key, parts[beside].key, options):
            continue
        if len(sentence.key) > len(parts[beside].key):
            sentences[k] = sentence._replace(fuller_of=(owner, beside))
        else:
            sentences[k] = sentence._replace(covered=True, owner=owner)
        anchors[k] = (owner, beside)
    return sentences, anchors


def _splice(
    entry: Entry, items: list[tuple[int, str, list[Sentence]]], piece: Piece, said: SaidIndex
) -> tuple[Splice, list[Finding]]:
    """A kept passage's text with runs of new sentences put before, after or in place of its
    sentences, and a finding for each move."""
    parts = said.owner_sentences(entry)
    chunks: list[list[str]] = [[part.text] for part in parts]
    heads: list[list[str]] = [[] for _ in parts]
    added: list[Sentence] = []
    findings: list[Finding] = []
    for index, how, run in items:
        text = "".join(s.text for s in run).strip()
        added.extend(run)
        anchor = parts[index].text.strip()
        if how == "replace":
            chunks[index][0] = parts[index].text[: len(parts[index].text) - len(parts[index].text.lstrip())]
            chunks[index][0] += text
            findings.append(
                _finding(
                    Kind.SUPERSEDED,
                    Action.DROPPED,
                    piece.first,
                    anchor,
                    matched=text,
                    similarity=fuzz.ratio(parts[index].key, run[0].key),
                    detail="a fuller version of this sentence took its place",
                    rule="repeat.fuller_sentence",
                )
            )
            continue
        (chunks[index] if how == "after" else heads[index]).append(text)
        findings.append(
            _finding(
                Kind.MERGED,
                Action.CHANGED,
                piece.first,
                text,
                matched=anchor,
                detail=f"{len(run)} new sentence(s) of a retold passage placed {how} the kept sentence"
                f" they {'follow' if how == 'after' else 'precede'}",
                rule="repeat.merge",
            )
        )
    text = ""
    for head, chunk in zip(heads, chunks, strict=True):
        for piece_text in (*head, *chunk):
            latin = text and text[-1].isascii() and not text[-1].isspace() and piece_text[0].isascii()
            text += (" " if latin and not piece_text[0].isspace() else "") + piece_text
    return Splice(entry.id, text, tuple(added)), findings
