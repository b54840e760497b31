"""The review page: one self-contained HTML file for a run.

:class:`PageWriter` is fed one file at a time as results stream in. Each file's data (its diff and
findings) is compressed and written straight away to a spool as a ``<script type="application/
x-cleaner-file">`` block of base64 text, so a run never holds every file's text; only a small index
(paths, counts, review items) stays in memory until :meth:`PageWriter.finish` writes the page: the
overview and the index first, then the spooled blocks, then the script. The browser decodes a file's
block only when the file is opened.

Nothing from a file reaches the page as markup: file data is base64 (no ``<`` at all), the index is
JSON with ``<``, ``>``, ``&`` and the JavaScript line separators escaped, and the script builds the page
with text nodes only.
"""

from __future__ import annotations

import base64
import collections
import io
import json
import os
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, Any, TextIO

from cleaner.dedup import Group
from cleaner.html.payload import CATEGORIES, ReviewItem, file_payload, label, review_items
from cleaner.model import FileResult, Finding, Kind
from cleaner.report import Summary

#: Bytes of file data kept in memory before the spool moves to a temporary file.
SPOOL_BYTES = 8 << 20

#: zlib level for file data: 6 is zlib's default, within a few percent of 9 at half the time.
COMPRESSION = 6

#: Characters a JSON text must not carry into an HTML ``<script>`` block, and their JSON escapes.
_SCRIPT_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_json(value: Any) -> str:
    """JSON safe to embed in an HTML ``<script type="application/json">`` block.

    >>> script_json({"t": "</script><!-- & \\u2028"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003c!-- \\\\u0026 \\\\u2028"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_SCRIPT_ESCAPES)


def encode_file_data(value: Any) -> str:
    """A file's data as base64 of zlib-compressed JSON (the page inflates it with
    ``DecompressionStream("deflate")``)."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, COMPRESSION)).decode("ascii")


def _asset(name: str) -> str:
    return resources.files("cleaner.html").joinpath("assets", name).read_text(encoding="utf-8")


@dataclass(slots=True)
class _Entry:
    path: str
    changed: bool
    error: str | None
    blob: int  # the id of the file's data block, -1 when it has none (errors)
    counts: collections.Counter[str] = field(default_factory=collections.Counter)
    review: list[ReviewItem] = field(default_factory=list)
    extra: list[Finding] = field(default_factory=list)  # findings made after the run (duplicates)


class PageWriter:
    """Builds the page of one run, file by file."""

    def __init__(self, title: str = "cleaner review") -> None:
        self.title = title
        self._spool: IO[str] = tempfile.SpooledTemporaryFile(  # noqa: SIM115 (closed by finish)
            max_size=SPOOL_BYTES, mode="w+", encoding="ascii"
        )
        self._entries: list[_Entry] = []
        self._by_path: dict[str, int] = {}
        self._summary = Summary()
        self._blobs = 0

    def add(self, result: FileResult, texts: tuple[str, str] | None) -> None:
        """Add one file: its result and its ``(original, cleaned)`` texts (None when it failed)."""
        self._summary.add(result)
        entry = _Entry(result.path, result.changed, result.error, -1)
        entry.counts.update(label(f) for f in result.findings if f.kind is not Kind.ERROR)
        entry.counts.update(result.counts)
        entry.review = review_items(result.path, result.findings)
        if texts is not None:
            data, _ = file_payload(texts[0], texts[1], result.findings)
            entry.blob = self._blobs
            self._spool.write(f'<script type="application/x-cleaner-file" id="d{self._blobs}">')
            self._spool.write(encode_file_data(data))
            self._spool.write("</script>\n")
            self._blobs += 1
        elif result.findings:
            entry.extra.extend(result.findings)
        self._by_path[result.path] = len(self._entries)
        self._entries.append(entry)

    def add_findings(self, findings: Iterable[Finding]) -> None:
        """Findings made after every file was read (duplicate articles across files)."""
        found = list(findings)
        self._summary.count(found)
        for finding in found:
            index = self._by_path.get(finding.file)
            if index is not None:
                self._entries[index].extra.append(finding)
                self._entries[index].counts[label(finding)] += 1

    def index(
        self, groups: Iterable[Group] = (), candidates: Iterable[tuple[str, int]] = ()
    ) -> dict[str, Any]:
        """What the page shows before any file is opened."""
        order = sorted(range(len(self._entries)), key=lambda i: self._entries[i].path)
        position = {old: new for new, old in enumerate(order)}
        entries = [self._entries[i] for i in order]
        items = sorted(
            (item for e in entries for item in e.review),
            key=lambda r: (r.category, r.similarity, r.path, r.line, r.finding),
        )
        labels = collections.Counter[str]()
        for entry in entries:
            labels.update(entry.counts)
        return {
            "title": self.title,
            "summary": self._summary.to_dict(),
            "labels": sorted(labels.items(), key=lambda kv: (-kv[1], kv[0])),
            "categories": list(CATEGORIES),
            "files": [
                {
                    "p": e.path,
                    "c": e.changed,
                    "e": e.error,
                    "b": e.blob,
                    "n": dict(sorted(e.counts.items())),
                    "r": len(e.review),
                    "x": [[label(f), f.kind.value, f.detail, f.matched] for f in e.extra],
                }
                for e in entries
            ],
            "review": [
                [position[self._by_path[r.path]], r.finding, r.category, r.label, r.similarity, r.excerpt]
                for r in items
            ],
            "duplicates": [
                {
                    "canonical": g.canonical,
                    "why": g.why,
                    "members": [[m.path, round(m.similarity, 1), m.reason] for m in g.members],
                }
                for g in groups
            ],
            "boilerplate": [[line, n] for line, n in candidates],
        }

    def finish(
        self, out: TextIO, groups: Iterable[Group] = (), candidates: Iterable[tuple[str, int]] = ()
    ) -> None:
        """Write the whole page to ``out`` and release the spool."""
        head, rest = _asset("page.html").split("{{files}}")
        page_index = script_json(self.index(groups, candidates))
        head = head.replace("{{css}}", _asset("page.css")).replace("{{index}}", page_index)
        out.write(head.replace("{{title}}", _escape(self.title)))
        self._spool.seek(0)
        while chunk := self._spool.read(1 << 20):
            out.write(chunk)
        self._spool.close()
        out.write(rest.replace("{{js}}", _asset("page.js")))

    def close(self) -> None:
        self._spool.close()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write_page(
    writer: PageWriter,
    path: Path,
    groups: Iterable[Group] = (),
    candidates: Iterable[tuple[str, int]] = (),
) -> None:
    """Write the page to ``path`` atomically (a temporary file beside it, then a rename)."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temp.open("w", encoding="utf-8") as out:
            writer.finish(out, groups, candidates)
        os.replace(temp, path)
    except BaseException:
        writer.close()
        temp.unlink(missing_ok=True)
        raise


def render_page(
    files: Iterable[tuple[FileResult, tuple[str, str] | None]],
    groups: Iterable[Group] = (),
    candidates: Iterable[tuple[str, int]] = (),
    extra: Iterable[Finding] = (),
    title: str = "cleaner review",
) -> str:
    """The page as one string (for small runs and tests)."""
    writer = PageWriter(title)
    for result, texts in files:
        writer.add(result, texts)
    writer.add_findings(extra)
    out = io.StringIO()
    writer.finish(out, groups, candidates)
    return out.getvalue()
