"""The only module that knows the stage order: read → split → classify → stitch → repair → write.

:func:`clean_text` is the library entry point: text in, clean text and findings out. :func:`clean_bytes`
adds decoding and encoding, and :func:`clean_file` the file system, for the CLI and the hook.
"""

from __future__ import annotations

import concurrent.futures
import difflib
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from cleaner import patterns
from cleaner.classify import classify
from cleaner.discover import Source
from cleaner.model import Action, Article, FileResult, Finding, FrontMatter, Kind, Result
from cleaner.options import Options
from cleaner.read import ReadError, decode, encode, read_field, read_path, split_front_matter, write_field
from cleaner.repair.boilerplate import remove_boilerplate
from cleaner.repair.title import repair_title
from cleaner.split import split_body
from cleaner.stitch import stitch
from cleaner.write import atomic_write, output_path

DEFAULT_OPTIONS = Options()


def clean_body(body: str, options: Options = DEFAULT_OPTIONS) -> tuple[str, tuple[Finding, ...]]:
    """Clean an article body (no front matter, ``\\n`` line ends)."""
    findings: list[Finding] = []
    text, removed = remove_boilerplate(body, options.boilerplate_lines, options.boilerplate_patterns)
    findings.extend(removed)
    split = split_body(text, options.marker_pattern)
    findings.extend(split.findings)
    echo = any(patterns.PROMPT_ECHO_HEADER.match(u.text) for u in split.units)
    repeats = bool(split.markers) or echo or options.dedup_without_markers
    plan = classify(split, options, repeats=repeats)
    findings.extend(plan.findings)
    if split.markers or plan.findings:
        text = stitch(split, plan)
    findings.extend(_report_only(text))
    return text, tuple(sorted(findings, key=_place))


def _place(finding: Finding) -> tuple[int, int, int]:
    return (finding.line or 0, finding.block or 0, finding.paragraph or 0)


def _report_only(body: str) -> list[Finding]:
    """Flaws the tool reports but does not guess at."""
    found: list[Finding] = []
    if len(body) < 2000 and patterns.NON_ARTICLE.search(body):
        found.append(
            Finding(
                Kind.NON_ARTICLE,
                Action.REPORTED,
                passage=body.strip()[:120],
                detail="the text says there is no article",
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
                    passage=stripped[:80],
                    line=number,
                    detail="closing bracket without its opening one",
                )
            )
    return found


def clean_article(article: Article, options: Options = DEFAULT_OPTIONS) -> tuple[str, tuple[Finding, ...]]:
    """Clean a decoded article; return the full text (front matter + body) with ``\\n`` line ends."""
    body, findings = clean_body(article.body, options)
    front = article.front_matter
    title_findings: list[Finding] = []
    if front is not None:
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


def clean_bytes(data: bytes, options: Options = DEFAULT_OPTIONS) -> tuple[bytes, tuple[Finding, ...]]:
    """Decode, clean and encode one file's bytes. Unchanged input comes back as the same bytes."""
    article, read_findings = decode(data)
    text, findings = clean_article(article, options)
    out = encode(article, text)
    if out == data:
        return data, tuple(f for f in findings if f.action is Action.REPORTED)
    return out, read_findings + findings


def clean_file(
    path: Path, options: Options = DEFAULT_OPTIONS, display: str | None = None
) -> tuple[FileResult, bytes | None]:
    """Read and clean one file. Returns the result and the clean bytes (None when unchanged or failed)."""
    name = display or str(path)
    try:
        data = read_path(path, options.max_file_bytes)
        out, findings = clean_bytes(data, options)
    except ReadError as error:
        return FileResult(name, error=error.message, findings=(_error(name, error.message),)), None
    stamped = tuple(f.with_file(name) for f in findings)
    if out is data:
        return FileResult(name, changed=False, findings=stamped), None
    return FileResult(name, changed=True, findings=stamped), out


def _error(name: str, message: str) -> Finding:
    return Finding(Kind.ERROR, Action.REPORTED, detail=message, file=name)


# --- runs over many files -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Destination:
    """Where clean text goes: a mirror folder, the input files themselves, or nowhere."""

    out_dir: Path | None = None
    in_place: bool = False
    diff: bool = False

    @property
    def writes(self) -> bool:
        return self.in_place or self.out_dir is not None


@dataclass(frozen=True, slots=True)
class Outcome:
    result: FileResult
    diff: str = ""


def _unified_diff(name: str, old: bytes, new: bytes) -> str:
    before = old.decode("utf-8", errors="replace").splitlines(keepends=True)
    after = new.decode("utf-8", errors="replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, fromfile=f"a/{name}", tofile=f"b/{name}"))


def process(source: Source, options: Options, destination: Destination) -> Outcome:
    """Clean one file and deliver it to ``destination``. Never raises for a bad file."""
    name = str(source.path)
    result, out = clean_file(source.path, options, name)
    if result.error is not None:
        return Outcome(result)
    diff = ""
    if out is not None and destination.diff:
        diff = _unified_diff(name, source.path.read_bytes(), out)
    try:
        if destination.in_place and out is not None:
            atomic_write(source.path, out, mode=source.path.stat().st_mode)
            result = replace(result, output=name)
        elif destination.out_dir is not None:
            target = output_path(source.rel, destination.out_dir)
            atomic_write(target, out if out is not None else source.path.read_bytes())
            result = replace(result, output=str(target))
    except OSError as error:
        message = f"cannot write: {error.strerror or error}"
        return Outcome(replace(result, error=message, findings=(*result.findings, _error(name, message))))
    return Outcome(result, diff)


def run(
    sources: Iterable[Source], options: Options, destination: Destination, jobs: int = 1
) -> Iterator[Outcome]:
    """Process ``sources`` in order, over ``jobs`` processes. Results come back in input order."""
    work = functools.partial(process, options=options, destination=destination)
    if jobs <= 1:
        yield from map(work, sources)
        return
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(work, sources, chunksize=4)
