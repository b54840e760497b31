"""Scraper boilerplate lines: removed, and a word they split is rejoined.

Only lines that the built-in list or the user's configuration names are removed. Candidates for that
list are *learned* across a corpus by :func:`count_candidates` and reported, never removed on a hunch.
"""

from __future__ import annotations

import functools

import regex

from cleaner import patterns
from cleaner.model import Action, Finding, Kind


@functools.cache
def _matcher(lines: tuple[str, ...], extra: tuple[str, ...]) -> regex.Pattern[str]:
    alternatives = [regex.escape(line.strip()) for line in lines if line.strip()]
    alternatives += [f"(?:{p})" for p in extra]
    if not alternatives:
        return regex.compile(r"(?!)")
    return regex.compile(r"^[ \t\u3000]*(?:" + "|".join(alternatives) + r")[ \t\u3000]*$", regex.IGNORECASE)


def remove_boilerplate(
    body: str, lines: tuple[str, ...], extra: tuple[str, ...] = ()
) -> tuple[str, tuple[Finding, ...]]:
    """Remove boilerplate lines from ``body``; rejoin a word that one split in two.

    >>> text, found = remove_boilerplate("人間のアニメ\\n\\nCAPTION\\n\\nーターが描く。\\n", ("CAPTION",))
    >>> text
    '人間のアニメーターが描く。\\n'
    >>> [f.detail for f in found]
    ['removed; split word rejoined']
    >>> remove_boilerplate("一行目。\\n\\nCAPTION\\n次の行。", ("CAPTION",))[0]
    '一行目。\\n\\n次の行。'
    """
    matcher = _matcher(lines, extra)
    source = body.split("\n")
    if not any(matcher.match(line) for line in source):
        return body, ()  # (line by line: four times faster than one multiline search of the body)
    out: list[str] = []
    findings: list[Finding] = []
    i = 0
    while i < len(source):
        line = source[i]
        if not matcher.match(line):
            out.append(line)
            i += 1
            continue
        # the next non-blank line after this run of boilerplate
        j = i + 1
        while j < len(source) and (not source[j].strip() or matcher.match(source[j])):
            j += 1
        prev_index = next((k for k in range(len(out) - 1, -1, -1) if out[k].strip()), None)
        follow = source[j] if j < len(source) else ""
        removed = [s for s in source[i:j] if s.strip()]
        if (
            prev_index is not None
            and follow
            and patterns.ends_open(out[prev_index])
            and splits_word(out[prev_index].rstrip(), follow.lstrip())
        ):
            del out[prev_index + 1 :]
            out[prev_index] = out[prev_index].rstrip() + follow.lstrip()
            detail, rule = "removed; split word rejoined", "boilerplate.rejoined"
            i = j + 1
        else:
            if out and not out[-1].strip() and i + 1 < len(source) and not source[i + 1].strip():
                i += 1  # blank lines on both sides: keep one
            detail, rule = "removed", "boilerplate.line"
            i += 1
            removed = [line.strip()]
        for text in removed:
            findings.append(
                Finding(Kind.BOILERPLATE, Action.DROPPED, passage=text.strip(), detail=detail, rule=rule)
            )
    return "\n".join(out), tuple(findings)


def splits_word(left: str, right: str) -> bool:
    """Whether a line removed between ``left`` (which ends open) and ``right`` stood inside a word.

    >>> splits_word("人間のアニメ", "ーターが描く。"), splits_word("新しいビジ", "ネス変革の波")
    (True, True)
    >>> splits_word("市場が伸び、企業の変", "革が進む。"), splits_word("The busi", "ness grew.")
    (True, True)
    >>> splits_word("## 見出し", "本文です。"), splits_word("**要点**", "本文です。")
    (False, False)
    """
    if not left or not right or patterns.STRUCTURAL.match(left) or patterns.STRUCTURAL.match(right):
        return False
    if left.endswith(("*", "_")) or patterns.RULE.match(right):
        return False
    if patterns.NEVER_OPENS.match(right) or patterns.starts_mid_sentence(right):
        return True
    a, b = left[-1], right[0]
    if patterns.SAME_SCRIPT_SPLIT.match(a + b):
        return True
    # a kanji compound cut in two: only inside running prose (a title line ends in kanji too)
    return bool(patterns.KANJI_PAIR.match(a + b)) and any(mark in left for mark in "、。，")


def short_lines(body: str, *, max_chars: int = 40) -> frozenset[str]:
    """Short non-heading lines of one body: the raw material of boilerplate candidates.

    >>> sorted(short_lines("## まとめ\\n點擊圖片看原樣大小圖片\\n" + "長い" * 30))
    ['點擊圖片看原樣大小圖片']
    """
    found = set()
    for line in body.split("\n"):
        text = line.strip()
        if not text or len(text) > max_chars:
            continue
        if not patterns.STRUCTURAL.match(text) and not patterns.RULE.match(text):
            found.add(text)
    return frozenset(found)
