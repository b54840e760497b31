"""Where two versions of a line differ, in pieces a reader can follow: for the coloured ``--diff``.

A Japanese paragraph is one line, so a line-based diff shows a dropped sentence as a whole 300-character
−/+ pair. :func:`changed_lines` reads a unified diff and pairs each removed line with the added line
that replaced it; :func:`inline_spans` cuts both into sentences, matches the sentences, and compares
only the sentences that differ character by character. A dropped sentence comes out as one removed
span, exactly that sentence. The unified diff itself is never changed: colour is laid over it, so
``--color never`` (and a pipe) gets a diff that ``patch`` applies.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

import regex

__all__ = ["DiffLine", "Span", "changed_lines", "inline_spans", "sentences"]

#: A sentence ends after 。！？!? (with any closing brackets or quotes) or after . followed by a space.
_SENTENCE_END = regex.compile(r"(?<=[。！？!?][」』）)\"'”’]*|\.[\"'”’)]*\s+)")

#: Two lines are taken for versions of one another when difflib's ratio of their sentences reaches this.
PAIR_RATIO = 0.5


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of one side of a changed line; ``changed`` when the other side does not have it."""

    text: str
    changed: bool


def sentences(line: str) -> list[str]:
    """``line`` cut after each sentence end; joined they give ``line`` back.

    >>> sentences("春です。桜が咲きます！ Then it rains. Done")
    ['春です。', '桜が咲きます！', ' Then it rains. ', 'Done']
    """
    return [piece for piece in _SENTENCE_END.split(line) if piece]


def inline_spans(old: str, new: str) -> tuple[list[Span], list[Span]]:
    """The spans of ``old`` and of ``new``, the parts only one side has marked ``changed``.

    Sentences are matched first, so a dropped sentence is one span; sentences that were rewritten are
    then compared character by character.

    >>> old, new = inline_spans("春です。桜が咲きます。夏です。", "春です。夏です。")
    >>> [s.text for s in old if s.changed], [s.text for s in new if s.changed]
    (['桜が咲きます。'], [])
    """
    a, b = sentences(old), sentences(new)
    left: list[Span] = []
    right: list[Span] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            left.append(Span("".join(a[i1:i2]), False))
            right.append(Span("".join(b[j1:j2]), False))
        elif tag == "replace":
            x, y = _characters("".join(a[i1:i2]), "".join(b[j1:j2]))
            left.extend(x)
            right.extend(y)
        else:
            if i2 > i1:
                left.append(Span("".join(a[i1:i2]), True))
            if j2 > j1:
                right.append(Span("".join(b[j1:j2]), True))
    return _merged(left), _merged(right)


def _characters(old: str, new: str) -> tuple[list[Span], list[Span]]:
    left: list[Span] = []
    right: list[Span] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        same = tag == "equal"
        if i2 > i1:
            left.append(Span(old[i1:i2], not same))
        if j2 > j1:
            right.append(Span(new[j1:j2], not same))
    return left, right


def _merged(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for span in spans:
        if out and out[-1].changed == span.changed:
            out[-1] = Span(out[-1].text + span.text, span.changed)
        elif span.text:
            out.append(span)
    return out


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One line of a unified diff: its kind (``header``, ``hunk``, ``context``, ``removed``, ``added``),
    its text without the marker (with its line end), and for a removed or added line paired with its
    other version, the spans of the text without the line end."""

    kind: str
    text: str
    spans: tuple[Span, ...] = ()


def changed_lines(diff: str) -> Iterator[DiffLine]:
    """The lines of a unified diff, removed and added lines paired where they are versions of one line."""
    lines = diff.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(("--- ", "+++ ")):
            yield DiffLine("header", line)
            i += 1
        elif line.startswith("@@"):
            yield DiffLine("hunk", line)
            i += 1
        elif line.startswith("-"):
            j = i
            while j < len(lines) and lines[j].startswith("-") and not lines[j].startswith("--- "):
                j += 1
            k = j
            while k < len(lines) and lines[k].startswith("+") and not lines[k].startswith("+++ "):
                k += 1
            yield from _paired([x[1:] for x in lines[i:j]], [x[1:] for x in lines[j:k]])
            i = k
        elif line.startswith("+"):
            yield DiffLine("added", line[1:])
            i += 1
        else:
            yield DiffLine("context", line[1:] if line.startswith(" ") else line)
            i += 1


def _paired(removed: list[str], added: list[str]) -> Iterator[DiffLine]:
    """Removed lines, then added lines; a removed line and the added line at the same position in the
    run get spans when they are versions of one another."""
    spans: dict[int, tuple[list[Span], list[Span]]] = {}
    for n, (old, new) in enumerate(zip(removed, added, strict=False)):
        ratio = difflib.SequenceMatcher(None, sentences(old), sentences(new), autojunk=False).ratio()
        close = (
            ratio >= PAIR_RATIO
            or difflib.SequenceMatcher(None, old, new, autojunk=False).ratio() >= PAIR_RATIO
        )
        if close:
            spans[n] = inline_spans(old.rstrip("\n"), new.rstrip("\n"))
    for n, old in enumerate(removed):
        yield DiffLine("removed", old, tuple(spans[n][0]) if n in spans else ())
    for n, new in enumerate(added):
        yield DiffLine("added", new, tuple(spans[n][1]) if n in spans else ())
