"""The only module that knows the stage order of one file. :func:`process` runs, in this order:

1. read: the bytes of the file (:func:`cleaner.read.read_path`), decoded (:func:`cleaner.read.decode`);
2. the body, to a fixed point (:func:`clean_body`, at most :data:`MAX_PASSES` passes), each pass:
   boilerplate lines → split at markers → classify repeats → stitch; then the flaws only reported;
3. repair the title fields of the front matter against the clean body;
4. encode in the input's encoding and line ends;
5. what the run asks of the clean body: its fingerprint for duplicates across files, its short lines
   for boilerplate candidates, the unified diff of the change;
6. write: atomically, to the output folder or in place (:mod:`cleaner.write`).

:func:`clean_text` is the library entry point: text in, clean text and findings out. :func:`clean_bytes`
adds decoding and encoding (1-4), and :func:`clean_file` reading the file. A run over many files (the
second pass over duplicates, the counts, the exit code) is :mod:`cleaner.run`.
"""

from __future__ import annotations

import collections
import difflib
import functools
import gc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner import patterns
from cleaner.classify import classify
from cleaner.discover import Source
from cleaner.model import Action, Article, FileResult, Finding, FrontMatter, Kind, Result
from cleaner.options import Options
from cleaner.read import ReadError, decode, encode, read_field, read_path, split_front_matter, write_field
from cleaner.repair.boilerplate import remove_boilerplate, short_lines
from cleaner.repair.title import repair_title
from cleaner.split import compile_marker, split_body
from cleaner.stitch import stitch
from cleaner.structure import place_findings, restructure
from cleaner.structure.debris import drop_prompt_quotes, mark_cut_markers, strip_cut_marker
from cleaner.structure.flattened import written_twice
from cleaner.structure.footers import lift_footers
from cleaner.write import atomic_write, output_path

if TYPE_CHECKING:
    from cleaner.dedup import Fingerprint

DEFAULT_OPTIONS = Options()
#: The marker a cut one (``---END``) is read as, when the marker pattern matches it.
CANONICAL_MARKER = "---END---"


#: Passes of the body stages before giving up on a fixed point (a stitch can join ``--`` and ``-END---``
#: into a new marker, a marker removal can leave a caption on a line of its own).
MAX_PASSES = 4


def clean_body(body: str, options: Options = DEFAULT_OPTIONS) -> tuple[str, tuple[Finding, ...]]:
    """Clean an article body (no front matter, ``\\n`` line ends) to a fixed point.

    The first pass does the work; another runs only when the first left something a pass would
    change, so that cleaning the output again is always a no-op.
    """
    findings: list[Finding] = []
    text = body
    for _ in range(MAX_PASSES):
        new, found = _clean_pass(text, options)
        findings.extend(found)
        if new == text or not _needs_another_pass(new, options):
            text = new
            break
        text = new
    findings.extend(_report_only(text))
    # what the structure rules found in the stitched body, placed where its passage starts in the input
    findings = place_findings(findings, body)
    return text, tuple(sorted(findings, key=_place))


def _needs_another_pass(text: str, options: Options) -> bool:
    _, inline = compile_marker(options.marker_pattern)
    return (
        inline.search(text) is not None
        or remove_boilerplate(text, options.boilerplate_lines, options.boilerplate_patterns)[0] != text
    )


def _clean_pass(body: str, options: Options) -> tuple[str, list[Finding]]:
    findings: list[Finding] = []
    text, removed = remove_boilerplate(body, options.boilerplate_lines, options.boilerplate_patterns)
    findings.extend(removed)
    text, cut = strip_cut_marker(text)
    findings.extend(cut)
    whole, inline = compile_marker(options.marker_pattern)
    if whole.match(CANONICAL_MARKER):
        text, cut = mark_cut_markers(text, CANONICAL_MARKER)
        findings.extend(cut)
    if inline.search(text):  # the model quotes its prompt only in the answers the job appended
        text, quoted = drop_prompt_quotes(text)
        findings.extend(quoted)
    lifted = lift_footers(text, whole, continued=inline.search(text) is not None)
    findings.extend(lifted.findings)
    text = lifted.body
    split = split_body(text, options.marker_pattern)
    echo = any(
        u.text.lstrip().lstrip(patterns.ECHO_HEADER_LEAD)[:1] in ("【", "[")
        and patterns.PROMPT_ECHO_HEADER.match(u.text)
        for u in split.units
    )
    # article text after a footer is an answer the continuation job appended, markers or not
    repeats = bool(split.markers) or echo or bool(lifted.footer) or options.dedup_without_markers
    # an article written twice in one block is an answer too, even without a marker
    repeats = repeats or written_twice(text, options)
    plan = classify(split, options, repeats=repeats)
    found = [*split.findings, *plan.findings]
    if lifted.footer:  # the lines of the body without its footers → the lines of the input
        found = [replace(f, line=lifted.lines[f.line - 1]) if f.line else f for f in found]
    findings.extend(found)
    if split.markers or plan.findings:
        text = stitch(split, plan)
    if repeats:
        text, changed = restructure(text, options)
        findings.extend(changed)
    text, cut = strip_cut_marker(text)  # the markers after it are gone now: it ends the body
    findings.extend(replace(f, line=None) for f in cut)
    if lifted.footer:
        text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + lifted.footer + "\n"
    return text, findings


def _place(finding: Finding) -> tuple[int, int, int]:
    return (finding.line or 0, finding.block or 0, finding.paragraph or 0)


#: A text that says there is no article is short; a long article that mentions it found nothing is one.
_NON_ARTICLE_MAX_CHARS = 2000
#: Characters of a reported body or line kept in its finding.
_SHOWN_BODY, _SHOWN_LINE = 120, 80


def _report_only(body: str) -> list[Finding]:
    """Flaws the tool reports but does not guess at."""
    found: list[Finding] = []
    if len(body) < _NON_ARTICLE_MAX_CHARS and patterns.NON_ARTICLE.search(body):
        found.append(
            Finding(
                Kind.NON_ARTICLE,
                Action.REPORTED,
                passage=body.strip()[:_SHOWN_BODY],
                detail="the text says there is no article",
                rule="suspect.non_article",
            )
        )
    for number, line in enumerate(body.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith(("」", "』")) or (
            stripped
            and stripped.count("」") > stripped.count("「")
            and stripped.find("」") < stripped.find("「") + 1
            and "「" not in stripped[: stripped.find("」")]
        ):
            found.append(
                Finding(
                    Kind.SUSPECT,
                    Action.REPORTED,
                    passage=stripped[:_SHOWN_LINE],
                    line=number,
                    detail="closing bracket without its opening one",
                    rule="suspect.bracket",
                )
            )
    return found


def clean_article(article: Article, options: Options = DEFAULT_OPTIONS) -> tuple[str, tuple[Finding, ...]]:
    """Clean a decoded article; return the full text (front matter + body) with ``\\n`` line ends."""
    body, findings = clean_body(article.body, options)
    front = article.front_matter
    title_findings: list[Finding] = []
    if front is not None:
        offset = front.raw.count("\n")  # body lines → file lines
        findings = tuple(f.shifted(offset) if f.line else f for f in findings)
        front, title_findings = _repair_titles(front, body, options)
    raw = front.raw if front is not None else ""
    return raw + body, tuple(title_findings) + findings


def _repair_titles(front: FrontMatter, body: str, options: Options) -> tuple[FrontMatter, list[Finding]]:
    found: list[Finding] = []
    for name in options.title_fields:
        value = read_field(front, name)
        if value is None:
            continue
        new, repairs = repair_title(value, body, options)
        if new == value:
            continue
        rewritten = write_field(front, name, new)
        if rewritten is not front:
            front = rewritten
            found.extend(replace(f, detail=f"{name}: {f.detail}" if f.detail else name) for f in repairs)
    return front, found


def clean_text(text: str, options: Options = DEFAULT_OPTIONS) -> Result:
    """Clean one document given as text. The library entry point.

    Line endings are kept (the dominant style of the input); the text is otherwise handled exactly as
    a UTF-8 file would be.

    >>> result = clean_text("本文です。\\n\\n---END---\\n本文です。\\n")
    >>> result.text
    '本文です。\\n'
    >>> sorted({f.kind.value for f in result.findings})
    ['duplicate', 'marker']
    """
    data = text.encode("utf-8")
    out, findings = clean_bytes(data, options)
    return Result(text if out is data else out.decode("utf-8"), findings, out is not data)


@dataclass(frozen=True, slots=True)
class Cleaned:
    """One file's bytes after cleaning, with what the later stages need to know of it."""

    data: bytes  # the same object as the input when nothing changed
    findings: tuple[Finding, ...]
    body: str  # the clean body, for cross-file duplicate detection
    date: str  # the front matter date as written, or ""
    source: bytes = b""  # the input as read (for a diff or the review page, without reading it again)


def clean_data(data: bytes, options: Options = DEFAULT_OPTIONS) -> Cleaned:
    """Decode, clean and encode one file's bytes. Raises :class:`ReadError` for unreadable input."""
    article, read_findings = decode(data)
    text, findings = clean_article(article, options)
    front, body = split_front_matter(text)
    date = (read_field(front, "date") or "") if front is not None else ""
    out = encode(article, text)
    if out == data:
        return Cleaned(data, tuple(f for f in findings if f.action is Action.REPORTED), body, date, data)
    return Cleaned(out, read_findings + findings, body, date, data)


def clean_bytes(data: bytes, options: Options = DEFAULT_OPTIONS) -> tuple[bytes, tuple[Finding, ...]]:
    """Decode, clean and encode one file's bytes. Unchanged input comes back as the same bytes."""
    cleaned = clean_data(data, options)
    return cleaned.data, cleaned.findings


def clean_file(
    path: Path, options: Options = DEFAULT_OPTIONS, display: str | None = None
) -> tuple[FileResult, Cleaned | None]:
    """Read and clean one file. Returns the result and what was cleaned (None when it failed)."""
    name = display or str(path)
    try:
        data = read_path(path, options.max_file_bytes)
        cleaned = clean_data(data, options)
    except ReadError as error:
        return FileResult(name, error=error.message, findings=(_error(name, error.message),)), None
    stamped = tuple(f.with_file(name) for f in cleaned.findings)
    return FileResult(name, changed=cleaned.data is not data, findings=stamped), cleaned


def _error(name: str, message: str) -> Finding:
    return Finding(Kind.ERROR, Action.REPORTED, detail=message, file=name, rule="error.read")


# --- runs over many files -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Destination:
    """Where clean text goes: a mirror folder, the input files themselves, or nowhere."""

    out_dir: Path | None = None
    in_place: bool = False
    diff: bool = False
    fingerprints: bool = False  # compute what cross-file duplicate detection needs
    short_lines: bool = False  # collect boilerplate candidates
    # keep the findings; without it a result carries counts per kind (``FileResult.counts``), enough
    # for the summary, so that workers send a few bytes per file instead of every passage's text
    record: bool = True
    texts: bool = False  # send each file's original and clean text back (for the review page)


@dataclass(frozen=True, slots=True)
class Outcome:
    result: FileResult
    diff: str = ""
    fingerprint: Fingerprint | None = None
    short_lines: frozenset[str] = frozenset()  # boilerplate candidates of this file
    texts: tuple[str, str] | None = None  # (original, clean) with ``\n`` line ends, when asked for


def _unified_diff(name: str, old: bytes, new: bytes) -> str:
    before = old.decode("utf-8", errors="replace").splitlines(keepends=True)
    after = new.decode("utf-8", errors="replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, fromfile=f"a/{name}", tofile=f"b/{name}"))


def process(source: Source, options: Options, destination: Destination) -> Outcome:
    """Clean one file and deliver it to ``destination``. Never raises for a bad file."""
    path = source.path
    read = functools.partial(read_path, path, options.max_file_bytes)
    return deliver(str(path), read, local_writer(source, destination), options, destination)


def local_writer(source: Source, destination: Destination) -> Writer:
    """Where a local file's clean bytes go: over it (``--in-place``, only when they changed), into the
    output folder, or nowhere."""
    path = source.path

    def write(data: bytes, changed: bool) -> str | None:
        if destination.in_place and changed:
            atomic_write(path, data, mode=path.stat().st_mode)
            return str(path)
        if destination.out_dir is not None:
            target = output_path(source.rel, destination.out_dir)
            # a copy beside an untouched input: atomic, not synced (``atomic_write`` says why)
            atomic_write(target, data, durable=False)
            return str(target)
        return None

    return write


#: Reads one file's bytes; raises :class:`ReadError` when it cannot.
Reader = Callable[[], bytes]
#: Writes one file's clean bytes (``changed``: they differ from the input) where the run sends them and
#: returns where they went, or None when they go nowhere; raises ``OSError`` when it cannot.
Writer = Callable[[bytes, bool], "str | None"]


def deliver(name: str, read: Reader, write: Writer, options: Options, destination: Destination) -> Outcome:
    """Read, clean and write one file through ``read`` and ``write`` (a local file or an object in a
    store: :mod:`cleaner.cluster.storage`) and return what the run needs of it. Never raises for a bad
    file."""
    try:
        data = read()
        cleaned = clean_data(data, options)
    except ReadError as error:
        return Outcome(FileResult(name, error=error.message, findings=(_error(name, error.message),)))
    stamped = tuple(f.with_file(name) for f in cleaned.findings)
    result = FileResult(name, changed=cleaned.data is not data, findings=stamped)
    print_ = None
    if destination.fingerprints:
        from cleaner.dedup import fingerprint  # numpy: only for runs that compare files

        print_ = fingerprint(name, cleaned.body, cleaned.date)
    lines = short_lines(cleaned.body) if destination.short_lines else frozenset()
    # the input as it was read: with --in-place the file is about to become the clean text
    texts = (_text_of(cleaned.source), _text_of(cleaned.data)) if destination.texts else None
    diff = ""
    if result.changed and destination.diff:
        diff = _unified_diff(name, cleaned.source, cleaned.data)
    try:
        written = write(cleaned.data, result.changed)
    except OSError as error:
        message = f"cannot write: {error.strerror or error}"
        return Outcome(replace(result, error=message, findings=(*result.findings, _error(name, message))))
    if written is not None:
        result = replace(result, output=written)
    if not destination.record:
        kept = tuple(f for f in result.findings if f.kind is Kind.ERROR)
        counted = [f for f in result.findings if f.kind is not Kind.ERROR]
        counts = collections.Counter(f.kind.value for f in counted)
        rules = collections.Counter(f.rule or f.kind.value for f in counted)
        result = replace(result, findings=kept, counts=dict(counts), rules=dict(rules))
    return Outcome(result, diff, print_, lines, texts)


def _text_of(data: bytes) -> str:
    """A file's whole text (front matter and body) with ``\\n`` line ends."""
    article, _ = decode(data)
    return (article.front_matter.raw if article.front_matter is not None else "") + article.body


#: Files a worker takes at a time: larger chunks cost less to ship, smaller ones keep results (and a
#: progress bar) flowing. A run gets at least CHUNKS_PER_WORKER chunks a worker: 100 posts go one by one
#: over two workers (in chunks of 12 the bar sat still for 3 s), 10,000 in chunks of MAX_CHUNK.
MAX_CHUNK = 16
CHUNKS_PER_WORKER = 32


def run(
    sources: Sequence[Source], options: Options, destination: Destination, jobs: int = 1
) -> Iterator[Outcome]:
    """Process ``sources`` in order, over ``jobs`` processes. Results come back in input order."""
    work = functools.partial(process, options=options, destination=destination)
    if jobs <= 1:
        # what was alive before the run (modules, the caller's data) is kept out of the collections
        # the run's many short-lived containers trigger: a full collection would walk all of it
        gc.freeze()
        try:
            yield from map(work, sources)
        finally:
            gc.unfreeze()
        return
    import concurrent.futures  # 6 ms to import: only runs with a process pool pay it

    pool = concurrent.futures.ProcessPoolExecutor(max_workers=jobs)
    # Workers are forked when the first task is submitted. Objects the parent already holds are moved
    # out of the collector's reach meanwhile, so that a worker's collections never touch (and copy) the
    # pages it shares with the parent; the parent takes them back right after.
    gc.freeze()
    try:
        # small chunks for a small run, so that results (and a progress bar) arrive from the first files
        chunks = max(1, min(MAX_CHUNK, len(sources) // (jobs * CHUNKS_PER_WORKER)))
        results = pool.map(work, sources, chunksize=chunks)
    finally:
        gc.unfreeze()
    try:
        yield from results
    except BaseException:
        # interrupted (Ctrl-C, SIGTERM, the caller stopped reading): files being written finish
        # atomically, nothing queued starts
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
