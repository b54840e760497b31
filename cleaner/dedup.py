"""Near-duplicate articles across files: exact body hashes, MinHash LSH over character shingles, and
rapidfuzz to verify each candidate pair.

Everything here works on the *cleaned* body, compared without whitespace or Markdown emphasis, so a
post with ``---END---`` blocks and its cleaned twin, a flattened copy and a copy with other front
matter all meet. Per file only a :class:`Fingerprint` is kept (a digest, a length and a date), and of
its 128 MinHash values only the LSH band keys: memory grows with the number of files (about 0.3 KB
each), not with their text. Candidates from the LSH buckets are verified by re-reading their text
through a callback, so no text is held for the corpus.
"""

from __future__ import annotations

import array
import functools
import hashlib
import itertools
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np
from rapidfuzz import fuzz

from cleaner import patterns

#: A file as the duplicate pass names it: a path locally, a fingerprint record on a cluster.
T = TypeVar("T", bound=Hashable)

# The signature is datasketch's MinHash ("affine32" scheme, seed SEED) computed here in numpy: the same
# values (a test compares them), without importing datasketch, which loads scipy (0.7 s a run), and
# without its Python call per shingle. The LSH banding is datasketch's choice of bands and rows, found
# by the same weighing of false positives and negatives (a test compares it for many thresholds).

NUM_PERM = 128
SEED = 1
SHINGLE = 8
#: Keep one shingle in 2**SAMPLE_BITS, chosen by its hash, so that equal text keeps equal samples.
SAMPLE_BITS = 2
#: Shingles per block of the signature: a block makes a shingles × NUM_PERM matrix, kept small enough
#: for the CPU cache.
MINHASH_CHUNK = 1024
#: Points of the numerical integration that weighs false positives against false negatives in
#: :func:`bands` (Simpson's rule; plenty for integrands this smooth).
INTEGRATION_POINTS = 2001
#: The MurmurHash3 32-bit finalizer datasketch pre-mixes every input hash with.
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_P = np.uint64(0x100000001B3)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What the duplicate stage keeps of one file."""

    path: str
    digest: str  # blake2b of the comparison key of the cleaned body
    length: int  # characters in that key: "the most complete" is the longest
    date: str  # the front matter date, as written ("" when absent)
    hashvalues: bytes  # MinHash signature, NUM_PERM uint32 (empty when the body is too short to shingle)


def shingle_hashes(key: str) -> np.ndarray:
    """Stable 32-bit hashes of a content-defined sample of the ``SHINGLE``-character shingles of ``key``.

    Python's ``hash`` is salted per process, so worker processes would disagree; this rolling hash is
    the same everywhere.
    """
    codes = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - SHINGLE + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = np.zeros(count, dtype=np.uint64)
        for offset in range(SHINGLE):
            h = h * _P + codes[offset : offset + count]
        h ^= h >> np.uint64(30)
        h *= _MIX1
        h ^= h >> np.uint64(27)
        h *= _MIX2
        h ^= h >> np.uint64(31)
    sample = h[(h & np.uint64((1 << SAMPLE_BITS) - 1)) == 0] >> np.uint64(32)
    return np.unique(sample)


def fingerprint(path: str, body: str, date: str = "") -> Fingerprint:
    """The fingerprint of a cleaned ``body``."""
    key = patterns.compare_key(body)
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()
    hashes = shingle_hashes(key)
    values = minhash(hashes).tobytes() if len(hashes) else b""
    return Fingerprint(path, digest, len(key), date, values)


def minhash(hashes: np.ndarray) -> np.ndarray:
    """The ``NUM_PERM`` MinHash values (uint32) of 32-bit shingle ``hashes``: datasketch's
    ``MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=identity)`` updated with them."""
    a, b = _permutations()
    values = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    mixed = _fmix32(hashes.astype(np.uint32))
    with np.errstate(over="ignore"):
        for start in range(0, len(mixed), MINHASH_CHUNK):
            block = mixed[start : start + MINHASH_CHUNK].reshape(-1, 1)
            np.minimum(values, (block * a + b).min(axis=0), out=values)
    return values


def _fmix32(hv: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX32
    with np.errstate(over="ignore"):
        hv = hv ^ (hv >> s1)
        hv = hv * m1
        hv = hv ^ (hv >> s2)
        hv = hv * m2
        mixed: np.ndarray = hv ^ (hv >> s3)
    return mixed


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine permutations ``h → a·h + b (mod 2**32)`` for ``NUM_PERM`` and ``SEED``, ``a``
    odd; drawn once."""
    generator = np.random.RandomState(SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


@dataclass(frozen=True, slots=True)
class Member:
    path: str
    similarity: float
    reason: str


@dataclass(frozen=True, slots=True)
class Group:
    """Files holding one article; ``canonical`` is the one to keep."""

    canonical: str
    why: str
    members: tuple[Member, ...]  # the others


@functools.cache
def bands(threshold: float) -> tuple[int, int]:
    """datasketch's choice of ``b`` bands of ``r`` rows for an LSH at ``threshold`` (estimated Jaccard):
    the pair that minimises the probability of a false positive (integrated below ``threshold``) plus
    that of a false negative (above it).

    >>> bands(0.6)
    (18, 7)
    """
    best, chosen = float("inf"), (0, 0)
    low = np.linspace(0.0, threshold, INTEGRATION_POINTS)
    high = np.linspace(threshold, 1.0, INTEGRATION_POINTS)
    for b in range(1, NUM_PERM + 1):
        for r in range(1, NUM_PERM // b + 1):
            positive = _simpson(1 - (1 - low**r) ** b, low)
            negative = _simpson((1 - high**r) ** b, high)
            if positive + negative < best:
                best, chosen = positive + negative, (b, r)
    return chosen


def _simpson(values: np.ndarray, xs: np.ndarray) -> float:
    """Simpson's rule over an odd number of evenly spaced points."""
    step = (xs[-1] - xs[0]) / (len(xs) - 1)
    return float(step / 3 * (values[0] + values[-1] + 4 * values[1:-1:2].sum() + 2 * values[2:-1:2].sum()))


def band_keys(hashvalues: bytes, b: int, r: int) -> np.ndarray:
    """One 64-bit key per band of a MinHash signature: two signatures share a key exactly when they
    agree on all ``r`` values of that band (up to a 64-bit hash collision, which verification catches)."""
    values = np.frombuffer(hashvalues, dtype=np.uint32)[: b * r].reshape(b, r).astype(np.uint64)
    with np.errstate(over="ignore"):
        key: np.ndarray = (values * _powers(r)).sum(axis=1, dtype=np.uint64)  # wraps modulo 2**64
    return key


@functools.cache
def _powers(r: int) -> np.ndarray:
    """``_P ** (r - 1), …, _P, 1`` modulo 2**64: a band's key is the polynomial hash of its values."""
    out = np.ones(r, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(r - 2, -1, -1):
            out[i] = out[i + 1] * _P
    return out


#: How many cleaned texts the second pass keeps for verifying candidate pairs (least recently used go;
#: about 50 MB at most). Pairs come in arrival order, so copies of nearby files hit the cache; a miss
#: re-reads and re-cleans a file.
KEY_CACHE = 2048

#: Candidate pairs verified between two progress calls of :meth:`DuplicateIndex.groups`.
PROGRESS_STEP = 16

#: A bucket with more files than this is verified as a chain (each file against the first and the one
#: before it), not as all pairs: 1,000 copies of one post would otherwise cost 500,000 comparisons.
BUCKET_ALL_PAIRS = 32


@dataclass(slots=True)
class DuplicateIndex:
    """Collects fingerprints one at a time; :meth:`groups` finds and verifies candidates and forms groups.

    The LSH is banded the way datasketch's ``MinHashLSH`` bands it (same ``b`` and ``r``), but each file
    keeps only its ``b`` band keys in one flat array: 144 bytes a file instead of the ~5.9 KB that a
    Python set per bucket costs (measured: 951 MB peak for 100,000 files with ``MinHashLSH``). Buckets are
    found in the second pass by sorting each band's keys, so nothing is compared pairwise while files
    stream in.
    """

    threshold: float = 0.6  # estimated Jaccard for an LSH candidate
    min_ratio: float = 85.0  # rapidfuzz ratio of the cleaned bodies for a verified duplicate
    prints: dict[str, Fingerprint] = field(default_factory=dict)
    by_digest: dict[str, str] = field(default_factory=dict)
    twins: list[tuple[str, str]] = field(default_factory=list)  # identical cleaned bodies
    _paths: list[str] = field(default_factory=list)  # files in the LSH, in arrival order
    _keys: array.array[int] = field(default_factory=lambda: array.array("Q"))  # b keys per file

    def add(self, item: Fingerprint) -> None:
        """Index one file: a dictionary lookup and ``b`` band keys, no comparison."""
        if item.path in self.prints:
            return
        self.prints[item.path] = replace(item, hashvalues=b"")
        twin = self.by_digest.get(item.digest)
        if twin is not None:
            self.twins.append((twin, item.path))
            return  # identical bodies: the twin already stands for this text in the index
        self.by_digest[item.digest] = item.path
        if not item.hashvalues:
            return
        self._paths.append(item.path)
        self._keys.frombytes(band_keys(item.hashvalues, *bands(self.threshold)).tobytes())

    def candidates(self) -> list[tuple[str, str]]:
        """Pairs of files sharing at least one band, earlier file first, in arrival order."""
        n = len(self._paths)
        if n < 2:
            return list(self.twins)
        b, _ = bands(self.threshold)
        keys = np.frombuffer(self._keys, dtype=np.uint64).reshape(n, b)
        found: set[tuple[int, int]] = set()
        for band in range(b):
            column = keys[:, band]
            order = np.argsort(column, kind="stable")
            ordered = column[order]
            edges = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
            starts = np.concatenate(([0], edges))
            ends = np.concatenate((edges, [n]))
            runs = ends - starts > 1
            for start, end in zip(starts[runs].tolist(), ends[runs].tolist(), strict=True):
                found.update(bucket_pairs(order[start:end].tolist()))  # ascending: the sort is stable
        del keys, column  # release the buffer, so that ``add`` may grow the array again
        pairs = [(self._paths[i], self._paths[j]) for i, j in sorted(found, key=lambda p: (p[1], p[0]))]
        return self.twins + pairs

    def groups(
        self, text_of: Callable[[str], str], progress: Callable[[int, int], None] | None = None
    ) -> list[Group]:
        """Verify candidate pairs with rapidfuzz on the cleaned bodies and group the files.

        ``progress(done, total)`` is called with 0 before the first pair and then every
        :data:`PROGRESS_STEP` pairs and at the end (the pass re-reads files: it can take a while)."""
        scores: dict[tuple[str, str], tuple[float, str]] = {}
        key = key_cache(text_of)

        pairs = self.candidates()
        if progress is not None:
            progress(0, len(pairs))
        for done, (a, b) in enumerate(pairs, start=1):
            if progress is not None and (done % PROGRESS_STEP == 0 or done == len(pairs)):
                progress(done, len(pairs))
            pa, pb = self.prints[a], self.prints[b]
            if pa.digest == pb.digest:
                scores[(a, b)] = (100.0, "identical cleaned body")
            else:
                score = fuzz.ratio(key(a), key(b), score_cutoff=self.min_ratio)
                if score:
                    scores[(a, b)] = (score, "near-identical cleaned body")
        prints = self.prints
        return form_groups(
            scores,
            lambda p: (-prints[p].length, prints[p].date or "\uffff", p),
            lambda a, b: fuzz.ratio(key(a), key(b)),
        )


def bucket_pairs(members: Sequence[T]) -> list[tuple[T, T]]:
    """The candidate pairs of one LSH bucket (``members`` in the order of the run): every pair, or for a
    bucket of more than :data:`BUCKET_ALL_PAIRS` files a chain (each against the first and the one
    before it), earlier file first.

    >>> bucket_pairs([1, 2, 3])
    [(1, 2), (1, 3), (2, 3)]
    """
    if len(members) <= BUCKET_ALL_PAIRS:
        return list(itertools.combinations(members, 2))
    return [(members[0], m) for m in members[1:]] + list(itertools.pairwise(members[1:]))


def key_cache(text_of: Callable[[T], str]) -> Callable[[T], str]:
    """The comparison key of a file's cleaned body (``text_of``), for the :data:`KEY_CACHE` files asked
    for last: bounded, so that verifying pairs holds at most that many keys however many candidate files
    there are (all of them would be ~25 KB each)."""

    @functools.lru_cache(maxsize=KEY_CACHE)
    def key(item: T) -> str:
        return patterns.compare_key(text_of(item))

    return key


#: How the canonical file of a group is chosen (:func:`form_groups`' ``rank``).
CANONICAL = "most complete, then earliest date, then path"


def form_groups(
    scores: dict[tuple[str, str], tuple[float, str]],
    rank: Callable[[str], tuple[int, str, str]],
    measure: Callable[[str, str], float],
) -> list[Group]:
    """The groups of files that the verified pairs (``scores``: pair → score, reason) join, by canonical
    file: the first of each group by ``rank`` (longest, then earliest date, then path), the others
    in that order with their score against it (``measure``, when no pair joined the two directly).
    The local run and the cluster's shuffle both form their groups here."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in scores:
        parent[find(b)] = find(a)
    clusters: dict[str, list[str]] = {}
    for path in parent:
        clusters.setdefault(find(path), []).append(path)
    out = []
    for paths in clusters.values():
        if len(paths) < 2:
            continue
        ranked = sorted(paths, key=rank)
        canonical = ranked[0]
        members = []
        for other in ranked[1:]:
            score, reason = _best(scores, canonical, other, measure)
            members.append(Member(other, score, reason))
        out.append(Group(canonical, CANONICAL, tuple(members)))
    return sorted(out, key=lambda g: g.canonical)


def _best(
    scores: dict[tuple[str, str], tuple[float, str]], a: str, b: str, measure: Callable[[str, str], float]
) -> tuple[float, str]:
    for pair in ((a, b), (b, a)):
        if pair in scores:
            return scores[pair]
    return measure(a, b), "same group through another member"


def find_groups(
    prints: Iterable[Fingerprint],
    text_of: Callable[[str], str],
    *,
    threshold: float = 0.6,
    min_ratio: float = 85.0,
) -> list[Group]:
    """Index ``prints`` and return the verified groups."""
    index = DuplicateIndex(threshold=threshold, min_ratio=min_ratio)
    for item in prints:
        index.add(item)
    return index.groups(text_of)
