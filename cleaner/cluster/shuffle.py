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

import functools
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from cleaner.dedup import Group, bucket_pairs, form_groups, key_cache
from cleaner.options import Options

__all__ = ["Edge", "Print", "find_groups"]


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
Side = tuple[tuple[int, int], int, str, tuple[Print, Print]]  # pair, which file of it, its key, the pair


def find_groups(
    client: Any, prints: Sequence[Any], options: Options, text_of: Texts
) -> tuple[list[Group], dict[str, str | None]]:
    """The groups of duplicate files among the fingerprint records that the futures ``prints`` hold
    (lists of :class:`Print`), and where each non-canonical member's clean copy went.

    ``text_of`` gives a file's cleaned body on a worker (it must pickle)."""
    import dask.bag as db

    if not prints:
        return [], {}
    threads = max(1, sum(client.nthreads().values()))
    # few partitions: a task shuffle costs about partitions² tasks, and each holds only small records
    partitions = max(2 * threads, len(prints) // RECORDS_PER_PARTITION)
    records = db.from_delayed(list(prints)).repartition(npartitions=min(partitions, len(prints)))

    def grouped(bag: Any, key: Callable[[Any], Any]) -> Any:
        return bag.groupby(key, shuffle="tasks", npartitions=partitions)

    split = grouped(records, _digest).map(_twins_first)
    twins = split.map(_second).flatten()
    entries = split.map(_first).filter(_has_keys).map(_band_entries).flatten()
    pairs = grouped(entries, _first).map(_bucket_pairs).flatten()
    sides = grouped(pairs.map(_sides).flatten(), _first).map(_read_side, text_of).flatten()
    verified = grouped(sides, _first).map(_verify, options.duplicate_ratio).filter(_is_edge)
    edges = db.concat([twins, verified])
    formed = edges.reduction(list, functools.partial(_form_groups, text_of=text_of), split_every=False)
    result: tuple[list[Group], dict[str, str | None]] = client.compute(formed).result()
    return result


#: Batches of fingerprint records per partition of the shuffle (beyond two partitions per thread).
RECORDS_PER_PARTITION = 64


def _first(item: Any) -> Any:
    return item[0]


def _second(item: Any) -> Any:
    return item[1]


def _digest(record: Print) -> str:
    return record.digest


def _has_keys(record: Print) -> bool:
    return bool(record.keys)


def _is_edge(edge: Edge | None) -> bool:
    return edge is not None


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
    return bucket_pairs(sorted((record for _, record in item[1]), key=lambda p: p.seq))


def _sides(pair: tuple[Print, Print]) -> list[tuple[int, tuple[Print, Print]]]:
    """A candidate pair, sent to both of its files (each file's text is read once, where its pairs meet)."""
    return [(pair[0].seq, pair), (pair[1].seq, pair)]


def _read_side(item: tuple[int, list[tuple[int, tuple[Print, Print]]]], text_of: Texts) -> list[Side]:
    """One file's candidate pairs (each once), with the file's comparison key for each."""
    from cleaner import patterns

    seq, found = item
    pairs = {(a.seq, b.seq): (a, b) for _, (a, b) in found}
    record = next(iter(pairs.values()))
    me = record[0] if record[0].seq == seq else record[1]
    key = patterns.compare_key(text_of(me))
    return [(ids, 0 if pair[0].seq == seq else 1, key, pair) for ids, pair in pairs.items()]


def _verify(
    item: tuple[Any, list[tuple[Any, int, str, tuple[Print, Print]]]], min_ratio: float
) -> Edge | None:
    """A candidate pair verified: near-identical when the rapidfuzz ratio of the cleaned bodies is at
    least ``min_ratio``; None when it is not."""
    from rapidfuzz import fuzz

    keys = {side: key for _, side, key, _ in item[1]}
    a, b = item[1][0][3]
    if a.digest == b.digest:
        return Edge(a, b, 100.0, "identical cleaned body")
    score = fuzz.ratio(keys[0], keys[1], score_cutoff=min_ratio)
    return Edge(a, b, score, "near-identical cleaned body") if score else None


def _form_groups(parts: Iterable[list[Edge]], text_of: Texts) -> tuple[list[Group], dict[str, str | None]]:
    """Groups from the verified pairs, formed as the local run forms them (:func:`cleaner.dedup.form_groups`),
    and the outputs of the duplicates (the copies to remove)."""
    from rapidfuzz import fuzz

    records: dict[str, Print] = {}
    scores: dict[tuple[str, str], tuple[float, str]] = {}
    for edge in itertools.chain.from_iterable(parts):
        a, b = edge.first.name, edge.second.name
        records[a], records[b] = edge.first, edge.second
        scores[(a, b)] = (edge.score, edge.reason)
    key = key_cache(text_of)
    groups = form_groups(
        scores,
        lambda p: (-records[p].length, records[p].date or "\uffff", p),
        lambda a, b: fuzz.ratio(key(records[a]), key(records[b])),
    )
    outputs = {m.path: records[m.path].output for g in groups for m in g.members}
    return groups, outputs
