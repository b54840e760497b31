"""A run on a Dask cluster: the stages after ``destinations`` of :func:`cleaner.run.execute`.

* ``finding files``: the paths are walked twice, once to count the files and report the paths that
  cannot be used (as the local run reports them first), once to stream the files into batches; URLs
  are listed through fsspec (:mod:`cleaner.cluster.storage`).
* ``cleaning``: a task per batch of files (:func:`clean_batch`) reads, cleans and writes them on a
  worker. At most :func:`window` batches are in flight; results are taken with ``as_completed`` and
  handed to the listener in the order of the files, then dropped. What comes back per file is its
  result (counts, or findings when the run records them) and, for ``report``, its short lines; the
  fingerprints stay on the workers, merged into one list per 32 batches (the client holds a future
  for each list).
* ``duplicates across files``: :func:`cleaner.cluster.shuffle.find_groups` groups them on the cluster;
  only the groups come back, and the client removes the duplicates' copies as the local run does.

A worker that dies is replaced by its nanny, and the scheduler runs its tasks again: a task writes
whole files (atomically, or as one put), so running it twice writes the same bytes.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cleaner.cluster import storage
from cleaner.cluster.shuffle import Print, find_groups
from cleaner.discover import Problem, Source
from cleaner.options import Options
from cleaner.pipeline import Destination, Outcome, deliver, local_writer, process
from cleaner.run import (
    CLEANING,
    DUPLICATES,
    FINDING,
    CrossFile,
    Duplicates,
    FileDone,
    Listener,
    Progressed,
    Request,
    RunReport,
    Started,
    duplicate_findings,
    iter_sources,
    problem_result,
    unusable,
)

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["Item", "clean_batch", "connect", "execute_on_cluster"]

#: Files per task at most: a task of 64 posts takes about a second, long enough that the scheduler's
#: cost per task (about a millisecond) does not count, short enough that a lost worker loses little.
MAX_BATCH = 64
#: A run gets at least this many batches per worker thread, so that the last ones finish together.
BATCHES_PER_THREAD = 8
#: Batches in flight per worker thread: enough that no worker waits for the next, few enough that the
#: client holds little (a finished batch waits only for those before it).
WINDOW_PER_THREAD = 4
#: Batches whose fingerprints are merged into one list on the cluster: the client holds one future per
#: merged list (a future costs the client a few KB, and the shuffle a partition), not one per batch.
MERGED_BATCHES = 32
#: Messages the client's comm keeps for debugging (distributed.admin.low-level-log-length).
LOW_LEVEL_LOG = 20
#: Seconds to wait for a scheduler to answer.
CONNECT_TIMEOUT = 30


class Item(NamedTuple):
    """One file of a batch."""

    seq: int  # its place in the run
    name: str  # its path or URL, as findings name it
    rel: str  # its path under the folder it was found in (posix), mirrored into the output folder


class Batch(NamedTuple):
    """What a cleaning task returns: the outcomes for the client, the fingerprints for the shuffle."""

    outcomes: list[Outcome]  # without their fingerprints
    printed: int  # files fingerprinted (boilerplate candidates are weighed by it)
    prints: list[Print]


@contextlib.contextmanager
def connect(scheduler: str, jobs: int) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler``, or of a new ``LocalCluster`` of ``jobs`` worker
    processes (one thread each; 0: one per core) when it is ``"local"``."""
    import dask
    from distributed import Client, LocalCluster

    # the client's comm keeps its last N messages for debugging (1,000 by default): a batch's messages
    # carry its file names, so that log alone would grow the client by megabytes
    with dask.config.set({"distributed.admin.low-level-log-length": LOW_LEVEL_LOG}):
        if scheduler != "local":
            with Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False) as client:
                yield client
            return
        workers = jobs or os.cpu_count() or 1
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster, set_as_default=False) as client,
        ):
            yield client


def execute_on_cluster(
    request: Request, options: Options, destination: Destination, report: RunReport, tell: Listener
) -> None:
    """Run the ``finding files``, ``cleaning`` and ``duplicates`` stages of ``request`` on the cluster
    it names, into ``report``."""
    scheduler = request.scheduler or "local"
    stack = contextlib.ExitStack()
    try:
        client = stack.enter_context(connect(scheduler, request.jobs))
    except (OSError, TimeoutError, ValueError) as error:  # unreachable, or not an address
        report.refused = f"error: cannot reach the Dask scheduler at {scheduler}: {error}"
        return
    with stack:
        _run(client, request, options, destination, report, tell)


def _run(
    client: Client,
    request: Request,
    options: Options,
    destination: Destination,
    report: RunReport,
    tell: Listener,
) -> None:
    tell(Started(FINDING))
    total = 0
    for item in _found(request, options):
        if isinstance(item, Problem | storage.Unusable):
            result = problem_result(item) if isinstance(item, Problem) else unusable(item.url, item.message)
            report.add(result)
            tell(FileDone(result))
        else:
            total += 1
    report.sources = total
    tell(Started(CLEANING, total))

    threads = max(1, sum(client.nthreads().values()))
    size = request.batch or max(1, min(MAX_BATCH, total // (threads * BATCHES_PER_THREAD)))
    state = CrossFile(options)
    prints: list[Any] = []  # futures of merged fingerprint lists, one per MERGED_BATCHES batches
    pending: list[Any] = []  # futures of the batches' fingerprint lists, not merged yet
    linger = _Linger()
    storage_options = dict(request.storage_options)
    done = 0
    batches = _batches(_items(request, options), size)
    window = threads * WINDOW_PER_THREAD
    for (outcomes, printed), held in _stream(
        client, batches, window, options, destination, request.out_url, storage_options, linger
    ):
        if destination.fingerprints:
            pending.append(held)
            if len(pending) == MERGED_BATCHES:
                prints.append(client.submit(_merge, *pending, pure=False))
                linger.keep(pending, prints[-1])
                pending = []
        state.files += printed
        for outcome in outcomes:
            state.count_lines(outcome.short_lines)
            report.add(outcome.result)
            tell(FileDone(outcome.result, outcome.diff, outcome.texts))
            done += 1
        tell(Progressed(CLEANING, done))
    if not destination.fingerprints:
        return
    if pending:
        prints.append(client.submit(_merge, *pending, pure=False))
        linger.keep(pending, prints[-1])
    del pending
    client.gather(client.submit(_nothing, *prints, pure=False))  # every merged list is done
    linger.prune()

    tell(Started(DUPLICATES))
    dropped = request.out_dir is not None or request.out_url is not None
    text_of = _TextOf(options, storage_options)
    groups, outputs = find_groups(client, prints, options, text_of)
    del prints
    found = duplicate_findings(groups, dropped=dropped)
    report.groups, report.duplicates = groups, found
    report.summary.count(found)
    report.candidates = state.boilerplate_candidates()
    if dropped:
        for finding in found:
            output = outputs.get(finding.file)
            if output is not None:
                report.written -= 1
                if output != finding.file:
                    storage.remove(output, storage_options)
    tell(Duplicates(tuple(groups), tuple(found)))


def _found(
    request: Request, options: Options
) -> Iterator[Source | Problem | storage.Remote | storage.Unusable]:
    """The local files of the request, then its URLs, as the run reads them."""
    yield from iter_sources(request, options)
    if request.urls:
        yield from storage.iter_remote(request.urls, options, request.storage_options)


def _items(request: Request, options: Options) -> Iterator[Item]:
    seq = 0
    for found in _found(request, options):
        if isinstance(found, Source):
            yield Item(seq, str(found.path), found.rel.as_posix())
        elif isinstance(found, storage.Remote):
            yield Item(seq, found.url, found.rel)
        else:
            continue
        seq += 1


def _batches(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _stream(
    client: Client,
    batches: Iterator[list[Item]],
    window: int,
    options: Options,
    destination: Destination,
    out_url: str | None,
    storage_options: Mapping[str, str],
    linger: _Linger,
) -> Iterator[tuple[tuple[list[Outcome], int], Any]]:
    """Each batch's outcomes, in the order of the batches, with the future of its fingerprints; at most
    ``window`` batches submitted and not yet handed on."""
    from distributed import as_completed

    storage_f = dict(storage_options)
    token = os.urandom(4).hex()
    finished = as_completed(loop=client.loop)
    waiting: dict[int, Any] = {}  # batch number → its outcome future, submitted, not handed on
    held: dict[int, Any] = {}  # batch number → its fingerprints future
    ready: dict[int, tuple[list[Outcome], int]] = {}  # finished before an earlier batch
    number = {}  # outcome future key → batch number
    submitted = handed = 0

    def submit(batch: list[Item]) -> None:
        nonlocal submitted
        key = f"cleaner-batch-{token}-{submitted}"
        future = client.submit(
            clean_batch, batch, options, destination, out_url, storage_f, key=key, pure=False
        )
        outcomes = client.submit(_outcomes, future, key=f"cleaner-outcomes-{token}-{submitted}")
        held[submitted] = client.submit(_prints, future, key=f"cleaner-prints-{token}-{submitted}")
        linger.keep([future], outcomes, held[submitted])
        del future
        waiting[submitted] = outcomes
        number[outcomes.key] = submitted
        finished.add(outcomes)
        submitted += 1

    def take() -> Iterator[tuple[tuple[list[Outcome], int], Any]]:
        nonlocal handed
        future = next(finished)
        index = number.pop(future.key)
        ready[index] = future.result()
        del waiting[index], future
        while handed in ready:
            yield ready.pop(handed), _handle(client, held.pop(handed))
            handed += 1

    for batch in batches:
        while submitted - handed >= window:
            yield from take()
        submit(batch)
    while handed < submitted:
        yield from take()


def _handle(client: Client, future: Any) -> Any:
    """A new handle on ``future``'s key, without what the submitted one keeps of the graph it came from
    (the batch's serialised task: a few KB a batch, for the whole run)."""
    from distributed import Future

    return Future(future.key, client)


class _Linger:
    """Futures the client keeps until the tasks submitted on them are done. Released at once, the
    scheduler may forget a key before it has taken in the task that needs it ("lost dependencies");
    once that task is done, the scheduler keeps what it needs to run it again on its own."""

    def __init__(self) -> None:
        self.kept: list[tuple[list[Any], tuple[Any, ...]]] = []

    def keep(self, futures: list[Any], *until: Any) -> None:
        self.kept.append((futures, until))
        if len(self.kept) % 16 == 0:
            self.prune()

    def prune(self) -> None:
        self.kept = [(futures, until) for futures, until in self.kept if not all(u.done() for u in until)]


def _outcomes(batch: Batch) -> tuple[list[Outcome], int]:
    return batch.outcomes, batch.printed


def _prints(batch: Batch) -> list[Print]:
    return batch.prints


def _nothing(*parts: list[Print]) -> None:
    return None


def _merge(*parts: list[Print]) -> list[Print]:
    return [record for part in parts for record in part]


def clean_batch(
    items: list[Item],
    options: Options,
    destination: Destination,
    out_url: str | None,
    storage_options: Mapping[str, str],
) -> Batch:
    """Read, clean and write the files of one batch (on a worker). A file that cannot be read or
    written comes back as a result with its error, as in a local run."""
    from cleaner.dedup import band_keys, bands

    outcomes: list[Outcome] = []
    prints: list[Print] = []
    b, r = bands(options.duplicate_jaccard)
    for item in items:
        outcome = _clean_one(item, options, destination, out_url, storage_options)
        print_ = outcome.fingerprint
        if print_ is not None:
            keys = tuple(band_keys(print_.hashvalues, b, r).tolist()) if print_.hashvalues else ()
            prints.append(
                Print(
                    item.seq,
                    item.name,
                    outcome.result.output,
                    print_.digest,
                    print_.length,
                    print_.date,
                    keys,
                )
            )
            outcome = replace(outcome, fingerprint=None)
        outcomes.append(outcome)
    return Batch(outcomes, len(prints), prints)


def _clean_one(
    item: Item,
    options: Options,
    destination: Destination,
    out_url: str | None,
    storage_options: Mapping[str, str],
) -> Outcome:
    remote_in = storage.is_url(item.name)
    source = Source(Path(item.name), Path(item.rel))
    if not remote_in and out_url is None:
        return process(source, options, destination)
    local = local_writer(source, destination)

    def write(data: bytes, changed: bool) -> str | None:
        if remote_in and destination.in_place and changed:
            storage.write_remote(item.name, data, storage_options)
            return item.name
        if out_url is not None:  # (never with --in-place)
            target = storage.join(out_url, item.rel)
            storage.write_remote(target, data, storage_options)
            return target
        return local(data, changed)

    read = functools.partial(_read, item.name, options.max_file_bytes, storage_options)
    return deliver(item.name, read, write, options, destination)


def _read(name: str, limit: int, storage_options: Mapping[str, str]) -> bytes:
    """The bytes of the file or object ``name``; raises ``ReadError`` when it cannot be read."""
    if storage.is_url(name):
        return storage.read_remote(name, limit, storage_options)
    from cleaner.read import read_path

    return read_path(Path(name), limit)


class _TextOf:
    """A file's cleaned body, read again on a worker to verify a candidate pair ("" when unreadable)."""

    def __init__(self, options: Options, storage_options: Mapping[str, str]) -> None:
        self.options = options
        self.storage_options = dict(storage_options)

    def __call__(self, record: Print) -> str:
        from cleaner.pipeline import clean_data
        from cleaner.read import ReadError

        try:
            data = _read(record.name, self.options.max_file_bytes, self.storage_options)
            return clean_data(data, self.options).body
        except ReadError:
            return ""
