"""Body → blocks (between continuation markers) → units (non-blank lines).

A *unit* is one non-blank line. Japanese posts put a paragraph on one line, and the repeats and seams
the continuation job left are line-aligned, so the line is the unit of every later decision. The
whitespace before each unit is kept, so untouched stretches are rebuilt byte for byte.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import regex

from cleaner import patterns
from cleaner.model import Action, Finding, Kind


class UnitKind(enum.Enum):
    PROSE = "prose"
    ITEM = "item"  # a list item: compared like prose, never stitched
    STRUCTURE = "structure"  # headings, tables, quotes, images, HTML
    RULE = "rule"  # --- thematic break
    CODE = "code"  # inside a fenced code block: never touched


@dataclass(frozen=True, slots=True)
class Unit:
    """One non-blank line of the body (or one side of an inline marker)."""

    index: int  # position in the unit sequence
    block: int  # 0-based block: markers separate blocks
    paragraph: int  # 0-based index of the unit inside its block
    line: int  # 1-based line of the body
    text: str
    sep: str  # the whitespace between the previous unit and this one in the input
    kind: UnitKind
    after_marker: bool  # a marker stood between the previous unit and this one


@dataclass(frozen=True, slots=True)
class Split:
    units: tuple[Unit, ...]
    markers: int
    lead: str  # whitespace before the first unit
    trail: str  # whitespace after the last unit (markers excluded)
    ends_with_marker: bool  # the body's last non-blank line was a marker
    findings: tuple[Finding, ...]


def compile_marker(pattern: str) -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """Return (whole-line marker, marker anywhere in a line) regexes for ``pattern``."""
    return (
        regex.compile(r"^[ \t\u3000]*(?:" + pattern + r")[ \t\u3000]*$"),
        regex.compile(r"[ \t\u3000]*(?:" + pattern + r")[ \t\u3000]*"),
    )


def classify_line(text: str) -> UnitKind:
    """Tell prose from Markdown structure.

    >>> classify_line("## まとめ").value, classify_line("---").value, classify_line("本文です。").value
    ('structure', 'rule', 'prose')
    >>> classify_line("1.  **データ戦略:** AIの燃料はデータです。").value
    'item'
    """
    if text.lstrip()[:1] not in _STRUCTURE_STARTS:
        return UnitKind.PROSE  # the common case, without a regex
    if patterns.RULE.match(text):
        return UnitKind.RULE
    if patterns.LIST_ITEM.match(text):
        return UnitKind.ITEM
    if patterns.STRUCTURAL.match(text):
        return UnitKind.STRUCTURE
    return UnitKind.PROSE


#: The first characters that RULE, LIST_ITEM and STRUCTURAL can match after leading whitespace.
_STRUCTURE_STARTS = frozenset("-*_+#|>`~!<[0123456789")


def split_body(body: str, marker_pattern: str) -> Split:
    """Split ``body`` (``\\n`` line ends) into units, recording every marker removed.

    >>> s = split_body("a。\\n\\n---END---\\nb。\\nc ---END--- d", r"-{2,}\\s*END\\s*-{2,}")
    >>> [(u.block, u.paragraph, u.text, u.after_marker) for u in s.units]
    [(0, 0, 'a。', False), (1, 0, 'b。', True), (1, 1, 'c', False), (2, 0, 'd', True)]
    >>> s.markers
    2
    """
    whole, inline = compile_marker(marker_pattern)
    units: list[Unit] = []
    findings: list[Finding] = []
    block = 0
    paragraph = 0
    markers = 0
    pending_sep: list[str] = []
    after_marker = False
    in_fence = False
    lead: str | None = None
    ends_with_marker = False

    def add(text: str, kind: UnitKind, line_no: int) -> None:
        nonlocal paragraph, after_marker, lead, pending_sep, ends_with_marker
        sep = "\n" + "".join(blank + "\n" for blank in pending_sep) if units else ""
        if lead is None:
            lead = "".join(blank + "\n" for blank in pending_sep)
        units.append(Unit(len(units), block, paragraph, line_no, text, sep, kind, after_marker))
        paragraph += 1
        after_marker = False
        pending_sep = []
        ends_with_marker = False

    def marker(line_no: int, text: str, rule: str) -> None:
        nonlocal block, paragraph, after_marker, markers, pending_sep, ends_with_marker
        findings.append(
            Finding(Kind.MARKER, Action.DROPPED, passage=text.strip(), block=block, line=line_no, rule=rule)
        )
        markers += 1
        block += 1
        paragraph = 0
        after_marker = True
        pending_sep = []
        ends_with_marker = True

    lines = body.split("\n")
    # the lines that hold a marker, found in one search over the body rather than one per line
    marked: set[int] = set()
    for match in inline.finditer(body):
        # every line a match touches (a pattern may span lines; only matches inside one line count):
        # a line's number is one more than the newlines before it (a marker never matches empty text)
        start, end = match.span()
        first = body.count("\n", 0, start) + 1
        marked.update(range(first, first + body.count("\n", start, max(start, end - 1)) + 1))
    for number, line in enumerate(lines, start=1):
        if line.lstrip()[:1] in ("`", "~") and patterns.FENCE.match(line):
            in_fence = not in_fence
            add(line, UnitKind.CODE, number)
            continue
        if in_fence:
            add(line, UnitKind.CODE, number)
            continue
        if not line.strip():
            pending_sep.append(line)
            continue
        if number not in marked:
            add(line, classify_line(line), number)
            continue
        if whole.match(line):
            marker(number, line, "marker.line")
            continue
        pieces = inline.split(line)
        if len(pieces) == 1:
            add(line, classify_line(line), number)
            continue
        found = inline.findall(line)
        for i, piece in enumerate(pieces):
            if i:
                marker(number, found[i - 1], "marker.inline")
            if piece.strip():
                add(piece, classify_line(piece), number)
    # ``body.split`` leaves one empty string after a final newline: it is the newline itself.
    trail = "\n" + "\n".join(pending_sep) if pending_sep and units else ""
    if not units:
        lead = "" if markers else body
    return Split(tuple(units), markers, lead or "", trail, ends_with_marker, tuple(findings))
