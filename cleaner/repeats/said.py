"""The "was this said" index: which kept passage owns each sentence key, passage key and n-gram.

The repeat rules (:mod:`cleaner.repeats.rules`) ask it about a sentence (:meth:`NgramIndex.judge`:
said or not, by which passage, or a fuller version of which kept sentence) or a passage
(:meth:`NgramIndex.passage`, :meth:`NgramIndex.candidates`), and the apply step tells it about each
passage kept (:meth:`NgramIndex.add`). It is the hot path of the tool: exact keys are dict look-ups, the
rest goes through hashed character n-grams, so the cost stays linear in the text and rapidfuzz's
``ratio`` runs only on real candidates. :class:`SaidIndex` is the whole interface the rules use, so a
compiled implementation can replace this one without touching them.
"""

from __future__ import annotations

import collections
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from rapidfuzz import fuzz

from cleaner import patterns
from cleaner.options import Options
from cleaner.plan import TEXT
from cleaner.repeats.ledger import Entry, Ledger
from cleaner.split import UnitKind

#: The share of a sentence's n-grams said elsewhere above which its ``ratio`` to the sentences of the
#: passage owning them is worth computing.
_NEAR_SHARE = 0.5
#: How many passages sharing n-grams with a piece are looked at (most shared first).
CANDIDATES = 8


class Sentence(NamedTuple):
    """A sentence of a piece and, once judged, what the index knows of it. Immutable: judging makes a
    new one (a named tuple: thousands are made per post, and a tuple is the cheapest to make)."""

    text: str
    key: str
    grams: set[int]
    covered: bool = False  # said already (by ``owner``)
    neutral: bool = False  # too short to decide anything
    owner: int | None = None
    fuller_of: tuple[int, int] | None = None  # (entry, sentence index): a shorter version kept there
    hits: int = 0  # n-grams of this sentence already owned by kept passages


#: Makes a :class:`Sentence` from all eight fields in order, without the generated ``__new__`` (three
#: times slower: tens of thousands are made per post, here on the hot path only).
_make = tuple.__new__


class SaidIndex(Protocol):
    """What the repeat rules may ask of the index, and the one way to tell it about a kept passage."""

    def prepare(self, texts: Iterable[str]) -> None:
        """Split and hash many texts at once (a batch is cheaper than one text at a time)."""

    def sentences(self, text: str) -> list[Sentence]:
        """The sentences of ``text`` (with a compare key), not yet judged."""

    def passage_key(self, text: str) -> str:
        """The compare key of a whole piece."""

    def grams(self, key: str) -> set[int]:
        """The n-grams of one key."""

    def judge(self, sentence: Sentence) -> Sentence:
        """Whether a sentence was said, by which live passage, or which kept sentence it is fuller than."""

    def judged(self, text: str) -> list[Sentence]:
        """The sentences of ``text``, each judged (:meth:`judge`), in one call: the hot path."""

    def passage(self, key: str) -> int | None:
        """The passage first kept with this exact compare key (maybe replaced since: resolve it)."""

    def candidates(self, grams: set[int]) -> collections.Counter[int]:
        """Live passages sharing n-grams with ``grams``, with how many they share."""

    def gram_owners(self, key: str) -> set[int]:
        """The passages that own some n-gram of ``key``."""

    def owner_sentences(self, entry: Entry) -> list[Sentence]:
        """The sentences of a kept passage."""

    def add(self, entry: Entry, sentences: Iterable[Sentence]) -> None:
        """``entry`` says these sentences (and its n-grams and key) from now on."""

    def forget(self, entry: Entry) -> None:
        """``entry``'s text changed: its sentences are split again when next asked for."""


def ranked_items(counts: collections.Counter[int]) -> list[tuple[int, int]]:
    """Most common first, ties to the earliest passage. Never insertion order: the n-gram sets behind
    these counts iterate in an order that changes with each process's string hash seed."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def ranked(counts: collections.Counter[int]) -> list[int]:
    return [key for key, _ in ranked_items(counts)]


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
    """The character n-grams of each key, as 64-bit polynomial hashes computed for all keys in one pass
    (building the substrings one by one in Python cost about 0.4 µs a gram). A key shorter than
    ``size`` has one gram, itself. Equal n-grams get equal hashes in every process, whichever of the
    two ways (:data:`HASHING`) computed them.

    >>> a, b = gram_sets(["今日は晴れです", "明日も晴れです"], 3)
    >>> len(a), len(a & b)  # 晴れで and れです are shared
    (5, 2)
    """
    joined = "".join(keys)
    hashes = HASHING.hashes(joined, size)
    out: list[set[int]] = []
    start = 0
    for key in keys:
        length = len(key)
        out.append(set(hashes[start : start + length - size + 1]) if length >= size else {_short_hash(key)})
        start += length
    return out


def python_hashes(text: str, size: int) -> list[int]:
    """The polynomial hash of every ``size``-character window of ``text``, rolled in plain Python: the
    same values as :func:`numpy_hashes`, about five times slower a character but with nothing to import.

    >>> python_hashes("abcd", 3) == numpy_hashes("abcd", 3)
    True
    """
    codes = list(map(ord, text))
    if len(codes) < size:
        return []
    top = pow(_GRAM_BASE, size - 1, 1 << 64)  # the weight of the character leaving the window
    value = 0
    for code in codes[:size]:
        value = (value * _GRAM_BASE + code) & _GRAM_MASK
    out = [value]
    append = out.append
    for leaving, entering in zip(codes, codes[size:], strict=False):
        value = ((value - leaving * top) * _GRAM_BASE + entering) & _GRAM_MASK
        append(value)
    return out


def numpy_hashes(text: str, size: int) -> list[int]:
    """The polynomial hash of every ``size``-character window of ``text`` in one vectorised numpy pass."""
    import numpy as np  # about 0.1 s to import: only once a process has hashed enough text (HASHING)

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    windows = len(codes) - size + 1
    if windows <= 0:
        return []
    rolled = np.zeros(windows, dtype=np.uint64)
    base = np.uint64(_GRAM_BASE)
    for offset in range(size):
        rolled = rolled * base + codes[offset : offset + windows]
    hashes: list[int] = rolled.tolist()
    return hashes


#: Characters a process hashes in plain Python before it imports numpy for the rest: importing numpy
#: costs about 0.1 s and saves about 0.25 µs a character, so it pays after some 400,000 characters
#: (about 30 real posts). A one-file run (the pre-commit hook) never imports it.
PYTHON_BUDGET = 400_000


@dataclass(slots=True)
class Hashing:
    """Which way n-grams are hashed in this process: plain Python until :data:`PYTHON_BUDGET`
    characters were hashed (or numpy is loaded anyway), numpy after. Both give the same values, so
    the choice changes only the time: this is the one piece of process state of the engine, a cost
    counter that no result depends on."""

    python_chars: int = 0

    def hashes(self, text: str, size: int) -> list[int]:
        if "numpy" in sys.modules or self.python_chars >= PYTHON_BUDGET:
            return numpy_hashes(text, size)
        self.python_chars += len(text)
        return python_hashes(text, size)


#: The process's :class:`Hashing`.
HASHING = Hashing()


def _grams(key: str, size: int) -> set[int]:
    """The character n-grams of one key (see :func:`gram_sets`)."""
    return gram_sets([key], size)[0]


@dataclass(slots=True)
class NgramIndex:
    """The index in Python: dicts from sentence keys, passage keys and n-gram hashes to the passage that
    first said them, and caches of split sentences and n-grams. It reads the ledger to follow passages
    replaced since (aliases) and to skip dead ones."""

    options: Options
    ledger: Ledger
    sentence_owner: dict[str, int] = field(default_factory=dict)
    gram_owner: dict[int, int] = field(default_factory=dict)
    key_owner: dict[str, int] = field(default_factory=dict)
    gram_cache: dict[str, set[int]] = field(default_factory=dict)
    split_cache: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # text → raws, keys
    sentence_cache: dict[int, list[Sentence]] = field(default_factory=dict)  # entry → its sentences

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

    def sentences(self, text: str) -> list[Sentence]:
        split = self.split_cache.get(text)
        if split is None:
            self.prepare([text])
            split = self.split_cache[text]
        cache = self.gram_cache
        return [
            _make(Sentence, (raw, key, cache[key], False, False, None, None, 0))
            for raw, key in zip(*split, strict=True)
        ]

    def passage_key(self, text: str) -> str:
        split = self.split_cache.get(text)
        return "".join(split[1]) if split is not None else patterns.compare_key(text)

    def grams(self, key: str) -> set[int]:
        return _grams(key, self.options.gram)

    def passage(self, key: str) -> int | None:
        return self.key_owner.get(key)

    def judge(self, sentence: Sentence) -> Sentence:
        return self._verdict(sentence.text, sentence.key, sentence.grams)

    def judged(self, text: str) -> list[Sentence]:
        split = self.split_cache.get(text)
        if split is None:
            self.prepare([text])
            split = self.split_cache[text]
        cache, verdict = self.gram_cache, self._verdict
        return [verdict(raw, key, cache[key]) for raw, key in zip(*split, strict=True)]

    def _verdict(self, text: str, key: str, grams: set[int]) -> Sentence:
        """The judged sentence, made once (tens of thousands are judged per post)."""
        owner = self.sentence_owner.get(key)
        if owner is not None:
            if owner in self.ledger.alias:
                owner = self.ledger.resolve(owner)
            return _make(Sentence, (text, key, grams, True, False, owner, None, 0))
        hits = grams & self.gram_owner.keys()
        count = len(hits)
        if len(key) < self.options.min_sentence_chars:
            return _make(Sentence, (text, key, grams, False, True, None, None, count))
        if not count:
            return _make(Sentence, (text, key, grams, False, False, None, None, 0))
        size = len(grams)
        if count >= self.options.sentence_covered * size:
            owners = collections.Counter(map(self.gram_owner.__getitem__, hits))
            owner = self.ledger.resolve(ranked(owners)[0])
            return _make(Sentence, (text, key, grams, True, False, owner, None, count))
        if count >= _NEAR_SHARE * size:
            near = self._judge_near(text, key, grams, hits, count)
            if near is not None:
                return near
        if len(text.split()) > 1:
            said_by = self._judge_parts(text)
            if said_by is not None:
                return _make(Sentence, (text, key, grams, True, False, said_by, None, count))
        return _make(Sentence, (text, key, grams, False, False, None, None, count))

    def _judge_near(
        self, text: str, key: str, grams: set[int], hits: set[int], count: int
    ) -> Sentence | None:
        """A sentence with a word or two changed (``その真価を発揮する`` for ``その真価を存分に発揮する``)
        shares too few n-grams to count as said, but its ``ratio`` to a sentence of the passage that owns
        most of them reaches ``near_duplicate_ratio``. A version no longer than the kept one is said; a
        longer one is the fuller version of that sentence (``fuller_of``), which a retelling puts in its
        place (:func:`cleaner.repeats.rules.merge`). None when no kept sentence is that close."""
        owners = collections.Counter(map(self.gram_owner.__getitem__, hits))
        owner = self.ledger.current(ranked(owners)[0])
        if not owner.alive or owner.piece.kind not in TEXT:
            return None
        for index, part in enumerate(self.owner_sentences(owner)):
            if fuzz.ratio(key, part.key, score_cutoff=self.options.near_duplicate_ratio):
                if len(key) <= len(part.key):
                    return Sentence(text, key, grams, covered=True, owner=owner.id, hits=count)
                if owner.piece.kind is UnitKind.PROSE:
                    return Sentence(text, key, grams, fuller_of=(owner.id, index), hits=count)
                return _make(Sentence, (text, key, grams, False, False, None, None, count))
        return None

    def _judge_parts(self, text: str) -> int | None:
        """A sentence of a flattened copy can run two lines together: a heading or the title, a space,
        then the next paragraph's first sentence. The n-grams across the join belong to neither line, so
        such a sentence counts as said when each of its parts (of ``min_sentence_chars`` or more) is.
        Returns the passage that says most of it, or None."""
        parts = patterns.FLATTENED_JOIN.split(text)
        if len(parts) < 2:
            return None
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
                    return None
                owner = ranked(collections.Counter(map(self.gram_owner.__getitem__, hits)))[0]
            owners[self.ledger.resolve(owner)] += len(key)
        return ranked(owners)[0] if owners else None

    def candidates(self, grams: set[int]) -> collections.Counter[int]:
        raw = collections.Counter(map(self.gram_owner.__getitem__, grams & self.gram_owner.keys()))
        out: collections.Counter[int] = collections.Counter()
        for owner, count in ranked_items(raw)[:CANDIDATES]:
            out[self.ledger.resolve(owner)] += count
        return out

    def gram_owners(self, key: str) -> set[int]:
        owners = {self.gram_owner.get(g) for g in _grams(key, self.options.gram)}
        return {o for o in owners if o is not None}

    def owner_sentences(self, entry: Entry) -> list[Sentence]:
        parts = self.sentence_cache.get(entry.id)
        if parts is None:
            parts = self.sentence_cache[entry.id] = self.sentences(entry.text)
        return parts

    def add(self, entry: Entry, sentences: Iterable[Sentence]) -> None:
        for sentence in sentences:
            self.sentence_owner.setdefault(sentence.key, entry.id)
        fresh = entry.grams.difference(self.gram_owner)
        self.gram_owner.update(dict.fromkeys(fresh, entry.id))
        self.key_owner.setdefault(entry.key, entry.id)

    def forget(self, entry: Entry) -> None:
        self.sentence_cache.pop(entry.id, None)
