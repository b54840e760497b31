"""One run over many files: what ``cleaner clean``, ``report`` and ``hook`` share.

:func:`execute` runs these stages, in this order (:data:`STAGES`, the labels a progress bar shows):

1. ``settings``: defaults ← configuration file ← flags (:mod:`cleaner.config`);
2. ``destinations``: the output folder is checked before anything is read or written;
3. ``finding files``: the paths given, walked (:mod:`cleaner.discover`);
4. ``cleaning``: each file read, cleaned and delivered (:func:`cleaner.pipeline.process`) by an
   :data:`Executor`: in this process, over a process pool, or whatever a caller passes;
5. ``duplicates across files``: the second pass over the fingerprints (:mod:`cleaner.dedup`);

and returns a :class:`RunReport`, which owns the counts and the exit code (as black's ``Report`` does):
the command line only reads it. A refusal at stage 1 or 2 ends the run at once with exit code 2 and
nothing done.

Library code never prints. What happens during a run reaches the caller as :data:`Event` values
through a callback (stage started, progress, one file's outcome, the duplicate groups), which the
command line renders with rich and other front ends may render as they like.
"""

from __future__ import annotations

import collections
import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from cleaner.discover import Problem, Source, iter_files
from cleaner.model import Action, FileResult, Finding, Kind
from cleaner.options import Options
from cleaner.report import GROUPS, Summary

# The engine (cleaner.pipeline: regex tables, rapidfuzz, numpy) and the configuration reader are imported
# when a run starts, so that ``cleaner --version`` and ``--help``, which import this module through the
# command line, start in a fraction of the time.
if TYPE_CHECKING:
    from cleaner.dedup import DuplicateIndex, Group
    from cleaner.pipeline import Destination, Outcome

__all__ = [
    "DUPLICATES",
    "EXIT_FILE_ERRORS",
    "EXIT_FOUND",
    "EXIT_OK",
    "EXIT_USAGE",
    "FINDING",
    "STAGES",
    "Duplicates",
    "Event",
    "Executor",
    "FileDone",
    "Progressed",
    "Request",
    "RunReport",
    "Started",
    "check_destination",
    "execute",
    "local_executor",
]

EXIT_OK = 0
EXIT_FOUND = 1  # --check found files to change, report --fail-on found something, hook changed files
EXIT_USAGE = 2  # a usage error or bad configuration: nothing was done
EXIT_FILE_ERRORS = 3  # some files could not be processed; all the others were

STAGES = ("settings", "destinations", "finding files", "cleaning", "duplicates across files")
SETTINGS, DESTINATIONS, FINDING, CLEANING, DUPLICATES = STAGES

#: Below this many files a run stays in one process: starting a pool (forking, shipping the options)
#: costs more than cleaning a few posts (one 8 KB post: 0.1 s in process, 1.5 s with a pool of two).
POOL_MIN_FILES = 8

Command = Literal["clean", "report", "hook"]


# --- events: what a run tells its caller while it runs ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Started:
    """A stage begins; ``total`` is how many steps it has, None when unknown."""

    stage: str
    total: int | None = None


@dataclass(frozen=True, slots=True)
class Progressed:
    """``done`` steps of the current stage are complete."""

    stage: str
    done: int


@dataclass(frozen=True, slots=True)
class FileDone:
    """One file's outcome (a path that could not be read at all comes as a result with an error)."""

    result: FileResult
    diff: str = ""  # the unified diff of its change, when the run was asked for diffs
    texts: tuple[str, str] | None = None  # (original, clean), when the run was asked for texts


@dataclass(frozen=True, slots=True)
class Duplicates:
    """The second pass is over: the groups of files holding one article, and a finding per other file."""

    groups: tuple[Group, ...]
    findings: tuple[Finding, ...]


Event: TypeAlias = "Started | Progressed | FileDone | Duplicates"
Listener: TypeAlias = "Callable[[Event], None]"

#: How the files of a run are processed: sources, options and destination in; outcomes out, in the
#: order of the sources. :func:`local_executor` is the default; a distributed engine passes its own.
Executor: TypeAlias = "Callable[[Sequence[Source], Options, Destination], Iterator[Outcome]]"


def local_executor(jobs: int) -> Executor:
    """Process files in this process, or over ``jobs`` worker processes when there are enough files
    (:data:`POOL_MIN_FILES`) to pay for a pool. ``jobs`` 0 means every core."""
    workers = jobs or os.cpu_count() or 1

    from cleaner.pipeline import run

    def execute_locally(
        sources: Sequence[Source], options: Options, destination: Destination
    ) -> Iterator[Outcome]:
        pool = workers if len(sources) >= POOL_MIN_FILES else 1
        return run(sources, options, destination, pool)

    return execute_locally


# --- the request and the report ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Request:
    """Everything a run needs to know, as the command line parsed it."""

    command: Command
    paths: tuple[Path, ...]
    flags: Mapping[str, Any] = field(default_factory=dict)  # settings by Options field name; None: unset
    config_file: Path | None = None
    cwd: Path | None = None  # where the configuration is looked for (the working folder by default)
    out_dir: Path | None = None
    in_place: bool = False
    check: bool = False  # write nothing; a changed file is what the run found
    diff: bool = False
    record: bool = False  # keep every finding's text (a log, a report); else counts only
    keep_results: bool = False  # keep every file's result in the report (report table and JSON)
    texts: bool = False  # send each file's original and clean text with its result (the review page)
    fail_on: Literal["changes", "duplicates"] | None = None
    executor: Executor | None = None  # None: :func:`local_executor` with ``jobs``
    jobs: int = 0
    # on a Dask cluster (:mod:`cleaner.cluster`): "local" starts one of ``jobs`` worker processes, else
    # the address of a running scheduler (``tcp://host:8786``); None: this machine, as above
    scheduler: str | None = None
    urls: tuple[str, ...] = ()  # inputs given as fsspec URLs (``s3://bucket/posts``): with a scheduler
    out_url: str | None = None  # the output folder as an fsspec URL: with a scheduler
    storage_options: Mapping[str, str] = field(default_factory=dict)  # for fsspec (``endpoint_url``)
    batch: int = 0  # files per task on the cluster (0: chosen from the number of files and workers)

    @property
    def writes(self) -> bool:
        return self.in_place or self.out_dir is not None or self.out_url is not None


@dataclass(slots=True)
class RunReport:
    """The outcome of a run: the counts, what was found and written, and the exit code."""

    request: Request
    summary: Summary = field(default_factory=Summary)
    options: Options | None = None
    refused: str | None = None  # why the run did not start (exit 2)
    sources: int = 0  # files found to read
    written: int = 0  # files written (to the output folder, or in place)
    dropped: int = 0  # files that hold dropped passages, or that duplicate another file
    groups: list[Group] = field(default_factory=list)
    duplicates: list[Finding] = field(default_factory=list)
    candidates: list[tuple[str, int]] = field(default_factory=list)  # boilerplate candidates
    results: list[FileResult] = field(default_factory=list)  # only with ``request.keep_results``

    def add(self, result: FileResult) -> None:
        self.summary.add(result)
        if result.output is not None and result.error is None:
            self.written += 1
        if _drops(result):
            self.dropped += 1
        if self.request.keep_results:
            self.results.append(result)

    @property
    def found(self) -> int:
        """How many files the run found something in, by the measure the command exits 1 on (0: none)."""
        request = self.request
        if request.command == "hook" or request.check or request.fail_on == "changes":
            return self.summary.changed
        if request.fail_on == "duplicates":
            return self.dropped + len(self.duplicates)
        return 0

    @property
    def exit_code(self) -> int:
        if self.refused is not None:
            return EXIT_USAGE
        if self.summary.errors:
            return EXIT_FILE_ERRORS
        return EXIT_FOUND if self.found else EXIT_OK

    @property
    def finding(self) -> str | None:
        """One line saying what ``--fail-on`` found, when it makes the run fail."""
        fail_on = self.request.fail_on
        if fail_on is None or not self.found or self.summary.errors:
            return None
        if fail_on == "changes":
            return f"--fail-on changes: {_files(self.found)} would change"
        parts = []
        if self.dropped:
            parts.append(f"{_files(self.dropped)} with repeated or dropped passages")
        if self.duplicates:
            parts.append(f"{_files(len(self.duplicates))} duplicating another file")
        return "--fail-on duplicates: " + " and ".join(parts)

    def report_results(self) -> list[FileResult]:
        """The kept results, duplicates attached, in path order (for the table and the JSON document)."""
        extra: dict[str, list[Finding]] = {}
        for finding in self.duplicates:
            extra.setdefault(finding.file, []).append(finding)
        results = [
            replace(r, findings=(*r.findings, *extra[r.path])) if r.path in extra else r for r in self.results
        ]
        return sorted(results, key=lambda r: r.path)


def _files(n: int) -> str:
    return f"{n} file" if n == 1 else f"{n} files"


_DROPS = GROUPS["paragraphs dropped"] | GROUPS["duplicate files"]


def _drops(result: FileResult) -> bool:
    return any(f.kind in _DROPS for f in result.findings) or any(
        result.counts.get(kind.value) for kind in _DROPS
    )


# --- the run -----------------------------------------------------------------------------------------------


def execute(request: Request, listener: Listener | None = None) -> RunReport:
    """Run ``request`` through :data:`STAGES` in order; tell ``listener`` what happens; never raise for a
    bad file, a bad configuration or a bad destination (they are in the report)."""
    tell: Listener = listener or _ignore
    report = RunReport(request)

    tell(Started(SETTINGS))  # first: loading the engine takes a moment, the bar can show it
    from cleaner import config as configuration
    from cleaner.pipeline import Destination

    try:
        options, _ = configuration.resolve(
            request.cwd or Path.cwd(), request.config_file, dict(request.flags)
        )
    except configuration.ConfigError as error:
        report.refused = f"error: {error}"
        return report
    report.options = options

    tell(Started(DESTINATIONS))
    report.refused = _destination_refused(request)
    if report.refused is not None:
        return report

    duplicates = request.command == "report" or (
        request.command == "clean" and options.duplicates == "keep-one"
    )
    destination = Destination(
        out_dir=request.out_dir,
        in_place=request.in_place,
        diff=request.diff,
        fingerprints=duplicates,
        short_lines=request.command == "report",
        record=request.record,
        texts=request.texts,
    )
    if request.scheduler is not None:
        from cleaner.cluster.engine import execute_on_cluster  # dask: only for runs on a cluster

        execute_on_cluster(request, options, destination, report, tell)
        return report

    tell(Started(FINDING))
    sources, problems = _discover(request, options, tell)
    report.sources = len(sources)
    for problem in problems:
        result = problem_result(problem)
        report.add(result)
        tell(FileDone(result))

    state = CrossFile(options)
    tell(Started(CLEANING, len(sources)))
    executor = request.executor or local_executor(1 if request.command == "hook" else request.jobs)
    for done, outcome in enumerate(executor(sources, options, destination), start=1):
        state.add(outcome)
        report.add(outcome.result)
        tell(FileDone(outcome.result, outcome.diff, outcome.texts))
        tell(Progressed(CLEANING, done))

    if duplicates:
        tell(Started(DUPLICATES))
        dropped = request.out_dir is not None
        groups, found = state.finish(dropped=dropped, tell=tell)
        report.groups, report.duplicates = groups, found
        report.summary.count(found)
        report.candidates = state.boilerplate_candidates()
        if dropped:
            report.written -= sum(1 for f in found if state.outputs.get(f.file) is not None)
        tell(Duplicates(tuple(groups), tuple(found)))
    return report


def split_locations(
    given: Sequence[str], out: str | None, scheduler: str | None, storage: Sequence[str]
) -> dict[str, Any]:
    """The :class:`Request` fields for inputs and an output as a user writes them: local paths (and
    ``file://`` URLs) as paths, other URLs as URLs, ``KEY=VALUE`` storage options as a mapping. Raises
    ``ValueError`` for a URL or a storage option without a scheduler, and for a malformed option.

    >>> split_locations(["posts", "s3://b/p"], "file:///tmp/out", "local", ["anon=true"])["urls"]
    ('s3://b/p',)
    >>> split_locations(["posts"], "file:///tmp/out", None, [])["out_dir"]
    PosixPath('/tmp/out')
    """

    def local(text: str) -> Path | None:
        if text.startswith("file://"):
            return Path(text.removeprefix("file://"))
        scheme, sep, _ = text.partition("://")
        return None if sep and "/" not in scheme else Path(text)

    paths = tuple(p for p in map(local, given) if p is not None)
    urls = tuple(text for text in given if local(text) is None)
    out_dir = local(out) if out is not None else None
    out_url = out if out is not None and out_dir is None else None
    options: dict[str, str] = {}
    for item in storage:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--storage-option takes KEY=VALUE, not {item!r}")
        options[key] = value
    if scheduler is None and (urls or out_url is not None or options):
        raise ValueError("URLs and --storage-option are read and written on a cluster: add --scheduler")
    return {
        "paths": paths,
        "urls": urls,
        "out_dir": out_dir,
        "out_url": out_url,
        "scheduler": scheduler,
        "storage_options": options,
    }


def _ignore(event: Event) -> None:
    """The listener of a run nobody watches."""


def problem_result(problem: Problem) -> FileResult:
    """The result of a path that could not be used, with its ``error.discover`` finding."""
    return unusable(str(problem.path), problem.message)


def unusable(name: str, message: str) -> FileResult:
    """The result of the file or URL ``name`` that could not be used, with its ``error.discover``
    finding."""
    finding = Finding(Kind.ERROR, Action.REPORTED, detail=message, file=name, rule="error.discover")
    return FileResult(name, error=message, findings=(finding,))


def iter_sources(request: Request, options: Options) -> Iterator[Source | Problem]:
    """The files to read, as :func:`_discover` finds them, one at a time (a cluster run walks twice
    rather than hold every path)."""
    skip = (request.out_dir,) if request.out_dir is not None else ()
    # two files can claim one output path only when several paths are given
    claims = request.out_dir is not None and len(request.paths) > 1
    claimed: dict[Path, Path] = {}
    for item in iter_files(list(request.paths), options, skip):
        if isinstance(item, Problem):
            yield item
        elif claims and item.rel in claimed:
            yield Problem(item.path, f"same output path {item.rel} as {claimed[item.rel]}; not written")
        else:
            if claims:
                claimed[item.rel] = item.path
            yield item


def _discover(request: Request, options: Options, tell: Listener) -> tuple[list[Source], list[Problem]]:
    """The files to read; with an output folder, two files that would write one output path are a problem."""
    sources: list[Source] = []
    problems: list[Problem] = []
    for item in iter_sources(request, options):
        if isinstance(item, Problem):
            problems.append(item)
        else:
            sources.append(item)
            if len(sources) % _FOUND_STEP == 0:
                tell(Progressed(FINDING, len(sources)))
    return sources, problems


#: Files found between two progress events while walking folders.
_FOUND_STEP = 256


_WHERE = "--out DIR, or --in-place; or use --check / --diff"


def _destination_refused(request: Request) -> str | None:
    """Why ``clean`` cannot run with the destination it was given: none, several, or a bad folder."""
    if (request.urls or request.out_url is not None) and request.scheduler is None:
        return "error: URLs (s3://, gs://, memory://) are read and written on a cluster: add --scheduler"
    if request.command == "clean":
        given = sum(bool(x) for x in (request.out_dir or request.out_url, request.in_place, request.check))
        if given > 1:
            return "cleaner clean: choose one of --out, --in-place and --check"
        if not given and not request.diff:
            return "cleaner clean: say where the clean files go: " + _WHERE
    if request.out_dir is not None:
        return check_destination(request.out_dir, request.paths)
    return None


def check_destination(out_dir: Path, inputs: Iterable[Path]) -> str | None:
    """Why ``out_dir`` cannot take a run's output, as one line naming the path at fault; None when it can.

    Checked before any work: an existing file where the folder should be, a folder (or the first
    existing parent of one to create) that is not writable, and an input at or under the output folder
    (its clean copy would be read again, or overwrite it).
    """
    existing = out_dir
    while not existing.exists() and not existing.is_symlink() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        what = "--out" if existing == out_dir else f"cannot create --out {out_dir}:"
        return f"error: {what} {existing} is a file, not a folder"
    if existing.is_symlink() and not existing.exists():
        return f"error: cannot create --out {out_dir}: {existing} is a broken symbolic link"
    if not os.access(existing, os.W_OK | os.X_OK):
        what = "--out" if existing == out_dir else f"cannot create --out {out_dir}:"
        return f"error: {what} {existing} is not writable"
    target = out_dir.resolve()
    for path in inputs:
        resolved = path.resolve()
        if resolved == target or target in resolved.parents:
            return f"error: input {path} is inside the output folder {out_dir}; choose another --out"
    return None


# --- what a run keeps across files -------------------------------------------------------------------------

#: Distinct short lines counted for boilerplate candidates before lines seen once are forgotten.
MAX_SHORT_LINES = 200_000
#: A boilerplate candidate is in at least this many files, and in one of every ``CANDIDATE_EVERY``.
CANDIDATE_FILES, CANDIDATE_EVERY = 3, 100


@dataclass(slots=True)
class CrossFile:
    """What a run keeps across files: the duplicate index (signatures, no text), where each file's
    output went, and short-line counts for boilerplate candidates. Never a file's text or findings."""

    options: Options
    index: DuplicateIndex | None = None
    outputs: dict[str, str | None] = field(default_factory=dict)
    lines: collections.Counter[str] = field(default_factory=collections.Counter)
    files: int = 0

    def add(self, outcome: Outcome) -> None:
        self.outputs[outcome.result.path] = outcome.result.output
        self.count_lines(outcome.short_lines)
        if outcome.fingerprint is not None:
            if self.index is None:
                from cleaner.dedup import DuplicateIndex  # numpy: only for runs that compare files

                self.index = DuplicateIndex(
                    threshold=self.options.duplicate_jaccard, min_ratio=self.options.duplicate_ratio
                )
            self.index.add(outcome.fingerprint)
            self.files += 1

    def count_lines(self, lines: frozenset[str]) -> None:
        """Count one file's short lines (boilerplate candidates), forgetting lines seen once when too many."""
        if lines:
            self.lines.update(lines)
            if len(self.lines) > MAX_SHORT_LINES:
                # lossy counting: lines seen once go, so memory stays bounded on a million files
                self.lines = collections.Counter({k: n for k, n in self.lines.items() if n > 1})

    def boilerplate_candidates(self) -> list[tuple[str, int]]:
        """Short lines found in several files (at least 3, and 1% of the files), not yet configured."""
        floor = max(CANDIDATE_FILES, self.files // CANDIDATE_EVERY)
        known = {line.strip() for line in self.options.boilerplate_lines}
        found = [(line, n) for line, n in self.lines.items() if n >= floor and line not in known]
        return sorted(found, key=lambda item: (-item[1], item[0]))

    def finish(self, *, dropped: bool, tell: Listener) -> tuple[list[Group], list[Finding]]:
        """Group duplicate files (only candidate pairs are re-read) and record the others; with
        ``dropped``, remove each one's *output* (never an input: ``report``, ``--check`` and
        ``--in-place`` only report them)."""
        if self.index is None:
            return [], []
        options = self.options
        from cleaner.pipeline import clean_data
        from cleaner.read import ReadError, read_path

        def text_of(path: str) -> str:
            try:
                return clean_data(read_path(Path(path), options.max_file_bytes), options).body
            except ReadError:
                return ""

        def progress(done: int, total: int) -> None:
            if done == 0:
                tell(Started(DUPLICATES, total))
            else:
                tell(Progressed(DUPLICATES, done))

        groups = self.index.groups(text_of, progress)
        findings = duplicate_findings(groups, dropped=dropped)
        if dropped:
            for finding in findings:
                output = self.outputs.get(finding.file)
                if output is not None and output != finding.file:
                    with contextlib.suppress(FileNotFoundError):
                        Path(output).unlink()
        return groups, findings


def duplicate_findings(groups: Iterable[Group], *, dropped: bool) -> list[Finding]:
    """A ``duplicate.file`` finding for every file of ``groups`` but the canonical one."""
    action = Action.DROPPED if dropped else Action.REPORTED
    return [
        Finding(
            Kind.CROSS_FILE_DUPLICATE,
            action,
            passage=member.path,
            matched=group.canonical,
            similarity=member.similarity,
            detail=f"{member.reason}; kept {group.canonical} ({group.why})",
            file=member.path,
            rule="duplicate.file",
        )
        for group in groups
        for member in group.members
    ]
