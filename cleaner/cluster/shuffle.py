"""Duplicates across files on the cluster: the fingerprints stay on the workers and are grouped there.

The local pass (:class:`cleaner.dedup.DuplicateIndex`) does, in one process:

1. files with the same digest are twins of the first of them (in the order of the run); only that first
   one enters the LSH;
2. files sharing an LSH band key are candidates: every pair of a bucket of at most
   :data:`~cleaner.dedup.BUCKET_ALL_PAIRS` files, else a chain (each against the first and the one
   before it), earlier file first;
3. each candidate pair is verified with rapidfuzz on the cleaned bodies (twins score 100);
4. verified pairs join groups; the canonical file of a group is the most complete, then the earliest
   dated, then the first by path; each other member gets the score of its pair with the canonical file,
   measured when that pair was never a candidate.

Here the same steps run as a dask.bag graph over the fingerprint records the cleaning tasks left on the
workers: (1) is a groupby on the digest, (2) a groupby on (band, key), then a groupby on the pair to
verify each pair once, (3) a map over the pairs' partitions, which re-read and re-clean the files of
their pairs, and (4) one reduction on a worker, which returns only the groups. The client never holds a
fingerprint. The run's order is each file's sequence number, so the pairs, and hence the groups, are
exactly those of the local pass.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from cleaner.dedup import BUCKET_ALL_PAIRS, KEY_CACHE, Group, Member
from cleaner.options import Options

__all__ = ["Edge", "Print", "find_groups"]

#: Why a group's canonical file is canonical (the words of :meth:`cleaner.dedup.DuplicateIndex.groups`).
WHY = "most complete, then earliest date, then path"


class Print(NamedTuple):
    """What the duplicate stage keeps of one file, on a worker."""

    seq: int  # the file's place in the run
    name: str  # its path or URL (as findings name it; read again to verify a pair)
    output: str | None  # where its clean copy went
    digest: str
    length: int
    date: str
    keys: tuple[int, ...]  # LSH band keys; empty when the body is too short to shingle


class Edge(NamedTuple):
    """A verified pair, earlier file first."""

    first: Print
    second: Print
    score: float
    reason: str


Texts = Callable[[Print], str]


def find_groups(
    client: Any, prints: Sequence[Any], options: Options, text_of: Texts
) -> tuple[list[Group], dict[str, str | None]]:
    """The groups of duplicate files among the fingerprint records that the futures ``prints`` hold
    (lists of :class:`Print`), and where each non-canonical member's clean copy went.

    ``text_of`` gives a file's cleaned body on a worker (it must pickle)."""
    import dask.bag as db

    if not prints:
        return [], {}
    records = db.from_delayed(list(prints))
    by_digest = records.groupby(lambda p: p.digest, shuffle="tasks")
    split = by_digest.map(_twins_first)
    twins = split.map(lambda s: s[1]).flatten()
    entries = split.map(lambda s: s[0]).filter(lambda p: bool(p.keys)).map(_band_entries).flatten()
    buckets = entries.groupby(lambda e: e[0], shuffle="tasks")
    pairs = buckets.map(_bucket_pairs).flatten()
    unique = pairs.groupby(lambda pair: (pair[0].seq, pair[1].seq), shuffle="tasks").map(lambda kv: kv[1][0])
    verified = unique.map_partitions(_verify, options.duplicate_ratio, text_of)
    edges = db.concat([twins, verified])
    formed = edges.reduction(list, lambda parts: _form_groups(parts, text_of), split_every=False)
    future = client.compute(formed)
    result: tuple[list[Group], dict[str, str | None]] = future.result()
    return result


def _twins_first(item: tuple[str, list[Print]]) -> tuple[Print, list[Edge]]:
    """One digest's files: the first stands for them all; the others are its twins."""
    ordered = sorted(item[1], key=lambda p: p.seq)
    first = ordered[0]
    return first, [Edge(first, other, 100.0, "identical cleaned body") for other in ordered[1:]]


def _band_entries(record: Print) -> list[tuple[tuple[int, int], Print]]:
    return [((band, key), record) for band, key in enumerate(record.keys)]


def _bucket_pairs(item: tuple[Any, list[tuple[Any, Print]]]) -> list[tuple[Print, Print]]:
    """The candidate pairs of one LSH bucket, as :meth:`cleaner.dedup.DuplicateIndex.candidates` forms
    them."""
    members = sorted((record for _, record in item[1]), key=lambda p: p.seq)
    if len(members) < 2:
        return []
    if len(members) <= BUCKET_ALL_PAIRS:
        return list(itertools.combinations(members, 2))
    return [(members[0], m) for m in members[1:]] + list(itertools.pairwise(members[1:]))


def _verify(pairs: Iterable[tuple[Print, Print]], min_ratio: float, text_of: Texts) -> Iterator[Edge]:
    """The pairs whose cleaned bodies are near-identical (rapidfuzz ratio at least ``min_ratio``)."""
    from rapidfuzz import fuzz

    key = _Keys(text_of)
    for a, b in pairs:
        if a.digest == b.digest:
            yield Edge(a, b, 100.0, "identical cleaned body")
            continue
        score = fuzz.ratio(key(a), key(b), score_cutoff=min_ratio)
        if score:
            yield Edge(a, b, score, "near-identical cleaned body")


class _Keys:
    """The comparison keys of the files read last (at most :data:`~cleaner.dedup.KEY_CACHE`)."""

    def __init__(self, text_of: Texts) -> None:
        self.text_of = text_of
        self.keys: collections.OrderedDict[str, str] = collections.OrderedDict()

    def __call__(self, record: Print) -> str:
        from cleaner import patterns

        found = self.keys.get(record.name)
        if found is None:
            found = self.keys[record.name] = patterns.compare_key(self.text_of(record))
            if len(self.keys) > KEY_CACHE:
                self.keys.popitem(last=False)
        else:
            self.keys.move_to_end(record.name)
        return found


def _form_groups(parts: Iterable[list[Edge]], text_of: Texts) -> tuple[list[Group], dict[str, str | None]]:
    """Groups from the verified pairs, as :meth:`cleaner.dedup.DuplicateIndex.groups` forms them."""
    from rapidfuzz import fuzz

    parent: dict[str, str] = {}
    records: dict[str, Print] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    scores: dict[tuple[str, str], tuple[float, str]] = {}
    for edge in itertools.chain.from_iterable(parts):
        a, b = edge.first.name, edge.second.name
        records[a], records[b] = edge.first, edge.second
        scores[(a, b)] = (edge.score, edge.reason)
        parent[find(b)] = find(a)
    key = _Keys(text_of)
    clusters: dict[str, list[str]] = {}
    for path in parent:
        clusters.setdefault(find(path), []).append(path)
    groups: list[Group] = []
    outputs: dict[str, str | None] = {}
    for paths in clusters.values():
        if len(paths) < 2:
            continue
        ranked = sorted(paths, key=lambda p: (-records[p].length, records[p].date or "\uffff", p))
        canonical = ranked[0]
        members = []
        for other in ranked[1:]:
            found = scores.get((canonical, other)) or scores.get((other, canonical))
            if found is None:
                measured = fuzz.ratio(key(records[canonical]), key(records[other]))
                found = (measured, "same group through another member")
            members.append(Member(other, found[0], found[1]))
            outputs[other] = records[other].output
        groups.append(Group(canonical, WHY, tuple(members)))
    return sorted(groups, key=lambda g: g.canonical), outputs
