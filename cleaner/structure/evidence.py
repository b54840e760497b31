"""Evidence against a seam: when a line must not be joined to a cut sentence before it.

The repeat pass joins a cut sentence to the line after it on evidence that the line continues it (an
overlap, a particle, a word that cannot start a sentence). Some lines start a sentence of their own
whatever the cut before them: a heading or a bold lead-in, a sentence opener followed by a comma
(``もちろん、``), or a restart of an earlier passage. And a cut inside a bold lead-in (``**壮大な旅の``)
is continued only by a line that closes the bold.
"""

from __future__ import annotations

import functools

import regex

from cleaner import patterns

#: Characters of the comparison key that identify where a passage starts (for restarts).
RESTART_KEY = 12


@functools.cache
def _opener() -> regex.Pattern[str]:
    words = sorted((*patterns.SENTENCE_OPENERS_JA, *patterns.SENTENCE_OPENERS_KANJI), key=len, reverse=True)
    return regex.compile("^(?:" + "|".join(map(regex.escape, words)) + r")[、，,]")


def restart_key(text: str) -> str:
    """The key of a passage's start, or "" when it is too short to tell."""
    key = patterns.compare_key(text)[:RESTART_KEY]
    return key if len(key) == RESTART_KEY else ""


def not_a_continuation(tail: str, body: str, earlier_starts: set[str]) -> str:
    """Why ``body`` cannot continue the cut sentence at the end of ``tail`` ("" when it may).

    >>> not_a_continuation("観点から考えて", "**デジタルの再定義**", set())
    'a heading or a bold lead-in starts here'
    >>> not_a_continuation("理解することこそが", "もちろん、進化は続きます。", set())
    'a sentence opener starts here'
    >>> not_a_continuation("**壮大な旅の", "AppleのAI戦略は始まったばかりです。", set())
    'the cut is inside a bold lead-in the line does not close'
    >>> not_a_continuation("Kling AI 2.5 Turboが主張", "する「高性能」は、", set())
    ''
    """
    head = body.lstrip()
    if head.startswith(("**", "__", "#")):
        return "a heading or a bold lead-in starts here"
    if _opener().match(head):
        return "a sentence opener starts here"
    last = patterns.split_sentences(tail.rstrip())[-1:] or [tail]
    if last[0].count("**") % 2 == 1:
        first = (patterns.split_sentences(head)[:1] or [head])[0]
        if "**" not in first:
            return "the cut is inside a bold lead-in the line does not close"
    key = restart_key(head)
    if key and key in earlier_starts:
        return "a restart of an earlier passage"
    return ""
