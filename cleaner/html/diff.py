"""Character-level differences between two versions of a text.

Japanese has no spaces between words, so a word diff marks a whole sentence as changed when one
character moved; these diffs work on characters. A whole article is first aligned line by line (a
paragraph is one line), and only the lines that changed are compared character by character, so the
cost stays proportional to what changed.

A diff is a list of segments ``(op, text)``: :data:`SAME` text is in both versions, :data:`GONE` only
in the first (the original), :data:`ADDED` only in the second (the clean text).
"""

from __future__ import annotations

import difflib

SAME, GONE, ADDED = 0, 1, 2

Segment = tuple[int, str]

#: Largest product of the two lengths compared character by character (difflib's matcher grows with
#: it); larger changed regions are shown as removed and added whole. 400 x 400 characters is a long
#: Japanese paragraph against its regenerated copy, well under 10 ms.
CHAR_DIFF_LIMIT = 160_000

#: A run of common characters this short between two changes is folded into them: "の" or "、"
#: matching by chance in the middle of a rewritten phrase makes a diff harder to read, not easier.
SHORT_COMMON = 2


def char_diff(old: str, new: str) -> list[Segment]:
    """Character segments turning ``old`` into ``new``.

    >>> char_diff("町の清掃活動", "町の美化活動")
    [(0, '町の'), (1, '清掃'), (2, '美化'), (0, '活動')]
    >>> char_diff("", "abc")
    [(2, 'abc')]
    """
    if old == new:
        return [(SAME, old)] if old else []
    if not old or not new or len(old) * len(new) > CHAR_DIFF_LIMIT:
        return _merge([(GONE, old), (ADDED, new)])
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append((SAME, old[i1:i2]))
        else:
            segments.append((GONE, old[i1:i2]))
            segments.append((ADDED, new[j1:j2]))
    return _merge(_fold_short(segments))


def text_diff(old: str, new: str, gone: frozenset[int] = frozenset()) -> list[Segment]:
    """Segments turning ``old`` into ``new``: lines aligned first, changed lines by character.

    ``gone`` holds 0-based lines of ``old`` known to be removed whole (the cleaner said so): they are
    never aligned with a line of ``new``. A repeated paragraph is in ``old`` twice and in ``new`` once;
    without this the diff could keep the copy and remove the original.

    >>> text_diff("一。\\n二です。\\n---END---\\n三。\\n", "一。\\n二でした。\\n三。\\n")
    [(0, '一。\\n二で'), (1, 'す'), (2, 'した'), (0, '。\\n'), (1, '---END---\\n'), (0, '三。\\n')]
    """
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    keys = [f"\x00gone {i}" if i in gone else line for i, line in enumerate(a)]
    matcher = difflib.SequenceMatcher(None, keys, b, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append((SAME, "".join(a[i1:i2])))
        elif tag == "delete":
            segments.append((GONE, "".join(a[i1:i2])))
        elif tag == "insert":
            segments.append((ADDED, "".join(b[j1:j2])))
        elif i2 - i1 == j2 - j1 and not gone.intersection(range(i1, i2)):
            for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                segments.extend(char_diff(x, y))
        else:
            segments.extend(_block_diff(a[i1:i2], b[j1:j2], [i in gone for i in range(i1, i2)]))
    return _merge(segments)


def _block_diff(a: list[str], b: list[str], gone: list[bool]) -> list[Segment]:
    """A changed run of lines: each new line is compared with the old line most like it (never one
    of the ``gone`` lines), in order; old lines left over are removed."""
    segments: list[Segment] = []
    i = 0
    for line in b:
        best, best_ratio = -1, 0.5
        for k in range(i, len(a)):
            if gone[k]:
                continue
            matcher = difflib.SequenceMatcher(None, a[k], line, autojunk=False)
            if matcher.real_quick_ratio() > best_ratio and matcher.quick_ratio() > best_ratio:
                ratio = matcher.ratio() if len(a[k]) * len(line) <= CHAR_DIFF_LIMIT else 0.0
                if ratio > best_ratio:
                    best, best_ratio = k, ratio
        if best < 0:
            segments.append((ADDED, line))
            continue
        segments.extend((GONE, x) for x in a[i:best])
        segments.extend(char_diff(a[best], line))
        i = best + 1
    segments.extend((GONE, x) for x in a[i:])
    return segments


def _fold_short(segments: list[Segment]) -> list[Segment]:
    """Fold short common runs between two changes into the changes around them."""
    out: list[Segment] = []
    for index, (op, text) in enumerate(segments):
        inner = 0 < index < len(segments) - 1
        if op == SAME and inner and len(text) <= SHORT_COMMON and "\n" not in text:
            out.append((GONE, text))
            out.append((ADDED, text))
        else:
            out.append((op, text))
    return out


def _merge(segments: list[Segment]) -> list[Segment]:
    """Drop empty segments; within a run of changes put what went before what came, each joined."""
    out: list[Segment] = []
    gone: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if gone:
            out.append((GONE, "".join(gone)))
        if added:
            out.append((ADDED, "".join(added)))
        gone.clear()
        added.clear()

    for op, text in segments:
        if not text:
            continue
        if op == GONE:
            gone.append(text)
        elif op == ADDED:
            added.append(text)
        else:
            flush()
            if out and out[-1][0] == SAME:
                out[-1] = (SAME, out[-1][1] + text)
            else:
                out.append((SAME, text))
    flush()
    return out


def old_text(segments: list[Segment]) -> str:
    return "".join(text for op, text in segments if op != ADDED)


def new_text(segments: list[Segment]) -> str:
    return "".join(text for op, text in segments if op != GONE)
