"""Sections: a heading once, with its section's text under it.

- ``section.merge``: a regenerated section (the same heading again at the same level and under the same
  parent, renumbered ``### 7.`` → ``### 8.``, or marked （続き）/(continued)) goes into the first one: its
  text is put at the end of that section, where the repeat rules then keep what it adds; its heading
  goes. The same heading under different parents (``### 成果`` of two case studies) is not a regeneration.
- ``section.continued_heading``: a heading marked as a continuation with no earlier section loses the mark.
- ``section.orphan_heading`` / ``section.cut_heading``: a heading with nothing under it (the end of the
  body, or a heading of the same or a higher level next) goes; a cut heading is the start of the next.
  A bold lead-in line on its own right before a Markdown heading or the end has nothing under it
  either, and goes too (before another bold lead-in line it may head it, and stays).
"""

from __future__ import annotations

from dataclasses import dataclass

from cleaner import patterns
from cleaner.model import Action, Finding, Kind
from cleaner.structure.chunks import Chunk, join, parse

#: Headings whose comparison key is shorter than this are never merged (``### 7.`` alone).
MIN_HEADING_KEY = 2


@dataclass(frozen=True, slots=True)
class _Heading:
    index: int
    level: int
    key: str
    continued: bool
    parent: int  # index of the nearest heading above of a lower level, -1 for none


def heading_key(title: str) -> str:
    """What makes two headings one section: no number, no continuation mark, no markup.

    >>> heading_key("7. 投資家への示唆（続き）") == heading_key("8. 投資家への示唆")
    True
    """
    title = patterns.CONTINUED_HEADING.sub("", title)
    return patterns.compare_key(patterns.SECTION_NUMBER.sub("", title.strip()))


def _headings(chunks: list[Chunk]) -> list[_Heading]:
    out: list[_Heading] = []
    stack: list[_Heading] = []
    for i, chunk in enumerate(chunks):
        if not chunk.level:
            continue
        while stack and stack[-1].level >= chunk.level:
            stack.pop()
        title = chunk.title
        head = _Heading(
            i,
            chunk.level,
            heading_key(title),
            patterns.CONTINUED_HEADING.search(title) is not None,
            stack[-1].index if stack else -1,
        )
        out.append(head)
        stack.append(head)
    return out


def _end(chunks: list[Chunk], index: int) -> int:
    """The index after the section of the heading at ``index``."""
    level = chunks[index].level
    for n in range(index + 1, len(chunks)):
        if chunks[n].level and chunks[n].level <= level:
            return n
    return len(chunks)


def _paragraph_sep(chunk: Chunk) -> Chunk:
    sep = chunk.sep if chunk.sep.count("\n") >= 2 else "\n\n"
    return Chunk(chunk.text, sep, chunk.line, chunk.level, chunk.code)


def _merge_one(chunks: list[Chunk]) -> tuple[list[Chunk], Finding | None]:
    heads = _headings(chunks)
    by_index = {h.index: h for h in heads}
    for n, later in enumerate(heads):
        if len(later.key) < MIN_HEADING_KEY:
            continue
        parent = by_index.get(later.parent)
        while parent is not None and parent.key != later.key:
            parent = by_index.get(parent.parent)
        if parent is not None:  # the section again as a subsection of itself: its heading goes
            heading = chunks[later.index]
            rest = chunks[: later.index] + chunks[later.index + 1 :]
            if later.index < len(rest):
                rest[later.index] = _paragraph_sep(rest[later.index])
            return rest, Finding(
                Kind.SECTION,
                Action.DROPPED,
                passage=heading.text,
                matched=chunks[parent.index].text,
                line=heading.line,
                detail="a regenerated section's heading inside the section itself",
                rule="section.merge",
            )
        first = next(
            (
                h
                for h in heads[:n]
                if h.level == later.level
                and h.key == later.key
                and (later.continued or h.parent == later.parent)
            ),
            None,
        )
        if first is None:
            continue
        end = _end(chunks, later.index)
        moved = chunks[later.index + 1 : end]
        rest = chunks[: later.index] + chunks[end:]
        at = _end(rest, first.index)
        if moved:
            moved = [_paragraph_sep(moved[0]), *moved[1:]]
        if at < len(rest):
            rest[at] = _paragraph_sep(rest[at])
        heading = chunks[later.index]
        finding = Finding(
            Kind.SECTION,
            Action.CHANGED if moved else Action.DROPPED,
            passage=heading.text,
            matched=chunks[first.index].text,
            line=heading.line,
            detail=f"a regenerated section merged into the first ({len(moved)} paragraphs moved)",
            rule="section.merge",
        )
        return rest[:at] + moved + rest[at:], finding
    return chunks, None


def _unmark(chunks: list[Chunk]) -> tuple[list[Chunk], list[Finding]]:
    out: list[Chunk] = []
    findings: list[Finding] = []
    for chunk in chunks:
        if chunk.level and patterns.CONTINUED_HEADING.search(chunk.title):
            text = patterns.CONTINUED_HEADING.sub("", chunk.text).rstrip()
            if text.lstrip("# ").strip():
                findings.append(
                    Finding(
                        Kind.SECTION,
                        Action.CHANGED,
                        passage=chunk.text,
                        matched=text,
                        line=chunk.line,
                        detail="the continuation mark of a heading removed",
                        rule="section.continued_heading",
                    )
                )
                chunk = Chunk(text, chunk.sep, chunk.line, chunk.level, chunk.code)
        out.append(chunk)
    return out, findings


def _orphans(chunks: list[Chunk]) -> tuple[list[Chunk], list[Finding]]:
    if not any(not c.level for c in chunks):
        return chunks, []
    out: list[Chunk] = []
    findings: list[Finding] = []
    for n, chunk in enumerate(chunks):
        nxt = chunks[n + 1] if n + 1 < len(chunks) else None
        if _bold_heading(chunk):
            # a bold lead-in line on its own heads what follows it (paragraphs, or bold lead-ins under
            # it): right before a Markdown heading or the end, it has nothing under it
            if nxt is not None and not nxt.level:
                out.append(chunk)
                continue
        elif not chunk.level or (nxt is not None and (not nxt.level or nxt.level > chunk.level)):
            out.append(chunk)
            continue
        key = heading_key(chunk.title or chunk.text)
        cut = nxt is not None and len(key) >= 1 and heading_key(nxt.title or nxt.text).startswith(key)
        findings.append(
            Finding(
                Kind.SECTION,
                Action.DROPPED,
                passage=chunk.text,
                matched=nxt.text if cut and nxt is not None else "",
                line=chunk.line,
                detail="a heading cut short, followed by its full version"
                if cut
                else "a heading with nothing under it (its section was all repeats)",
                rule="section.cut_heading" if cut else "section.orphan_heading",
            )
        )
    return out, findings


def _bold_heading(chunk: Chunk) -> bool:
    """A bold lead-in line on its own (``**AIとの新たな共存の道へ**``), outside code."""
    return (
        not chunk.level
        and not chunk.code
        and "\n" not in chunk.text
        and bool(patterns.BOLD_LINE.match(chunk.text))
    )


def merge_sections(body: str) -> tuple[str, list[Finding]]:
    """Merge regenerated sections into the first, then drop headings left with nothing under them.

    >>> text = "## 背景\\n\\n一。\\n\\n## 展望\\n\\n二。\\n\\n## 背景（続き）\\n\\n三。\\n"
    >>> out, found = merge_sections(text)
    >>> out
    '## 背景\\n\\n一。\\n\\n三。\\n\\n## 展望\\n\\n二。\\n'
    >>> [f.rule for f in found]
    ['section.merge']
    """
    parsed = parse(body)
    chunks = list(parsed.chunks)
    findings: list[Finding] = []
    while True:
        chunks, finding = _merge_one(chunks)
        if finding is None:
            break
        findings.append(finding)
    chunks, unmarked = _unmark(chunks)
    findings.extend(unmarked)
    chunks, orphans = _orphans(chunks)
    findings.extend(orphans)
    if not findings:
        return body, findings
    return join(parsed, chunks), findings
