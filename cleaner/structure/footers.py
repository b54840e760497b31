"""Footers of the blog's structured format: related links, a call to action, book recommendations.

The original post ends with a ``---`` rule and footer sections; the continuation job appended its answers
after them, so footers end up between sections, and later blocks carry them again. :func:`lift_footers`
takes every footer group out of the body, so that the repeat pass sees the article alone, and returns
the groups (each piece once, in the order they first appear) to be put back after the article.

A footer group is found by its structure, not by its words: a ``---`` rule (or a marker) followed by
pieces that are footer-like: a heading whose content is links, ``{: .…}`` attribute lines, ``※`` notes
and at most a short sentence or two; a heading with nothing under it that introduces such pieces (a
book list); or a piece of only such lines. Named footer headings (:data:`patterns.FOOTER_HEADINGS`)
also count when a copy carries only its list.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from cleaner import patterns
from cleaner.model import Action, Finding, Kind

#: A footer section's prose: the call to action carries one or two short sentences above its link.
FOOTER_PROSE_LINES = 2
#: Longest prose line a footer section carries (the CTA's sentence, a book's one-line blurb).
FOOTER_PROSE_CHARS = 150
#: Longest footer heading; a longer heading line is article text (or a flattened copy).
FOOTER_HEADING_CHARS = 80

#: Footer groups of this many sections in all are the end of a post, not a list between sections.
END_FOOTER_SECTIONS = 2

_FOOTER_KEYS = frozenset(patterns.compare_key(h) for h in patterns.FOOTER_HEADINGS)


@dataclass(frozen=True, slots=True)
class Piece:
    """One footer section: a heading and its lines, or a run of footer lines without a heading."""

    first: int  # 0-based line index in the body
    last: int  # inclusive, the last non-blank line
    text: str
    key: str  # what makes two copies one section: the heading, or the whole text


@dataclass(frozen=True, slots=True)
class Lifted:
    """The body without its footer groups, where each remaining line came from, and the footer."""

    body: str
    lines: tuple[int, ...]  # 1-based input line of each line of ``body``
    footer: str  # footer groups to put after the article ("" when nothing was lifted)
    findings: tuple[Finding, ...]


def _is_heading(line: str) -> regex.Match[str] | None:
    return patterns.HEADING.match(line)


def _footer_ish(piece: list[str], following: list[list[str]]) -> bool:
    """Whether one piece (its non-blank lines) is a footer section."""
    head = _is_heading(piece[0])
    if head is None:
        return all(patterns.FOOTER_LINE.match(line) for line in piece)
    content = piece[1:]
    if patterns.FOOTER_LINE.match(piece[0]):  # ### [book](link): its blurb and link
        return _footer_content(content, need_link=False)
    if len(piece[0]) > FOOTER_HEADING_CHARS:
        return False
    if not content:
        # a heading that introduces deeper footer pieces (the book list), or a named footer heading
        if patterns.compare_key(head.group(2)) in _FOOTER_KEYS:
            return True
        if following:
            deeper = _is_heading(following[0][0])
            return (
                deeper is not None
                and len(deeper.group(1)) > len(head.group(1))
                and _footer_ish(following[0], following[1:])
            )
        return False
    return _footer_content(content, need_link=True)


def _footer_content(content: list[str], *, need_link: bool) -> bool:
    links = [line for line in content if patterns.FOOTER_LINE.match(line)]
    prose = [line for line in content if not patterns.FOOTER_LINE.match(line)]
    return (
        (bool(links) or not need_link)
        and len(prose) <= FOOTER_PROSE_LINES
        and all(len(line.strip()) <= FOOTER_PROSE_CHARS and not _is_heading(line) for line in prose)
    )


def _pieces(lines: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """Split ``lines[start:end]`` at headings: (first, last) non-blank line of each piece."""
    out: list[tuple[int, int]] = []
    first = last = -1
    for i in range(start, end):
        if not lines[i].strip():
            continue
        if _is_heading(lines[i]) and first >= 0:
            out.append((first, last))
            first = -1
        if first < 0:
            first = i
        last = i
    if first >= 0:
        out.append((first, last))
    return out


def _footer_part(lines: list[str], first: int, last: int) -> tuple[int, int, bool]:
    """A piece cut after its footer lines, and whether text follows them: a footer section ends with
    its links (a heading's piece), or is a run of footer lines (a piece without a heading). A piece
    without any footer line is returned whole, to be judged as it is."""
    end = first
    if not _is_heading(lines[first]):
        while end < last and (not lines[end + 1].strip() or patterns.FOOTER_LINE.match(lines[end + 1])):
            end += 1
        while not lines[end].strip():
            end -= 1
    else:
        for i in range(first + 1, last + 1):
            if patterns.FOOTER_LINE.match(lines[i]):
                end = i
        if end == first:
            return first, last, False
    return first, end, any(lines[i].strip() for i in range(end + 1, last + 1))


def _groups(lines: list[str], marker: regex.Pattern[str]) -> list[tuple[int, list[tuple[int, int]]]]:
    """Footer groups: (the rule's line or -1, footer pieces), in order."""
    boundaries = []
    in_fence = False
    for i, line in enumerate(lines):
        if patterns.FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (patterns.RULE.match(line) or marker.match(line)):
            boundaries.append(i)
    found = []
    for n, i in enumerate(boundaries):
        end = boundaries[n + 1] if n + 1 < len(boundaries) else len(lines)
        spans = [_footer_part(lines, a, b) for a, b in _pieces(lines, i + 1, end)]
        texts = [[line for line in lines[a : b + 1] if line.strip()] for a, b, _ in spans]
        footer: list[tuple[int, int]] = []
        for k, (a, b, rest) in enumerate(spans):
            if not _footer_ish(texts[k], texts[k + 1 :]):
                break
            footer.append((a, b))
            if rest:  # article text follows the footer section's last link
                break
        if footer:
            found.append((i if patterns.RULE.match(lines[i]) else -1, footer))
    return found


def _end_footer(lines: list[str], spans: list[tuple[int, int, int]]) -> bool:
    """Whether the footer groups look like the end of a post: several sections, or a call to action's
    attribute line or a ``※`` note."""
    if len(spans) >= END_FOOTER_SECTIONS:
        return True
    return any(patterns.FOOTER_END_LINE.search(line) for _, a, b in spans for line in lines[a : b + 1])


def _key(lines: list[str], first: int, last: int) -> str:
    head = _is_heading(lines[first])
    if head is not None:
        return "#" + patterns.compare_key(head.group(2))
    return patterns.compare_key("".join(lines[first : last + 1]))


def lift_footers(body: str, marker: regex.Pattern[str], *, continued: bool = True) -> Lifted:
    """Take the footer groups out of ``body`` when article text follows one, or one repeats.

    A body whose footers already stand once each after the article comes back unchanged (``footer``
    empty), so clean posts are untouched.

    >>> import regex
    >>> m = regex.compile(r"^-+END-+$")
    >>> body = "本文。\\n\\n---\\n\\n### あわせて読みたい\\n\\n- [A](/a/)\\n\\n続きの本文。\\n"
    >>> lifted = lift_footers(body, m)
    >>> lifted.body, lifted.footer
    ('本文。\\n\\n続きの本文。\\n', '---\\n\\n### あわせて読みたい\\n\\n- [A](/a/)')
    >>> lift_footers("本文。\\n\\n---\\n\\n### あわせて読みたい\\n\\n- [A](/a/)\\n", m).footer
    ''
    """
    lines = body.split("\n")
    groups = _groups(lines, marker)
    if not groups:
        return Lifted(body, tuple(range(1, len(lines) + 1)), "", ())
    taken: set[int] = set()
    spans: list[tuple[int, int, int]] = []  # (group, first, last)
    for g, (rule, pieces) in enumerate(groups):
        start = rule if rule >= 0 else pieces[0][0]
        end = pieces[-1][1]
        # the blank lines after the group go with it, so the text around it joins as it stood before
        while end + 1 < len(lines) and not lines[end + 1].strip():
            end += 1
        taken.update(range(start, end + 1))
        spans.extend((g, a, b) for a, b in pieces)
    first_footer = min(taken)
    after = any(
        line.strip() and i not in taken and not marker.match(line) and not patterns.RULE.match(line)
        for i, line in enumerate(lines[first_footer:], start=first_footer)
    )
    keys = [_key(lines, a, b) for _, a, b in spans]
    if not after and len(set(keys)) == len(keys):
        return Lifted(body, tuple(range(1, len(lines) + 1)), "", ())
    if not continued and len(set(keys)) == len(keys) and not _end_footer(lines, spans):
        # a body without markers whose only "footer" is, say, a list of sources between sections: a
        # person wrote it so; only the blog's end footer (several sections, or a CTA or note) moves
        return Lifted(body, tuple(range(1, len(lines) + 1)), "", ())
    findings: list[Finding] = []
    seen: set[str] = set()
    out_groups: list[list[str]] = [[] for _ in groups]
    for (g, a, b), key in zip(spans, keys, strict=True):
        text = "\n".join(lines[a : b + 1])
        if key in seen:
            findings.append(
                Finding(
                    Kind.FOOTER,
                    Action.DROPPED,
                    passage=text.strip(),
                    line=a + 1,
                    detail="a footer section repeated",
                    rule="footer.repeat",
                )
            )
            continue
        seen.add(key)
        out_groups[g].append(text)
        if after:
            findings.append(
                Finding(
                    Kind.FOOTER,
                    Action.CHANGED,
                    passage=text.strip(),
                    line=a + 1,
                    detail="a footer section moved after the article",
                    rule="footer.move",
                )
            )
    footer = "\n\n".join("---\n\n" + "\n\n".join(group) for group in out_groups if group)
    kept = [i for i in range(len(lines)) if i not in taken]
    return Lifted("\n".join(lines[i] for i in kept), tuple(i + 1 for i in kept), footer, tuple(findings))
