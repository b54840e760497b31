"""Which units continue, overlap, repeat, restart or replace earlier ones.

Two passes over the units of one body:

1. **Seams** (:func:`join_seams`). A unit that ends mid-sentence is joined with the next one when the
   next one overlaps its tail (``では、競合`` + ``競合他社との…``) or plainly continues it (``…が主張`` +
   ``する「高性能」は…``). Markers are strong hints: across a marker a weaker signal suffices than inside
   a block. A block that starts mid-sentence with nothing to continue is an alternative continuation of
   an earlier cut; its partial first sentence goes.
2. **Repeats** (:class:`Deduper`). Each piece is compared with what has been kept so far, sentence by
   sentence. Exact sentence keys are looked up in a dict; the rest through hashed character n-grams, so
   the cost stays linear in the text and rapidfuzz runs only on real candidates. A piece whose every
   sentence was already said is dropped; a piece that contains a kept one and says more replaces it in
   its place; a near-identical version (``ratio`` ≥ threshold) keeps the longer text; otherwise the piece
   is new and goes after the passage the block was retelling (the *cursor*), with sentences already
   said removed.

The result is a :class:`Plan`: the kept pieces in reading order, and a finding for everything else.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz

from cleaner import patterns
from cleaner.model import Action, Finding, Kind
from cleaner.options import Options
from cleaner.split import Split, Unit, UnitKind
from cleaner.structure.evidence import not_a_continuation, restart_key

#: Japanese particles and commas that never end a line of prose: a line that ends in one was cut.
_PARTICLE_END = tuple("のをにがはでとへやもて、,")
#: Units compared sentence by sentence; the others (headings, tables, code) only as exact repeats.
_TEXT = frozenset({UnitKind.PROSE, UnitKind.ITEM})
#: Passages shorter than this (compare key) move the cursor only when they are exact repeats.
_CURSOR_MIN = 30
#: The containment share at which a kept passage counts as part of a fuller new one.
_CONTAINED = 0.9
#: The longest overlap looked for at a seam.
_MAX_OVERLAP = 400
#: Below this share of its n-grams seen before, a piece with no sentence said before is new text.
_NEW_SHARE = 0.25
#: The share of a sentence's n-grams said elsewhere above which its ``ratio`` to the sentences of the
#: passage owning them is worth computing.
_NEAR_SHARE = 0.5


@dataclass(slots=True)
class Piece:
    """A unit, or several joined at seams; internal to this module."""

    text: str
    kind: UnitKind
    first: Unit
    last: Unit
    continuation: str = ""  # the text that continued a cut, if this piece was stitched
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


def _short(text: str, limit: int = 160) -> str:
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
    )


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


def join_seams(units: Sequence[Unit], options: Options) -> tuple[list[Piece], list[Finding]]:
    """Drop debris lines and join cut sentences with their continuation (pass 1)."""
    pieces: list[Piece] = []
    findings: list[Finding] = []
    continuations: list[tuple[str, Piece]] = []
    anchor: tuple[int, Piece] | None = None  # (block, piece) that an alternative continuation branches from
    opening = next((u for u in units if u.kind is UnitKind.PROSE), None)
    restart = patterns.compare_key(opening.text)[:12] if opening is not None else ""
    starts: set[str] = set()  # where earlier prose passages start: a line that starts so is a restart
    for unit in units:
        if unit.kind is not UnitKind.PROSE:
            pieces.append(Piece(unit.text, unit.kind, unit, unit))
            continue
        text = unit.text
        start = restart_key(text)
        if patterns.PROMPT_ECHO_HEADER.match(text):
            findings.append(_finding(Kind.PROMPT_ECHO, Action.DROPPED, unit, text, detail="prompt header"))
            continue
        if len(text) < 300 and patterns.CHATTER.match(text):
            findings.append(_finding(Kind.CHATTER, Action.DROPPED, unit, text))
            continue
        prev = pieces[-1] if pieces and pieces[-1].kind is UnitKind.PROSE else None
        body = patterns.RESUME_ELLIPSIS.sub("", text.strip()) if unit.after_marker else text
        if (
            prev is not None
            and patterns.ends_open(prev.text)
            # the body's first line restates the title: it never runs on into the text below it, and a
            # line that starts with it again is a restart, not a continuation
            and (unit.after_marker or prev.first is not opening)
            and not (len(restart) >= 6 and patterns.compare_key(body[: 4 * len(restart)]).startswith(restart))
        ):
            tail = prev.text.rstrip()
            minimum = options.min_overlap_chars if unit.after_marker else 4
            k = overlap_length(tail, body, minimum)
            if k:
                rest = body[k:]
                prev.text = tail + rest
                prev.last = unit
                prev.continuation = rest
                continuations.append((body, prev))
                findings.append(
                    _finding(
                        Kind.OVERLAP,
                        Action.CHANGED,
                        unit,
                        body[:k],
                        matched=tail,
                        detail="overlap stitched once",
                    )
                )
                continue
            strong = patterns.NEVER_OPENS.match(body) is not None or _ends_with_particle(tail)
            against = "" if patterns.NEVER_OPENS.match(body) else not_a_continuation(tail, body, starts)
            if against and not unit.after_marker:  # (a cut before a marker is reported with the fragments)
                findings.append(
                    _finding(
                        Kind.FRAGMENT_KEPT,
                        Action.REPORTED,
                        unit,
                        _short(tail, 60),
                        detail=f"not joined to the next line: {against}",
                    )
                )
            if not against and (strong or (unit.after_marker and patterns.starts_mid_sentence(body))):
                joiner = _joiner(tail, body)
                prev.text = tail + joiner + body
                prev.last = unit
                prev.continuation = body
                continuations.append((body, prev))
                findings.append(
                    _finding(
                        Kind.CONTINUATION,
                        Action.CHANGED,
                        unit,
                        _short(body, 60),
                        matched=tail,
                        detail="cut sentence joined",
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


def _versions(a: str, b: str, options: Options) -> bool:
    """Whether two sentence keys are versions of one sentence: near-identical (``ratio``), or the
    shorter, at least half as long, found almost whole in the longer (``partial_ratio``).

    >>> kept = "技術者にとっては、この競争はまさに腕の見せ所です。"
    >>> _versions(kept, "技術者にとっては、この競争はまさに腕の見せ所であり、成長の機会です。", Options())
    True
    >>> _versions("市場は拡大を続けています。", "規制の議論も各国で始まりました。", Options())
    False
    """
    threshold = options.near_duplicate_ratio
    if fuzz.ratio(a, b, score_cutoff=threshold):
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return 2 * len(short) >= len(long) and bool(fuzz.partial_ratio(short, long, score_cutoff=threshold))


def _ranked_items(counts: collections.Counter[int]) -> list[tuple[int, int]]:
    """Most common first, ties to the earliest passage. Never insertion order: the n-gram sets behind
    these counts iterate in an order that changes with each process's string hash seed."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _ranked(counts: collections.Counter[int]) -> list[int]:
    return [key for key, _ in _ranked_items(counts)]


@dataclass(slots=True)
class _Entry:
    """A kept piece inside the repeat pass."""

    id: int
    text: str
    key: str
    grams: set[int]
    piece: Piece
    alive: bool = True


#: Multiplier of the polynomial hash of n-grams (the 64-bit FNV prime); arithmetic wraps modulo 2**64.
_GRAM_BASE = 0x100000001B3
_GRAM_MASK = (1 << 64) - 1


def _short_hash(key: str) -> int:
    """The hash of a key shorter than the n-gram size: the same polynomial, tagged with the length."""
    value = 0
    for char in key:
        value = (value * _GRAM_BASE + ord(char)) & _GRAM_MASK
    return value ^ (len(key) << 56)


def gram_sets(keys: Sequence[str], size: int) -> list[set[int]]:
    """The character n-grams of each key, as 64-bit polynomial hashes computed for all keys in one
    numpy pass (building the substrings one by one in Python cost about 0.4 µs a gram). A key shorter
    than ``size`` has one gram, itself. Equal n-grams get equal hashes in every process.

    >>> a, b = gram_sets(["今日は晴れです", "明日も晴れです"], 3)
    >>> len(a), len(a & b)  # 晴れで and れです are shared
    (5, 2)
    """
    joined = "".join(keys)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    windows = len(codes) - size + 1
    hashes: list[int] = []
    if windows > 0:
        rolled = np.zeros(windows, dtype=np.uint64)
        base = np.uint64(_GRAM_BASE)
        for offset in range(size):
            rolled = rolled * base + codes[offset : offset + windows]
        hashes = rolled.tolist()
    out: list[set[int]] = []
    start = 0
    for key in keys:
        length = len(key)
        out.append(set(hashes[start : start + length - size + 1]) if length >= size else {_short_hash(key)})
        start += length
    return out


def _grams(key: str, size: int) -> set[int]:
    """The character n-grams of one key (see :func:`gram_sets`)."""
    return gram_sets([key], size)[0]


@dataclass(slots=True)
class _Sentence:
    text: str
    key: str
    grams: set[int]
    covered: bool = False
    neutral: bool = False
    owner: int | None = None
    fuller_of: tuple[int, int] | None = None  # (entry, sentence index): a shorter version kept there
    hits: int = 0  # n-grams of this sentence already owned by kept passages


@dataclass(slots=True)
class Deduper:
    """The repeat pass: keeps an order of passages and indexes of what they say."""

    options: Options
    entries: dict[int, _Entry] = field(default_factory=dict)
    next_of: dict[int, int | None] = field(default_factory=dict)
    prev_of: dict[int, int | None] = field(default_factory=dict)
    head: int | None = None
    tail: int | None = None
    cursor: int | None = None
    alias: dict[int, int] = field(default_factory=dict)
    sentence_owner: dict[str, int] = field(default_factory=dict)
    gram_owner: dict[int, int] = field(default_factory=dict)
    key_owner: dict[str, int] = field(default_factory=dict)
    gram_cache: dict[str, set[int]] = field(default_factory=dict)
    split_cache: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # text → raws, keys
    sentence_cache: dict[int, list[_Sentence]] = field(default_factory=dict)  # entry → its sentences
    piece_entry: dict[int, int] = field(default_factory=dict)  # id(piece) → entry that holds its text
    findings: list[Finding] = field(default_factory=list)
    _ids: int = 0

    # --- order ---------------------------------------------------------------------------------------

    def _resolve(self, entry_id: int) -> int:
        """The live entry that took the place of ``entry_id`` (itself when it was never replaced). Chains
        are compressed as they are walked: 3,000 versions of one paragraph make a chain 3,000 long."""
        alias = self.alias
        if entry_id not in alias:
            return entry_id
        root = entry_id
        while root in alias:
            root = alias[root]
        while entry_id in alias and alias[entry_id] != root:
            alias[entry_id], entry_id = root, alias[entry_id]
        return root

    def _insert_after(self, anchor: int | None, entry: _Entry) -> None:
        self.entries[entry.id] = entry
        if anchor is None or self.head is None:
            anchor = self.tail
        if anchor is None:
            self.head = self.tail = entry.id
            self.next_of[entry.id] = self.prev_of[entry.id] = None
            return
        following = self.next_of[anchor]
        self.next_of[anchor] = entry.id
        self.prev_of[entry.id] = anchor
        self.next_of[entry.id] = following
        if following is None:
            self.tail = entry.id
        else:
            self.prev_of[following] = entry.id

    def _remove(self, entry_id: int, replacement: int | None) -> None:
        before, after = self.prev_of.pop(entry_id), self.next_of.pop(entry_id)
        if before is None:
            self.head = after
        else:
            self.next_of[before] = after
        if after is None:
            self.tail = before
        else:
            self.prev_of[after] = before
        self.entries[entry_id].alive = False
        if replacement is not None:
            self.alias[entry_id] = replacement
        if self.cursor == entry_id:
            self.cursor = replacement if replacement is not None else before

    def ordered(self) -> list[_Entry]:
        out: list[_Entry] = []
        node = self.head
        while node is not None:
            out.append(self.entries[node])
            node = self.next_of[node]
        return out

    def _new_entry(
        self, text: str, piece: Piece, grams: set[int] | None = None, key: str | None = None
    ) -> _Entry:
        self._ids += 1
        key = patterns.compare_key(text) if key is None else key
        return _Entry(
            self._ids, text, key, grams if grams is not None else _grams(key, self.options.gram), piece
        )

    def _index(self, entry: _Entry, sentences: Iterable[_Sentence]) -> None:
        for sentence in sentences:
            self.sentence_owner.setdefault(sentence.key, entry.id)
        fresh = entry.grams.difference(self.gram_owner)
        self.gram_owner.update(dict.fromkeys(fresh, entry.id))
        self.key_owner.setdefault(entry.key, entry.id)

    # --- decisions -----------------------------------------------------------------------------------

    def _sentences(self, text: str) -> list[_Sentence]:
        split = self.split_cache.get(text)
        if split is None:
            self.prepare([text])
            split = self.split_cache[text]
        cache = self.gram_cache
        return [_Sentence(raw, key, cache[key]) for raw, key in zip(*split, strict=True)]

    def prepare(self, texts: Iterable[str]) -> None:
        """Split texts into sentences and compute the n-grams of the sentence keys not seen yet, all in
        one batch: ``classify`` passes every piece of the body at once."""
        missing: dict[str, None] = {}
        grams = self.gram_cache
        for text in texts:
            if text in self.split_cache:
                continue
            raws: list[str] = []
            keys: list[str] = []
            for raw in patterns.split_sentences(text):
                key = patterns.compare_key(raw)
                if key:
                    raws.append(raw)
                    keys.append(key)
                    if key not in grams:
                        missing[key] = None
                elif raws:
                    raws[-1] += raw
            self.split_cache[text] = (raws, keys)
        if missing:
            grams.update(zip(missing, gram_sets(list(missing), self.options.gram), strict=True))

    def _judge(self, sentence: _Sentence) -> None:
        owner = self.sentence_owner.get(sentence.key)
        if owner is not None:
            sentence.covered = True
            sentence.owner = self._resolve(owner) if owner in self.alias else owner
            return
        grams = sentence.grams
        hits = grams & self.gram_owner.keys()
        count = sentence.hits = len(hits)
        if len(sentence.key) < self.options.min_sentence_chars:
            sentence.neutral = True
            return
        if not count:
            return
        size = len(grams)
        if count >= self.options.sentence_covered * size:
            sentence.covered = True
            owners = collections.Counter(map(self.gram_owner.__getitem__, hits))
            sentence.owner = self._resolve(_ranked(owners)[0])
        elif count >= _NEAR_SHARE * size and self._judge_near(sentence, hits):
            return
        elif len(sentence.text.split()) > 1:
            self._judge_parts(sentence)

    def _judge_near(self, sentence: _Sentence, hits: set[int]) -> bool:
        """A sentence with a word or two changed (``その真価を発揮する`` for ``その真価を存分に発揮する``)
        shares too few n-grams to count as said, but its ``ratio`` to a sentence of the passage that owns
        most of them reaches ``near_duplicate_ratio``. A version no longer than the kept one is said; a
        longer one is the fuller version of that sentence (``fuller_of``), which a retelling puts in its
        place (``_merge``)."""
        owners = collections.Counter(map(self.gram_owner.__getitem__, hits))
        owner = self.entries[self._resolve(_ranked(owners)[0])]
        if not owner.alive or owner.piece.kind not in _TEXT:
            return False
        for index, part in enumerate(self._owner_sentences(owner)):
            if fuzz.ratio(sentence.key, part.key, score_cutoff=self.options.near_duplicate_ratio):
                if len(sentence.key) <= len(part.key):
                    sentence.covered, sentence.owner = True, owner.id
                elif owner.piece.kind is UnitKind.PROSE:
                    sentence.fuller_of = (owner.id, index)
                return True
        return False

    def _judge_parts(self, sentence: _Sentence) -> None:
        """A sentence of a flattened copy can run two lines together: a heading or the title, a space,
        then the next paragraph's first sentence. The n-grams across the join belong to neither line, so
        such a sentence counts as said when each of its parts (of ``min_sentence_chars`` or more) is."""
        parts = patterns.FLATTENED_JOIN.split(sentence.text)
        if len(parts) < 2:
            return
        owners: collections.Counter[int] = collections.Counter()
        for part in parts:
            key = patterns.compare_key(part)
            if len(key) < self.options.min_sentence_chars:
                continue
            owner = self.sentence_owner.get(key)
            if owner is None:
                grams = _grams(key, self.options.gram)
                hits = grams & self.gram_owner.keys()
                if len(hits) < self.options.sentence_covered * len(grams):
                    return
                owner = _ranked(collections.Counter(map(self.gram_owner.__getitem__, hits)))[0]
            owners[self._resolve(owner)] += len(key)
        if owners:
            sentence.covered, sentence.owner = True, _ranked(owners)[0]

    def feed(self, piece: Piece) -> None:
        """Decide about one piece in input order."""
        if piece.anchor is not None and id(piece.anchor) in self.piece_entry:
            branch = self.entries[self._resolve(self.piece_entry[id(piece.anchor)])]
            if branch.alive:
                self.cursor = branch.id
        if piece.kind not in _TEXT:
            self._feed_structure(piece)
            return
        split = self.split_cache.get(piece.text)
        key = "".join(split[1]) if split is not None else patterns.compare_key(piece.text)
        owner = self.key_owner.get(key) if key else None
        if owner is not None and self._exact_repeat(piece, key, self.entries[self._resolve(owner)]):
            return
        sentences = self._sentences(piece.text)
        if not key:
            self._keep(piece, [])
            return
        said = seen = size = 0
        earlier: set[str] = set()
        for sentence in sentences:
            self._judge(sentence)
            if not sentence.covered and sentence.key in earlier and not sentence.neutral:
                # said a moment ago in this very piece: a model that restarted its paragraph mid-line
                sentence.covered = True
            earlier.add(sentence.key)
            said += sentence.covered
            seen += sentence.hits
            size += len(sentence.grams)
        if not said and seen < _NEW_SHARE * size:
            # No sentence said before and few n-grams seen (the common ones, ``ています``): new text, the
            # commonest case after exact repeats. Neither a near-identical version (its n-grams would
            # mostly be seen) nor a fuller one (its kept sentences would be said) can be among the kept
            # passages, so the candidate search below is skipped.
            self._keep_new(piece, sentences, set().union(*(s.grams for s in sentences)), key)
            return
        deciding = [s for s in sentences if not s.neutral]
        if not deciding:
            owner = self.key_owner.get(key)
            if owner is not None and self.entries[self._resolve(owner)].alive:
                self._drop(piece, Kind.DUPLICATE, self.entries[self._resolve(owner)], move=False)
            else:
                self._keep(piece, sentences)
            return
        if all(s.covered for s in deciding):
            self._drop_covered(piece, key, deciding)
            return
        grams: set[int] = set().union(*(s.grams for s in sentences))
        raw = collections.Counter(map(self.gram_owner.__getitem__, grams & self.gram_owner.keys()))
        candidates: collections.Counter[int] = collections.Counter()
        for owner, count in _ranked_items(raw)[:8]:
            candidates[self._resolve(owner)] += count
        # a kept passage owns most of its own n-grams, so few hits rule containment out cheaply
        contained = [
            self.entries[c]
            for c, hits in _ranked_items(candidates)[:8]
            if self.entries[c].alive
            and self.entries[c].piece.kind is piece.kind
            and hits >= _CONTAINED * len(self.entries[c].grams) / 2
            and len(self.entries[c].grams & grams) >= _CONTAINED * len(self.entries[c].grams)
        ]
        if len(contained) == 1:
            self._supersede(piece, contained, sentences, grams)
            return
        # Several kept passages inside one piece: a flattened copy, which never replaces them; what it
        # says that they do not is placed next to them (``_keep``).
        if candidates and not contained:
            best = self.entries[_ranked(candidates)[0]]
            score = fuzz.ratio(key, best.key, score_cutoff=self.options.near_duplicate_ratio)
            if best.alive and best.piece.kind is piece.kind and score:
                if len(key) > len(best.key):
                    self._supersede(piece, [best], sentences, grams, score)
                else:
                    self._drop(piece, Kind.NEAR_DUPLICATE, best, similarity=score)
                return
        self._keep(piece, sentences, grams, key)

    def _exact_repeat(self, piece: Piece, key: str, match: _Entry) -> bool:
        """The fast path for the commonest repeat, a passage kept word for word (``duplicate``): no
        sentence is split or judged."""
        if not match.alive or match.key != key or match.piece.kind is not piece.kind:
            return False
        self._drop(piece, Kind.DUPLICATE, match, similarity=100.0, move=False)
        if len(key) >= _CURSOR_MIN or piece.kind is UnitKind.ITEM:
            self.cursor = match.id
        return True

    def _feed_structure(self, piece: Piece) -> None:
        key = patterns.compare_key(piece.text)
        repeatable = piece.kind is UnitKind.STRUCTURE and not piece.text.lstrip().startswith("|")
        owner = self.key_owner.get(key) if repeatable and len(key) >= 6 else None
        if owner is not None and self.entries[self._resolve(owner)].alive:
            self._drop(piece, Kind.DUPLICATE, self.entries[self._resolve(owner)], move=False)
            return
        entry = self._new_entry(piece.text, piece, None if repeatable else set())
        self._insert_after(self.cursor, entry)
        self.cursor = entry.id
        if repeatable and key:
            # a flattened copy runs headings and list items into its prose: what they say is said
            self._index(entry, [_Sentence(piece.text, key, entry.grams)])

    def _drop(
        self, piece: Piece, kind: Kind, match: _Entry, *, similarity: float | None = None, move: bool = True
    ) -> None:
        if similarity is None:
            similarity = fuzz.ratio(patterns.compare_key(piece.text), match.key)
        self.findings.append(
            _finding(kind, Action.DROPPED, piece.first, piece.text, matched=match.text, similarity=similarity)
        )
        self.piece_entry[id(piece)] = match.id
        if move and len(match.key) >= _CURSOR_MIN:
            self.cursor = match.id

    def _drop_covered(self, piece: Piece, key: str, deciding: list[_Sentence]) -> None:
        owners = [s.owner for s in deciding if s.owner is not None]
        counts = collections.Counter(owners)
        match = self.entries[_ranked(counts)[0]]
        if key == match.key:
            kind = Kind.DUPLICATE
        elif match.key.startswith(key):
            kind = Kind.TRUNCATED
        elif len(counts) >= 3:
            kind = (
                Kind.FLATTENED
                if piece.first.after_marker or len(piece.text) > 2 * len(match.text)
                else Kind.RESTART
            )
        else:
            kind = Kind.NEAR_DUPLICATE
        self._drop(piece, kind, match, move=False)
        last = self.entries[owners[-1]]
        # a list item repeated word for word is its old self, however short: what follows goes after it
        exact_item = piece.kind is UnitKind.ITEM and kind is Kind.DUPLICATE
        if (len(key) >= _CURSOR_MIN or exact_item) and last.alive:
            self.cursor = last.id

    def _strip_said(self, piece: Piece, sentences: list[_Sentence], *, record_only: bool = False) -> str:
        """Remove sentences already said elsewhere; record them. Returns the remaining text.
        ``record_only``: the caller places the rest itself (``_merge``); only the record is made."""
        if not self.options.drop_repeated_sentences or (piece.kind is not UnitKind.PROSE and not record_only):
            return piece.text  # a list item keeps its sentences: stripping one could take its marker
        said = [s for s in sentences if s.covered and not s.neutral]
        if not said:
            return piece.text
        owner = self.entries[said[0].owner] if said[0].owner is not None else None
        self.findings.append(
            _finding(
                Kind.REPEATED_SENTENCES,
                Action.DROPPED,
                piece.first,
                "".join(s.text for s in said).strip(),
                matched=owner.text if owner else "",
                detail=f"{len(said)} of {len(sentences)} sentences already said",
            )
        )
        return "".join(s.text for s in sentences if not (s.covered and not s.neutral)).strip()

    def _keep_new(self, piece: Piece, sentences: list[_Sentence], grams: set[int], key: str) -> None:
        """Keep a piece none of whose sentences was said, after the cursor, as it is."""
        entry = self._new_entry(piece.text, piece, grams, key)
        self._insert_after(self.cursor, entry)
        self.cursor = entry.id
        self.piece_entry[id(piece)] = entry.id
        self._index(entry, sentences)

    def _keep(
        self, piece: Piece, sentences: list[_Sentence], grams: set[int] | None = None, key: str | None = None
    ) -> None:
        """Keep a piece as a passage of its own, after the cursor, without the sentences already said.
        ``grams`` and ``key``, when given, are those of the whole piece."""
        if self.options.drop_repeated_sentences and self._merge(piece, sentences):
            return
        text = self._strip_said(piece, sentences)
        if text == piece.text:
            fresh = sentences
            if grams is None:
                grams = set().union(*(s.grams for s in sentences))
        else:
            fresh = [s for s in sentences if not (s.covered and not s.neutral)]
            grams, key = set().union(*(s.grams for s in fresh)), None
        entry = self._new_entry(text, piece, grams, key)
        self._insert_after(self.cursor, entry)
        self.cursor = entry.id
        self.piece_entry[id(piece)] = entry.id
        self._index(entry, fresh)

    def _owner_sentences(self, entry: _Entry) -> list[_Sentence]:
        parts = self.sentence_cache.get(entry.id)
        if parts is None:
            parts = self.sentence_cache[entry.id] = self._sentences(entry.text)
        return parts

    def _locate(self, sentence: _Sentence, kind: UnitKind = UnitKind.PROSE) -> tuple[int, int] | None:
        """Where a said sentence stands in its live owner of ``kind``: ``(owner id, sentence index)``."""
        if sentence.owner is None:
            return None
        owner = self.entries[sentence.owner]
        if not owner.alive or owner.piece.kind is not kind:
            return None
        parts = self._owner_sentences(owner)
        if not parts or "".join(p.text for p in parts) != owner.text:
            return None  # a passage whose sentences do not rebuild it exactly is not spliced
        for index, part in enumerate(parts):
            if part.key == sentence.key:
                return owner.id, index
        index = max(range(len(parts)), key=lambda i: (len(parts[i].grams & sentence.grams), -i))
        return owner.id, index

    def _merge(self, piece: Piece, sentences: list[_Sentence]) -> bool:
        """Put the new sentences of a retelling next to the kept sentences they follow.

        A piece that mostly says again what kept passages say, with a sentence added or lengthened here
        and there (``…ものでした。そのクオリティは確かに素晴らしい。しかし、…``), retells them. Each run of
        its new sentences goes inside the kept passage, right after the kept sentence that precedes it in
        the piece (or before the one that follows it), rather than into a paragraph of its own far from
        its context; a fuller version of a kept sentence takes that sentence's place. A last run that
        stops mid-sentence stays a passage of its own, so that the fragment check sees it; so does a run
        with no kept neighbour, and one that holds a flattened heading or list item. Returns False when
        the piece is not a retelling or nothing could be placed: it is then kept as a new paragraph.
        """
        said = [s for s in sentences if s.covered or s.fuller_of is not None]
        if not said:
            return False
        kind = piece.kind
        # a list item that opens with a kept item's words is another version of that item, however much
        # it adds; a paragraph must say again most of what it holds
        opens_item = kind is UnitKind.ITEM and self._locate(sentences[0], kind) is not None
        share = self.options.retold_share
        if not opens_item and sum(len(s.key) for s in said) < share * sum(len(s.key) for s in sentences):
            return False
        places: dict[int, list[tuple[int, str, list[_Sentence]]]] = {}  # owner → (index, how, run)
        leftover: list[_Sentence] = []
        for sentence in sentences:
            if sentence.fuller_of is not None and self.entries[sentence.fuller_of[0]].piece.kind is not kind:
                sentence.fuller_of = None  # a paragraph's sentence never replaces a list item's, nor back
        anchors: list[tuple[int, int] | None] = [
            s.fuller_of if s.fuller_of is not None else self._locate(s, kind) if s.covered else None
            for s in sentences
        ]
        self._match_neighbours(sentences, anchors)
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
            # a run that ends mid-sentence is a fragment for ``_trim_fragments``; one that holds a
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
            return False
        self._strip_said(piece, sentences, record_only=True)
        for owner_id, items in places.items():
            self._splice(self.entries[owner_id], items, piece)
        last = next((a for a in reversed(anchors) if a is not None), None)
        if last is not None and len(self.entries[last[0]].key) >= _CURSOR_MIN:
            self.cursor = last[0]
        if leftover:
            text = "".join(s.text for s in leftover).strip()
            entry = self._new_entry(text, piece, set().union(*(s.grams for s in leftover)))
            self._insert_after(self.cursor, entry)
            self.cursor = entry.id
            self._index(entry, leftover)
            self.piece_entry[id(piece)] = entry.id
        else:
            self.piece_entry[id(piece)] = last[0] if last is not None else next(iter(places))
        return True

    def _match_neighbours(self, sentences: list[_Sentence], anchors: list[tuple[int, int] | None]) -> None:
        """A new sentence next to a said one is compared with the kept sentence it would stand beside:
        when the two are versions of one sentence (``…腕の見せ所です。`` and ``…腕の見せ所であり、自己成長
        の大きなチャンスです。``), the longer one takes that place and the other is said, so that the
        passage never holds both. ``anchors`` is updated in place."""
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
            parts = self._owner_sentences(self.entries[owner])
            if not 0 <= beside < len(parts) or not _versions(sentence.key, parts[beside].key, self.options):
                continue
            if len(sentence.key) > len(parts[beside].key):
                sentence.fuller_of = (owner, beside)
            else:
                sentence.covered, sentence.owner = True, owner
            anchors[k] = (owner, beside)

    def _splice(self, entry: _Entry, items: list[tuple[int, str, list[_Sentence]]], piece: Piece) -> None:
        """Rewrite a kept passage with runs of new sentences put before, after or in place of its
        sentences, and record each move."""
        parts = self.sentence_cache.pop(entry.id)
        chunks: list[list[str]] = [[part.text] for part in parts]
        heads: list[list[str]] = [[] for _ in parts]
        added: list[_Sentence] = []
        for index, how, run in items:
            text = "".join(s.text for s in run).strip()
            added.extend(run)
            anchor = parts[index].text.strip()
            if how == "replace":
                chunks[index][0] = parts[index].text[
                    : len(parts[index].text) - len(parts[index].text.lstrip())
                ]
                chunks[index][0] += text
                self.findings.append(
                    _finding(
                        Kind.SUPERSEDED,
                        Action.DROPPED,
                        piece.first,
                        anchor,
                        matched=text,
                        similarity=fuzz.ratio(parts[index].key, run[0].key),
                        detail="a fuller version of this sentence took its place",
                    )
                )
                continue
            (chunks[index] if how == "after" else heads[index]).append(text)
            self.findings.append(
                _finding(
                    Kind.MERGED,
                    Action.CHANGED,
                    piece.first,
                    text,
                    matched=anchor,
                    detail=f"{len(run)} new sentence(s) of a retold passage placed {how} the kept sentence"
                    f" they {'follow' if how == 'after' else 'precede'}",
                )
            )
        text = ""
        for head, chunk in zip(heads, chunks, strict=True):
            for piece_text in (*head, *chunk):
                latin = text and text[-1].isascii() and not text[-1].isspace() and piece_text[0].isascii()
                text += (" " if latin and not piece_text[0].isspace() else "") + piece_text
        entry.text = text
        entry.key = patterns.compare_key(text)
        entry.grams = entry.grams | set().union(*(s.grams for s in added))
        self._index(entry, added)

    def _supersede(
        self,
        piece: Piece,
        contained: list[_Entry],
        sentences: list[_Sentence],
        grams: set[int],
        similarity: float | None = None,
    ) -> None:
        """The new piece is a fuller version of ``contained``: it takes the place of the first of them."""
        first = contained[0] if len(contained) == 1 else min(contained, key=lambda e: self._position(e.id))
        owned = {e.id for e in contained}
        for sentence in sentences:
            if sentence.owner is not None and sentence.owner in owned:
                sentence.covered = False  # said by the passage being replaced: keep it here
        text = self._strip_said(piece, sentences)
        entry = self._new_entry(text, piece, grams)
        self._insert_after(self._completion_place(first), entry)
        for old in contained:
            score = similarity if similarity is not None else fuzz.ratio(old.key, entry.key)
            self.findings.append(
                _finding(
                    Kind.SUPERSEDED,
                    Action.DROPPED,
                    old.piece.first,
                    old.text,
                    matched=entry.text,
                    similarity=score,
                    detail="a fuller version follows in the input; kept in this place",
                )
            )
            self._remove(old.id, entry.id)
        self.cursor = entry.id
        self.piece_entry[id(piece)] = entry.id
        self._index(entry, sentences)

    def _completion_place(self, first: _Entry) -> int:
        """Where a fuller version of ``first`` goes: in the place of the first, except when ``first`` is a
        cut sentence and the fuller one follows a heading or a bold lead-in kept after it: the heading
        keeps its text under it (issue 14: no text above its own heading)."""
        cursor = self.cursor
        if cursor is None or not patterns.ends_open(first.text):
            return first.id
        here = self.entries[cursor]
        heading = here.piece.kind is UnitKind.STRUCTURE and patterns.HEADING.match(here.text) is not None
        if (
            here.alive
            and (heading or patterns.BOLD_LINE.match(here.text))
            and self._position(cursor) > self._position(first.id)
        ):
            return cursor
        return first.id

    def _position(self, entry_id: int) -> int:
        steps = 0
        node = self.prev_of.get(entry_id)
        while node is not None:
            steps += 1
            node = self.prev_of[node]
        return steps


def _trim_fragments(deduper: Deduper, units: Sequence[Unit], findings: list[Finding]) -> list[Kept]:
    """A kept passage that stops mid-sentence right before a marker or the end was cut.

    If its unfinished sentence is said in full elsewhere, the fragment goes; if it is new it stays and
    is reported. Only the passages that own the fragment's n-grams are searched, so the cost does not
    grow with the square of the number of blocks.
    """
    cut_after = {u.index - 1 for u in units if u.after_marker} | {len(units) - 1}
    out: list[Kept] = []
    for entry in deduper.ordered():
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
        owners = {deduper.gram_owner.get(g) for g in _grams(key, deduper.options.gram)} - {None, entry.id}
        said = [
            deduper.entries[o]
            for o in sorted(o for o in owners if o is not None)
            if deduper.entries[o].alive and key and key in deduper.entries[o].key
        ]
        if said:
            findings.append(
                _finding(
                    Kind.FRAGMENT,
                    Action.DROPPED,
                    piece.last,
                    fragment.strip(),
                    matched=said[0].text,
                    similarity=100.0,
                    detail="cut fragment said in full elsewhere",
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
                _short(fragment, 80),
                detail="ends mid-sentence with nothing to continue it; kept",
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
                findings.append(_finding(Kind.DANGLING_RULE, Action.DROPPED, item.first, item.text.strip()))
                continue
        out.append(item)
    return out


def classify(split: Split, options: Options, *, repeats: bool) -> Plan:
    """Decide the canonical passages of one body.

    ``repeats`` turns on seam and repeat detection; without it the units pass through in order.
    """
    if not repeats:
        kept = [Kept(u.text, u, u, u.kind) for u in split.units]
        return Plan(tuple(kept), ())
    pieces, findings = join_seams(split.units, options)
    deduper = Deduper(options)
    deduper.prepare(p.text for p in pieces if p.kind in _TEXT)
    for piece in pieces:
        deduper.feed(piece)
    findings.extend(deduper.findings)
    kept = _trim_fragments(deduper, split.units, findings)
    kept = _drop_dangling_rules(kept, findings)
    return Plan(tuple(kept), tuple(findings))
