"""The repeat rules: each reads a piece, the "was this said" index and the ledger, and returns a frozen
decision (:mod:`cleaner.repeats.decisions`) with its rule code. None of them changes anything (the
index fills its caches as it is asked, which changes no answer).

:func:`decide` tries them in order, commonest first:

``repeat.exact``       the passage is kept word for word already (the fast path: nothing is split);
``repeat.structure``   a heading or other structure line kept already;
(new text)            no sentence said before and few n-grams seen: kept as it is;
``repeat.short``       only sentences too short to judge, and the whole passage kept already;
``repeat.covered``     every sentence said already (``repeat.truncated``, ``repeat.restart`` and
                      ``flattened.copy`` name the kinds of such a copy);
``repeat.supersede``   the piece contains one kept passage and says more: it takes its place;
``repeat.near_longer`` a near-identical, longer version of a kept passage: it takes its place;
``repeat.near_version`` a near-identical version no longer than the kept one: dropped;
``repeat.reworded``    a later block's version of a kept passage, sentence for sentence, only reworded
                      (``しかし`` → ``ですが``), that would land next to it: the original's words stay;
``repeat.rewritten``   a later block's rewrite of the kept passage it would stand next to, in other
                      sentences (:mod:`cleaner.repeats.versions`): dropped, or in its place when it
                      says more;
``repeat.merge``       a retelling: its new sentences go next to the kept ones they extend
                      (:mod:`cleaner.repeats.retell`);
(the rest)            kept as a passage of its own without the sentences said before
                      (``repeat.sentences``).
"""

from __future__ import annotations

import collections

from rapidfuzz import fuzz

from cleaner import patterns
from cleaner.model import Action, Kind
from cleaner.options import Options
from cleaner.plan import TEXT, Piece, _finding
from cleaner.repeats.decisions import Decision, Drop, Keep, Merge, Supersede
from cleaner.repeats.ledger import CURSOR_MIN, Entry, Ledger, heads_section
from cleaner.repeats.retell import merge, strip_said
from cleaner.repeats.said import CANDIDATES, SaidIndex, Sentence, ranked, ranked_items
from cleaner.repeats.versions import rewritten, says_more
from cleaner.split import UnitKind

#: The containment share at which a kept passage counts as part of a fuller new one.
_CONTAINED = 0.9
#: Below this share of its n-grams seen before, a piece with no sentence said before is new text.
_NEW_SHARE = 0.25
#: A structure line (heading, quote, HTML) with a shorter compare key is never dropped as a repeat:
#: ``## まとめ`` recurs legitimately.
_STRUCTURE_MIN = 6
#: A copy whose sentences are said by at least this many kept passages retells the article (a restart,
#: or a flattened copy), rather than regenerating one passage.
_RETELLS_PASSAGES = 3
#: ...and is a flattened copy when it is after a marker or more than this many times the passage it
#: matches best (the article's paragraphs run together); otherwise a restart.
_FLATTENED_LENGTH = 2
#: A later block's passage with as many sentences as a kept one, each at least ``_REWORDED_SENTENCE``
#: alike and the whole at least ``_REWORDED_RATIO``, is that passage reworded (below the near-duplicate
#: threshold: ``しかし`` → ``ですが``, ``非常に`` → ``とても``); it says nothing more.
_REWORDED_RATIO = 70.0
_REWORDED_SENTENCE = 65.0
#: Passages shorter than this (compare key) are never judged rewordings: short lines recur legitimately.
_REWORDED_MIN = 30


def lands_next_to(kept: Entry, ledger: Ledger) -> bool:
    """Whether a passage kept now would stand right before or right after ``kept``.

    A reworded sentence far from its first version is often the article restating itself (an
    introduction announcing what its conclusion sums up); right next to it, it is a second version.
    """
    if ledger.cursor is None:
        return ledger.next_of.get(kept.id) is None
    return kept.id == ledger.cursor or ledger.next_of.get(ledger.cursor) == kept.id


def reworded(piece: Piece, key: str, kept: Entry) -> bool:
    """Whether ``piece`` is ``kept`` again from a later block, sentence for sentence, in other words.

    >>> from cleaner.split import Unit
    >>> def entry(text: str, block: int) -> Entry:
    ...     unit = Unit(0, block, 0, 1, text, "", UnitKind.PROSE, False)
    ...     return Entry(0, text, patterns.compare_key(text), set(), Piece(text, UnitKind.PROSE, unit, unit))
    >>> a = "しかし、新しい試みも始まっています。予約に応じて走るバスは、非常に評判が良いそうです。"
    >>> b = "ですが、新しい取り組みも始まっています。予約に合わせて走るバスは、とても評判が良いそうです。"
    >>> reworded(entry(b, 1).piece, patterns.compare_key(b), entry(a, 0))
    True
    >>> reworded(entry(b, 0).piece, patterns.compare_key(b), entry(a, 0))  # one block: not a version
    False
    """
    if piece.first.block <= kept.piece.last.block or min(len(key), len(kept.key)) < _REWORDED_MIN:
        return False
    mine = patterns.split_sentences(piece.text.strip())
    theirs = patterns.split_sentences(kept.text.strip())
    if len(mine) != len(theirs) or not fuzz.ratio(key, kept.key, score_cutoff=_REWORDED_RATIO):
        return False
    return all(
        fuzz.ratio(patterns.compare_key(a), patterns.compare_key(b), score_cutoff=_REWORDED_SENTENCE)
        for a, b in zip(mine, theirs, strict=True)
    )


def branch_point(piece: Piece, ledger: Ledger) -> int | None:
    """Where the new text of an alternative's block goes: after the passage holding the continuation
    the block branched from, when that passage is still kept."""
    if piece.anchor is None:
        return None
    held = ledger.entry_of(piece.anchor)
    if held is None:
        return None
    branch = ledger.current(held)
    return branch.id if branch.alive else None


def decide(piece: Piece, said: SaidIndex, ledger: Ledger, options: Options) -> Decision:
    """The decision about one piece, given what was kept before it."""
    if piece.kind not in TEXT:
        return structure(piece, said, ledger)
    key = said.passage_key(piece.text)
    owner = said.passage(key) if key else None
    if owner is not None:
        exact = exact_repeat(piece, key, ledger.current(owner))
        if exact is not None:
            return exact
    if not key:
        return keep(piece, [], said, ledger, options)
    sentences, covered_count, seen, size = judge_all(said.judged(piece.text))
    if not covered_count and seen < _NEW_SHARE * size:
        # No sentence said before and few n-grams seen (the common ones, ``ています``): new text, the
        # commonest case after exact repeats. Neither a near-identical version (its n-grams would
        # mostly be seen) nor a fuller one (its kept sentences would be said) can be among the kept
        # passages, so the candidate search below is skipped.
        piece_grams: set[int] = set().union(*(s.grams for s in sentences))
        version = rewritten_neighbour(piece, key, ledger) if seen else None
        if version is not None:
            return rewrite(piece, sentences, piece_grams, version, ledger, options)
        return Keep("keep.new", piece.text, piece_grams, key, tuple(sentences))
    deciding = [s for s in sentences if not s.neutral]
    if not deciding:
        owner = said.passage(key)
        if owner is not None and ledger.current(owner).alive:
            return drop(piece, Kind.DUPLICATE, ledger.current(owner), rule="repeat.short")
        return keep(piece, sentences, said, ledger, options)
    if all(s.covered for s in deciding):
        return covered(piece, key, deciding, ledger)
    grams: set[int] = set().union(*(s.grams for s in sentences))
    candidates = said.candidates(grams)
    # a kept passage owns most of its own n-grams, so few hits rule containment out cheaply
    contained = [
        ledger.entries[c]
        for c, hits in ranked_items(candidates)[:CANDIDATES]
        if ledger.entries[c].alive
        and ledger.entries[c].piece.kind is piece.kind
        and hits >= _CONTAINED * len(ledger.entries[c].grams) / 2
        and len(ledger.entries[c].grams & grams) >= _CONTAINED * len(ledger.entries[c].grams)
    ]
    if len(contained) == 1:
        pair = rewritten_pair(piece, sentences, contained[0], ledger)
        if pair is not None:
            return rewrite_pair(piece, sentences, grams, pair, contained[0], ledger, options)
        return supersede(piece, contained, sentences, grams, ledger, options, rule="repeat.supersede")
    # Several kept passages inside one piece: a flattened copy, which never replaces them; what it
    # says that they do not is placed next to them (``keep``).
    if candidates and not contained:
        best = ledger.entries[ranked(candidates)[0]]
        score = fuzz.ratio(key, best.key, score_cutoff=options.near_duplicate_ratio)
        if best.alive and best.piece.kind is piece.kind and score:
            if len(key) > len(best.key):
                return supersede(
                    piece, [best], sentences, grams, ledger, options, score, rule="repeat.near_longer"
                )
            cursor = best.id if len(best.key) >= CURSOR_MIN else None
            return drop(
                piece, Kind.NEAR_DUPLICATE, best, similarity=score, cursor=cursor, rule="repeat.near_version"
            )
        if (
            best.alive
            and best.piece.kind is piece.kind
            and lands_next_to(best, ledger)
            and reworded(piece, key, best)
        ):
            return drop(piece, Kind.NEAR_DUPLICATE, best, cursor=best.id, rule="repeat.reworded")
    # a piece that says some of its sentences again is a retelling (``keep`` merges it); a rewrite says
    # its passage in other sentences
    version = rewritten_neighbour(piece, key, ledger) if not covered_count else None
    if version is not None:
        return rewrite(piece, sentences, grams, version, ledger, options)
    return keep(piece, sentences, said, ledger, options, grams, key)


def _earlier_prose(entry: Entry, piece: Piece) -> bool:
    return entry.alive and entry.piece.kind is UnitKind.PROSE and entry.piece.last.block < piece.first.block


def rewritten_neighbour(piece: Piece, key: str, ledger: Ledger) -> Entry | None:
    """``repeat.rewritten``: the kept passage of an earlier block that ``piece`` would stand next to and
    that it rewrites in other sentences (:func:`cleaner.repeats.versions.rewritten`), if any."""
    if piece.kind is not UnitKind.PROSE or not piece.first.block or len(key) < _REWORDED_MIN:
        return None
    for neighbour in ledger.landing():
        if neighbour is None:
            continue
        kept = ledger.entries[neighbour]
        if _earlier_prose(kept, piece) and rewritten(piece.text, kept.text):
            return kept
    return None


def rewrite(
    piece: Piece, sentences: list[Sentence], grams: set[int], kept: Entry, ledger: Ledger, options: Options
) -> Drop | Supersede:
    """Of two versions, the earlier block's words stay, unless the later one says more: then it takes
    their place."""
    if says_more(piece.text, kept.text):
        return supersede(piece, [kept], sentences, grams, ledger, options, rule="repeat.rewritten")
    return drop(
        piece,
        Kind.NEAR_DUPLICATE,
        kept,
        cursor=kept.id,
        rule="repeat.rewritten",
        detail="a later block's rewrite of the kept passage it would stand next to, saying nothing more: "
        "the original's words stay",
    )


def rewritten_pair(piece: Piece, sentences: list[Sentence], contained: Entry, ledger: Ledger) -> Entry | None:
    """``repeat.rewritten`` of two passages: ``piece`` holds the kept passage ``contained`` after a
    rewrite of the kept passage right before it (``困難も伴います。…`` + the next paragraph again). Returns
    that passage before, or None."""
    if piece.kind is not UnitKind.PROSE or not piece.first.block or sentences[0].covered:
        return None
    before = ledger.prev_of.get(contained.id)
    if before is None:
        return None
    kept = ledger.entries[before]
    if not _earlier_prose(kept, piece) or not _earlier_prose(contained, piece):
        return None
    return kept if rewritten(piece.text, kept.text + contained.text) else None


def rewrite_pair(
    piece: Piece,
    sentences: list[Sentence],
    grams: set[int],
    before: Entry,
    contained: Entry,
    ledger: Ledger,
    options: Options,
) -> Drop | Supersede:
    """The two kept passages' words stay, unless ``piece`` says more than both: then it takes their
    place."""
    if says_more(piece.text, before.text + contained.text):
        pair = [before, contained]
        return supersede(piece, pair, sentences, grams, ledger, options, rule="repeat.rewritten")
    return drop(
        piece,
        Kind.NEAR_DUPLICATE,
        before,
        cursor=contained.id,
        rule="repeat.rewritten",
        detail="a later block's rewrite of a kept passage followed by the next kept passage again, "
        "saying nothing more: the original's words stay",
    )


def judge_all(judged: list[Sentence]) -> tuple[list[Sentence], int, int, int]:
    """A piece's judged sentences (a fresh list from the index, completed in place), with how many are
    said, the n-grams seen before and the n-grams in all. A sentence said a moment ago in this very
    piece counts as said: a model that restarted its paragraph mid-line."""
    earlier: set[str] = set()
    count = seen = size = 0
    for k, verdict in enumerate(judged):
        if not verdict.covered and verdict.key in earlier and not verdict.neutral:
            verdict = judged[k] = verdict._replace(covered=True)
        earlier.add(verdict.key)
        count += verdict.covered
        seen += verdict.hits
        size += len(verdict.grams)
    return judged, count, seen, size


def drop(
    piece: Piece,
    kind: Kind,
    match: Entry,
    *,
    rule: str,
    similarity: float | None = None,
    cursor: int | None = None,
    detail: str = "",
) -> Drop:
    if similarity is None:
        similarity = fuzz.ratio(patterns.compare_key(piece.text), match.key)
    finding = _finding(
        kind,
        Action.DROPPED,
        piece.first,
        piece.text,
        matched=match.text,
        similarity=similarity,
        detail=detail,
        rule=rule,
    )
    return Drop(rule, match.id, (finding,), cursor)


def exact_repeat(piece: Piece, key: str, match: Entry) -> Drop | None:
    """``repeat.exact``: the commonest repeat, a passage kept word for word; no sentence is split or
    judged. Text that follows it goes after it (a long one, or a list item however short)."""
    if not match.alive or match.key != key or match.piece.kind is not piece.kind:
        return None
    cursor = match.id if len(key) >= CURSOR_MIN or piece.kind is UnitKind.ITEM else None
    return drop(piece, Kind.DUPLICATE, match, similarity=100.0, cursor=cursor, rule="repeat.exact")


def structure(piece: Piece, said: SaidIndex, ledger: Ledger) -> Drop | Keep:
    """``repeat.structure``: a heading, quote or HTML line kept already goes; tables, rules and code
    are never compared. A kept heading is indexed: a flattened copy runs headings into its prose."""
    key = patterns.compare_key(piece.text)
    repeatable = piece.kind is UnitKind.STRUCTURE and not piece.text.lstrip().startswith("|")
    owner = said.passage(key) if repeatable and len(key) >= _STRUCTURE_MIN else None
    if owner is not None and ledger.current(owner).alive:
        return drop(piece, Kind.DUPLICATE, ledger.current(owner), rule="repeat.structure")
    grams = said.grams(key) if repeatable else set()
    sentences = (Sentence(piece.text, key, grams),) if repeatable and key else ()
    return Keep("keep.structure", piece.text, grams, key, sentences, indexed=bool(sentences))


def covered(piece: Piece, key: str, deciding: list[Sentence], ledger: Ledger) -> Drop:
    """Every sentence said already: the piece goes, matched with the passage that says most of it, and
    named by the kind of copy it is."""
    owners = [s.owner for s in deciding if s.owner is not None]
    counts = collections.Counter(owners)
    match = ledger.entries[ranked(counts)[0]]
    if key == match.key:
        kind, rule = Kind.DUPLICATE, "repeat.covered"
    elif match.key.startswith(key):
        kind, rule = Kind.TRUNCATED, "repeat.truncated"
    elif len(counts) >= _RETELLS_PASSAGES:
        flattened = piece.first.after_marker or len(piece.text) > _FLATTENED_LENGTH * len(match.text)
        kind, rule = (Kind.FLATTENED, "flattened.copy") if flattened else (Kind.RESTART, "repeat.restart")
    else:
        kind, rule = Kind.NEAR_DUPLICATE, "repeat.covered"
    last = ledger.entries[owners[-1]]
    # a list item repeated word for word is its old self, however short: what follows goes after it
    exact_item = piece.kind is UnitKind.ITEM and kind is Kind.DUPLICATE
    cursor = last.id if (len(key) >= CURSOR_MIN or exact_item) and last.alive else None
    return drop(piece, kind, match, cursor=cursor, rule=rule)


def supersede(
    piece: Piece,
    contained: list[Entry],
    sentences: list[Sentence],
    grams: set[int],
    ledger: Ledger,
    options: Options,
    similarity: float | None = None,
    *,
    rule: str,
) -> Supersede:
    """The new piece is a fuller version of ``contained``: it takes the place of the first of them."""
    first = contained[0] if len(contained) == 1 else min(contained, key=lambda e: ledger.position(e.id))
    owned = {e.id for e in contained}
    # said by the passage being replaced: kept here
    sentences = [
        s._replace(covered=False) if s.owner is not None and s.owner in owned else s for s in sentences
    ]
    text, stripped = strip_said(piece, sentences, options, ledger)
    key = patterns.compare_key(text)
    findings = list(stripped)
    for old in contained:
        score = similarity if similarity is not None else fuzz.ratio(old.key, key)
        findings.append(
            _finding(
                Kind.SUPERSEDED,
                Action.DROPPED,
                old.piece.first,
                old.text,
                matched=text,
                similarity=score,
                detail="a fuller version follows in the input; kept in this place",
                rule=rule,
            )
        )
    replaced = tuple(e.id for e in contained)
    return Supersede(
        rule, replaced, completion_place(first, ledger), text, grams, tuple(sentences), tuple(findings)
    )


def completion_place(first: Entry, ledger: Ledger) -> int:
    """Where a fuller version of ``first`` goes: in the place of the first, except when ``first`` is a cut
    sentence and the fuller one follows a heading or a bold lead-in kept after it; then it goes under
    that heading, which keeps its text under it (no text above its own heading)."""
    cursor = ledger.cursor
    if cursor is None or not patterns.ends_open(first.text):
        return first.id
    here = ledger.entries[cursor]
    if (
        here.alive
        and heads_section(here.text, here.piece.kind)
        and ledger.position(cursor) > ledger.position(first.id)
    ):
        return cursor
    return first.id


def keep(
    piece: Piece,
    sentences: list[Sentence],
    said: SaidIndex,
    ledger: Ledger,
    options: Options,
    grams: set[int] | None = None,
    key: str | None = None,
) -> Merge | Keep:
    """A retelling is merged into what it retells; anything else is kept as a passage of its own,
    without the sentences already said. ``grams`` and ``key``, when given, are those of the piece."""
    if options.drop_repeated_sentences:
        merged = merge(piece, sentences, said, ledger, options)
        if merged is not None:
            return merged
    text, findings = strip_said(piece, sentences, options, ledger)
    if text == piece.text:
        fresh = sentences
        if grams is None:
            grams = set().union(*(s.grams for s in sentences))
    else:
        fresh = [s for s in sentences if not (s.covered and not s.neutral)]
        grams, key = set().union(*(s.grams for s in fresh)), None
    return Keep("keep.rest", text, grams, key, tuple(fresh), findings=findings)
