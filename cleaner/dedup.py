"""Near-duplicate articles across files: exact body hashes, MinHash LSH over character shingles, and
rapidfuzz to verify each candidate pair.

Everything here works on the *cleaned* body, compared without whitespace or Markdown emphasis, so a
post with ``---END---`` blocks and its cleaned twin, a flattened copy and a copy with other front
matter all meet. Per file only a :class:`Fingerprint` is kept (a digest, 128 MinHash values, a length
and a date): memory grows with the number of files, not with their text. Candidates from the LSH
index are verified by re-reading their text through a callback, so no text is held for the corpus.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz

from cleaner import patterns

if TYPE_CHECKING:
    from datasketch import MinHashLSH

# datasketch is imported where it is used: it loads scipy.integrate (0.7 s here), which a pre-commit hook
# or a run without cross-file duplicates never needs.

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
SHINGLE = 8
#: Keep one shingle in 2**SAMPLE_BITS, chosen by its hash, so that equal text keeps equal samples.
SAMPLE_BITS = 2
_P = np.uint64(0x100000001B3)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _identity(value: int) -> int:
    return value


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
    values = b""
    if len(hashes):
        from datasketch import MinHash

        minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_identity)
        minhash.update_batch(hashes.tolist())
        values = np.asarray(minhash.hashvalues, dtype=np.uint32).tobytes()
    return Fingerprint(path, digest, len(key), date, values)


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


@dataclass(slots=True)
class DuplicateIndex:
    """Collects fingerprints one at a time; :meth:`groups` verifies candidates and forms groups."""

    threshold: float = 0.6  # estimated Jaccard for an LSH candidate
    min_ratio: float = 85.0  # rapidfuzz ratio of the cleaned bodies for a verified duplicate
    prints: dict[str, Fingerprint] = field(default_factory=dict)
    by_digest: dict[str, str] = field(default_factory=dict)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    lsh: MinHashLSH = field(init=False)

    def __post_init__(self) -> None:
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(threshold=self.threshold, num_perm=NUM_PERM)

    def add(self, item: Fingerprint) -> None:
        """Index one file; candidate pairs with earlier files are noted (cost: one LSH query)."""
        if item.path in self.prints:
            return
        # the signature lives on in the LSH index only: keep 512 bytes a file, not two copies
        self.prints[item.path] = replace(item, hashvalues=b"")
        twin = self.by_digest.get(item.digest)
        if twin is not None:
            self.pairs.append((twin, item.path))
            return  # identical bodies: the twin already stands for this text in the index
        self.by_digest[item.digest] = item.path
        if not item.hashvalues:
            return
        from datasketch import LeanMinHash

        values = np.frombuffer(item.hashvalues, dtype=np.uint32)
        minhash = LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)
        for other in sorted(self.lsh.query(minhash)):
            self.pairs.append((str(other), item.path))
        self.lsh.insert(item.path, minhash)

    def groups(self, text_of: Callable[[str], str]) -> list[Group]:
        """Verify candidate pairs with rapidfuzz on the cleaned bodies and group the files."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        scores: dict[tuple[str, str], tuple[float, str]] = {}
        keys: dict[str, str] = {}

        def key(path: str) -> str:
            if path not in keys:
                keys[path] = patterns.compare_key(text_of(path))
            return keys[path]

        for a, b in self.pairs:
            pa, pb = self.prints[a], self.prints[b]
            if pa.digest == pb.digest:
                scores[(a, b)] = (100.0, "identical cleaned body")
            else:
                score = fuzz.ratio(key(a), key(b), score_cutoff=self.min_ratio)
                if not score:
                    continue
                scores[(a, b)] = (score, "near-identical cleaned body")
            parent[find(b)] = find(a)
        clusters: dict[str, list[str]] = {}
        for path in parent:
            clusters.setdefault(find(path), []).append(path)
        out = []
        for paths in clusters.values():
            if len(paths) < 2:
                continue
            ranked = sorted(paths, key=lambda p: (-self.prints[p].length, self.prints[p].date or "\uffff", p))
            canonical = ranked[0]
            members = []
            for other in ranked[1:]:
                score, reason = _best(scores, canonical, other, lambda a, b: fuzz.ratio(key(a), key(b)))
                members.append(Member(other, score, reason))
            out.append(Group(canonical, "most complete, then earliest date, then path", tuple(members)))
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
