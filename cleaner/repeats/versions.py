"""``repeat.rewritten``: a later block's rewrite of a kept passage, in other sentences.

A regenerated paragraph is not always near-identical to the one it regenerates: the model may open it
the same way and make the same points in sentences split otherwise (``課題も多くあります。家賃の高さと
後継者の不足が…`` → ``困難も伴います。…家賃が高いのです。そのうえ、店を継ぐ人も…``), far below the
near-duplicate threshold. Two such versions are recognised by what they are about rather than by their
characters: they open alike, and after the opening most of the content units of one (kanji, katakana
words, Latin words: what a rewording keeps) are in the other. A passage that shares only its opening
frame (``もちろん、…には課題も…`` / ``もちろん、…には希望も…``) says something else.

Of two versions, the earlier block's words stay unless the later one says more
(:func:`says_more`): a sentence's worth of text more, or a cut completed. Rewording alone is not more.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from cleaner import patterns

#: Passages shorter than this (compare key) are never judged versions: short lines recur legitimately.
MIN_KEY = 30
#: Two versions open alike: they share this many first characters, and at least this share of the
#: shorter first sentence (``もちろん、再生への道のりには`` of ``…には課題も多くあります。``) ...
OPENING_PREFIX = 8
OPENING_SHARE = 0.4
#: ... or their first sentences are at least this alike (``ratio``).
OPENING_RATIO = 75.0
#: After the common opening, more than this share of the smaller set of content units is in the other
#: set: most of what the one says, the other says too.
CONTENT_SHARE = 0.5
#: Fewer content units than this after the opening say too little to tell a rewrite from a new point.
MIN_UNITS = 6


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


#: Latin words of four letters or more that say nothing of a passage's content.
_FUNCTION_WORDS = frozenset(
    {
        "also",
        "been",
        "does",
        "from",
        "have",
        "into",
        "just",
        "more",
        "most",
        "much",
        "only",
        "over",
        "some",
        "such",
        "than",
        "that",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "very",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "would",
        "could",
        "should",
        "their",
        "about",
        "after",
        "again",
        "because",
        "before",
        "being",
        "other",
    }
)
#: A Latin word counts by its first letters: ``shops`` and ``shop``, ``opening`` and ``open`` are one.
_STEM = 4


def content_units(text: str) -> set[str]:
    """What a passage is about, as units a rewording keeps (:data:`patterns.CONTENT_UNIT`): single kanji,
    katakana words, numbers, and Latin words (by their first letters, function words left out).

    >>> sorted(content_units("家賃が高いのです。Shops are opening from May."))
    ['open', 'shop', '家', '賃', '高']
    """
    out: set[str] = set()
    for unit in patterns.CONTENT_UNIT.findall(text):
        if unit[0].isascii() and unit[0].isalpha():
            word = unit.casefold()
            if word not in _FUNCTION_WORDS:
                out.add(word[:_STEM])
        else:
            out.add(unit)
    return out


def rewritten(later: str, earlier: str) -> bool:
    """Whether ``later`` says what ``earlier`` says, in other sentences: the two open alike and, after
    the opening, most content units of the one with fewer are in the other.

    >>> a = "もちろん、再生には課題も多くあります。家賃の高さと後継者の不足が、新しい店を妨げています。"
    >>> b = "もちろん、再生には困難も伴います。新しい店を出そうにも、家賃が高い。店を継ぐ人も足りません。"
    >>> rewritten(b, a)
    True
    >>> c = "もちろん、再生には希望もあります。若い店主たちが、空き店舗を改装してカフェを開いています。"
    >>> rewritten(c, a)  # the same frame, another point
    False
    """
    if min(len(patterns.compare_key(later)), len(patterns.compare_key(earlier))) < MIN_KEY:
        return False
    first_a = (patterns.split_sentences(later.strip()) or [later])[0].strip().casefold()
    first_b = (patterns.split_sentences(earlier.strip()) or [earlier])[0].strip().casefold()
    a, b = later.strip().casefold(), earlier.strip().casefold()
    prefix = _common_prefix(a, b)
    # the same words open both (more than a stock phrase such as ``In my view, the``), or first
    # sentences alike
    shared_opening = prefix >= OPENING_PREFIX and prefix >= OPENING_SHARE * min(len(first_a), len(first_b))
    if not shared_opening and not fuzz.ratio(
        patterns.compare_key(first_a), patterns.compare_key(first_b), score_cutoff=OPENING_RATIO
    ):
        return False
    # the units of the words after the common opening (a Latin word cut by it is not counted)
    units_a, units_b = content_units(_after(a, prefix)), content_units(_after(b, prefix))
    fewer = min(len(units_a), len(units_b))
    return fewer >= MIN_UNITS and len(units_a & units_b) > CONTENT_SHARE * fewer


def _after(text: str, prefix: int) -> str:
    rest = text[prefix:]
    if prefix and text[prefix - 1].isascii() and text[prefix - 1].isalnum():
        rest = rest.lstrip("abcdefghijklmnopqrstuvwxyz0123456789'-")
    return rest


def says_more(later: str, earlier: str) -> bool:
    """Whether ``later`` says more than ``earlier``, its version: longer by at least the length of one of
    ``earlier``'s sentences on average (a sentence more), or a cut sentence completed.

    >>> says_more("一つ目の文です。二つ目の文です。三つ目の文です。", "一つ目の文です。二つ目の文です。")
    True
    >>> says_more("一つ目の文です。そして二つ目です。", "一つ目の文です。二つ目の文です。")
    False
    >>> says_more("一つ目の文です。二つ目の文です。", "一つ目の文です。二つ目の")
    True
    """
    a, b = patterns.compare_key(later), patterns.compare_key(earlier)
    if patterns.ends_open(earlier) and not patterns.ends_open(later) and len(a) >= len(b):
        return True
    sentences = max(1, len(patterns.split_sentences(earlier.strip())))
    return len(a) - len(b) >= len(b) / sentences
