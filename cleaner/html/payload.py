"""What the page holds for one file: the diff of its two versions and its findings, each anchored to
the segment of the diff where it happened, and which findings a person should review first.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from cleaner.html.diff import ADDED, GONE, SAME, Segment, char_diff, new_text, old_text, text_diff
from cleaner.model import Action, Finding, Kind
from cleaner.read import split_front_matter
from cleaner.report import GROUPS

#: Review categories, in the order a person should look at them (issue 16: seams first, then
#: supersedes and moved passages, kept fragments, real title rewrites, suspects).
CATEGORIES: tuple[str, ...] = ("seam", "moved", "fragment", "title", "suspect")
_CATEGORY_OF: dict[Kind, int] = {
    Kind.OVERLAP: 0,
    Kind.CONTINUATION: 0,
    Kind.SUPERSEDED: 1,
    Kind.MERGED: 1,
    Kind.FRAGMENT_KEPT: 2,
    Kind.TITLE: 3,
    Kind.TITLE_CUT: 3,
    Kind.MOJIBAKE: 3,
    Kind.SUSPECT: 4,
    Kind.NON_ARTICLE: 4,
    Kind.ERROR: 4,
}
TITLE_KINDS = GROUPS["titles repaired"]
SEAM_KINDS = GROUPS["seams stitched"]
#: Findings that remove their whole line (a paragraph is a line): the diff must show that very line as
#: removed, not an earlier copy of it.
#: (The summary's dropped paragraphs, less an alternative continuation, which drops only its first
#: sentence, and with the marker lines.)
LINE_DROPS = (GROUPS["paragraphs dropped"] - {Kind.ALTERNATIVE}) | {Kind.MARKER}

#: Characters of a finding's passage kept in the page's index (the review list shows the start of it;
#: the whole text is in the file's own data).
EXCERPT = 90

#: A finding's passage longer than this is cut in the file's data: the full text is in the diff.
PASSAGE_LIMIT = 600


def label(finding: Finding) -> str:
    """The rule code of a finding, or its kind before rules were named."""
    return finding.rule or finding.kind.value


def review_category(finding: Finding) -> int | None:
    """The index in :data:`CATEGORIES` of a finding a person should check, or None.

    A title repair is reviewed only when it rewrote more than its last character.

    >>> from cleaner.model import Action
    >>> review_category(Finding(Kind.TITLE, Action.CHANGED, passage="可能\\ufffd", matched="可能性"))
    >>> review_category(Finding(Kind.TITLE, Action.CHANGED, passage="頼性確", matched="信頼性確保"))
    3
    """
    category = _CATEGORY_OF.get(finding.kind)
    if category is not None and finding.kind in TITLE_KINDS:
        old, new = finding.passage, finding.matched
        common = next(
            (i for i, (x, y) in enumerate(zip(old, new, strict=False)) if x != y), min(len(old), len(new))
        )
        if len(old) - common <= 1 and len(new) - common <= 1:
            return None
    return category


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One entry of the "Review first" list (the finding is ``findings[finding]`` of the file)."""

    category: int
    similarity: float
    path: str
    line: int
    finding: int
    label: str
    excerpt: str


def _line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _field_line(original: str, finding: Finding) -> int | None:
    """The 1-based line of the front matter field a title finding is about (its detail starts with the
    field's name)."""
    name = finding.detail.split(":", 1)[0].strip() or "title"
    for number, line in enumerate(original.split("\n")[:200], start=1):
        if line.startswith(f"{name}:"):
            return number
        if number > 1 and line.strip() in ("---", "+++"):
            break
    return None


def _split_at(segments: list[Segment], cuts: list[int]) -> tuple[list[Segment], list[int]]:
    """Split the original's segments at the character offsets ``cuts``; return them and the original
    offset where each starts."""
    out: list[Segment] = []
    starts: list[int] = []
    pos = 0
    for op, text in segments:
        if op == ADDED:
            out.append((op, text))
            starts.append(pos)
            continue
        end = pos + len(text)
        first = bisect.bisect_right(cuts, pos)
        last = bisect.bisect_left(cuts, end)
        here = pos
        for cut in cuts[first:last]:
            out.append((op, text[here - pos : cut - pos]))
            starts.append(here)
            here = cut
        out.append((op, text[here - pos :]))
        starts.append(here)
        pos = end
    return out, starts


def _anchor(starts: list[int], segments: list[Segment], begin: int, end: int, seam: bool) -> int:
    """The segment a finding on the original's characters ``begin``..``end`` is shown at: the first
    change on that line, else where the line starts. A seam is shown at the join: the text added to
    the cut sentence before its continuation's line."""
    first = bisect.bisect_left(starts, begin)
    if seam:
        index = min(first, len(segments)) - 1
        while index >= 0 and (segments[index][0] == GONE or not segments[index][1].strip()):
            if segments[index][0] == ADDED:
                return index
            index -= 1
        if index >= 0 and segments[index][0] == ADDED:
            return index
    index = first
    while index < len(segments) and starts[index] < end:
        if segments[index][0] != SAME:
            return index
        index += 1
    return min(first, len(segments) - 1)


def _passage_diff(finding: Finding) -> list[Segment] | None:
    """Character diff of a dropped or changed passage against the kept one it matched."""
    old, new = finding.passage, finding.matched
    if not old or not new or old == new or finding.kind in SEAM_KINDS:
        return None
    if new.endswith("…"):  # the matched passage is shortened: compare the same length of both
        new = new[:-1]
        old = old[: len(new)]
    return char_diff(old[:PASSAGE_LIMIT], new[:PASSAGE_LIMIT])


def file_payload(
    original: str, cleaned: str, findings: tuple[Finding, ...]
) -> tuple[dict[str, Any], list[int]]:
    """The data of one file (segments and anchored findings) and each finding's anchor segment (-1:
    about the whole file)."""
    original_lines = original.split("\n")
    gone = frozenset(
        f.line - 1
        for f in findings
        if f.kind in LINE_DROPS
        and f.action is Action.DROPPED
        and f.line is not None
        and 0 < f.line <= len(original_lines)
        and original_lines[f.line - 1].strip() == f.passage.strip()
    )
    segments = text_diff(original, cleaned, gone)
    line_starts = _line_starts(original)
    lines: list[int | None] = []
    for finding in findings:
        line = finding.line
        if line is None and finding.kind in TITLE_KINDS:
            line = _field_line(original, finding)
        lines.append(line if line is not None and 1 <= line <= len(line_starts) else None)
    front, _ = split_front_matter(original)
    front_end = len(front.raw) if front is not None else 0
    cuts = sorted(({line_starts[line - 1] for line in lines if line is not None} | {front_end}) - {0})
    segments, starts = _split_at(segments, cuts)
    anchors: list[int] = []
    for finding, line in zip(findings, lines, strict=True):
        if line is None or not segments:
            anchors.append(-1)
            continue
        begin = line_starts[line - 1]
        end = line_starts[line] if line < len(line_starts) else len(original) + 1
        anchors.append(_anchor(starts, segments, begin, end, finding.kind in SEAM_KINDS))
    rows = [_row(f, anchor) for f, anchor in zip(findings, anchors, strict=True)]
    return {"s": [[op, text] for op, text in segments], "f": rows, "fm": front_end}, anchors


def _row(finding: Finding, anchor: int) -> list[Any]:
    """A finding as the page reads it. When the passage diff holds the passage or the matched text
    whole, that text is left out (null): the page rebuilds it from the diff, so that the file's data
    carries each text once; a matched text equal to the passage is left out too."""
    diff = _passage_diff(finding)
    passage: str | None = finding.passage[:PASSAGE_LIMIT]
    matched: str | None = finding.matched
    if diff is not None:
        segments = [(op, text) for op, text in diff]
        passage = None if old_text(segments) == passage else passage
        matched = None if new_text(segments) == matched else matched
    elif matched and matched == passage:
        matched = None  # a verbatim repeat: the page takes the passage
    return [
        label(finding),
        finding.kind.value,
        finding.action.value,
        finding.line,
        None if finding.similarity is None else round(finding.similarity, 1),
        passage,
        matched,
        finding.detail,
        anchor,
        review_category(finding),
        diff,
    ]


def review_items(path: str, findings: tuple[Finding, ...]) -> list[ReviewItem]:
    items = []
    for index, finding in enumerate(findings):
        category = review_category(finding)
        if category is None:
            continue
        text = finding.passage or finding.detail
        if finding.kind in TITLE_KINDS and finding.matched:
            text = f"{finding.passage} → {finding.matched}"
        items.append(
            ReviewItem(
                category,
                100.0 if finding.similarity is None else finding.similarity,
                path,
                finding.line or 0,
                index,
                label(finding),
                text[:EXCERPT],
            )
        )
    return items
