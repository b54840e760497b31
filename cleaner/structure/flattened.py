"""Copies that survived the line-by-line repeat pass, seen at the scale of the article.

- ``repeat.paragraph``: two versions of one paragraph (``ratio`` at or above the near-duplicate
  threshold, or the shorter one contained in the longer). The first stays in its place; the later one
  replaces its words only when it says more (a sentence more, a cut completed).
- ``flattened.paragraph``: a long paragraph whose text is mostly said by several other paragraphs: a
  flattened copy of the article (paragraph breaks turned into spaces), or an article written twice.
- ``flattened.heading``: a heading line that runs on like a flattened copy that starts with the
  title's ``#`` marks: one that holds another heading mark, or one over 150 characters whose text the
  other paragraphs say (as ``flattened.paragraph`` judges them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from cleaner import patterns
from cleaner.model import Action, Finding, Kind
from cleaner.options import Options
from cleaner.repeats.said import gram_sets
from cleaner.structure.chunks import Chunk, join, parse

#: Paragraphs shorter than this (comparison key) are never judged as versions of each other.
MIN_PARAGRAPH = 30
#: Two paragraphs are compared only when the shorter has at least this share of the longer's length.
LENGTH_SHARE = 0.85
#: Both sides of a containment match are at least this long; shorter ones repeat legitimately.
MIN_CONTAINED = 80
#: ``partial_ratio`` at or above which the shorter paragraph is contained in the longer one.
CONTAINED = 95.0
#: Character n-gram size of the candidate search for versions: short, so that edits leave most intact.
SMALL_GRAM = 6
#: Share of the shorter paragraph's short n-grams a candidate version must hold to be scored at all.
CANDIDATE_SHARE = 0.5
#: ... and, for the shorter to be contained in the longer, this share.
CONTAINED_SHARE = 0.8
#: Character n-gram size of the flattened-copy test (the audit's, and long enough for Japanese).
GRAM = 8
#: A flattened copy is at least this long (comparison key).
MIN_FLATTENED = 200
#: Share of a paragraph's n-grams said elsewhere for it to be a flattened copy.
FLATTENED_SHARE = 0.75
#: A flattened copy repeats at least two other paragraphs, each with at least this many n-grams.
FLATTENED_CONTRIBUTION = 20
#: A heading line longer than this that holds another heading mark is a flattened copy.
LONG_HEADING = 150
#: Share of a long heading line's n-grams said elsewhere for it to go (else it is only reported).
LONG_HEADING_SHARE = 0.5


#: An article written twice: at least this many paragraphs ...
MIN_TWICE_PARAGRAPHS = 4
#: ... and at least this share of them repeating an earlier one (a post that restates a sentence in its
#: summary repeats one paragraph, not a third of them).
TWICE_SHARE = 0.3


def written_twice(body: str, options: Options) -> bool:
    """Whether ``body`` holds its article twice (a second copy without any marker).

    >>> a, b = "第一の段落です。" * 5, "第二の段落です。" * 5
    >>> written_twice(f"{a}\\n\\n{b}\\n\\n{a}\\n\\n{b}\\n", Options())
    True
    >>> written_twice(f"{a}\\n\\n{b}\\n\\n{a}\\n", Options())
    False
    """
    keys = [
        patterns.compare_key(c.text)
        for c in parse(body).chunks
        if _comparable(c) and not c.text.startswith("#")
    ]
    keys = [k for k in keys if len(k) >= MIN_PARAGRAPH]
    if len(keys) < MIN_TWICE_PARAGRAPHS:
        return False
    repeated = 0
    for n, key in enumerate(keys):
        if any(
            min(len(key), len(o)) >= LENGTH_SHARE * max(len(key), len(o))
            and fuzz.ratio(key, o) >= options.near_duplicate_ratio
            for o in keys[:n]
        ):
            repeated += 1
    return repeated >= 2 and repeated >= TWICE_SHARE * len(keys)


def _comparable(chunk: Chunk) -> bool:
    if chunk.code or chunk.level:
        return False
    first = chunk.text.lstrip()
    return not (patterns.RULE.match(first) or patterns.FOOTER_LINE.match(first) or first.startswith("|"))


def _says_more(later: str, earlier: str) -> bool:
    """Whether ``later`` is a fuller version of ``earlier``: a sentence more, or the cut completed."""
    if len(later) <= len(earlier):
        return False
    more = len(patterns.split_sentences(later)) > len(patterns.split_sentences(earlier))
    cut = earlier[-1:] not in patterns.CLEAN_END_CHARS and later[-1:] in patterns.CLEAN_END_CHARS
    return more or cut


@dataclass(slots=True)
class Memo:
    """What the rounds of one :func:`cleaner.structure.restructure` call share: they see mostly the
    same paragraphs again, so the n-gram sets of a key and the n-grams two keys share are computed once
    (counting them pair by pair was a sixth of the whole clean)."""

    grams: dict[tuple[str, int], set[int]] = field(default_factory=dict)  # (key, size) → its n-grams
    shared: dict[tuple[str, str], int] = field(default_factory=dict)  # two keys → n-grams in common


def _versions(chunks: list[Chunk], options: Options, memo: Memo) -> tuple[list[Chunk], list[Finding]]:
    keys = [patterns.compare_key(c.text) if _comparable(c) else "" for c in chunks]
    shared = memo.shared
    out: list[Chunk] = []
    by_pos: dict[int, str] = {}  # position in out → its key
    findings: list[Finding] = []
    # position in out → the n-gram sets of the keys it held (a fuller version adds its own): an n-gram
    # counts once for each set that holds it
    held: dict[int, list[tuple[str, set[int]]]] = {}
    sets_of = _gram_sets(keys, SMALL_GRAM, MIN_PARAGRAPH, memo)
    # Two paragraphs share only n-grams that two or more paragraphs hold: counted on those alone, the
    # counts are the same and the sets a fraction of the size (counting pair by pair was a seventh of
    # the whole clean).
    repeated = _repeated(sets_of, set())
    shared_of = [grams & repeated for grams in sets_of]
    for chunk, key, grams, mine in zip(chunks, keys, sets_of, shared_of, strict=True):
        match = None
        if grams:
            for pos, sets in held.items():  # positions in order: the first version found wins
                other = by_pos[pos]
                short, long_ = (len(key), len(other)) if len(key) < len(other) else (len(other), len(key))
                if short < MIN_CONTAINED and short < LENGTH_SHARE * long_:
                    continue  # neither test below can pass: no need to count
                count = 0
                for held_key, held_grams in sets:
                    pair = (key, held_key)
                    common = shared.get(pair)
                    if common is None:
                        common = shared[pair] = len(mine & held_grams)
                    count += common
                if not count:
                    continue
                # versions share most of their short n-grams: the costly scores run only on those
                if count < CANDIDATE_SHARE * min(len(grams), len(other) - SMALL_GRAM + 1):
                    continue
                if short >= LENGTH_SHARE * long_ and fuzz.ratio(
                    key, other, score_cutoff=options.near_duplicate_ratio
                ):
                    match = pos
                    break
                contained = count >= CONTAINED_SHARE * min(len(grams), len(other) - SMALL_GRAM + 1)
                if (
                    short >= MIN_CONTAINED
                    and contained
                    and fuzz.partial_ratio(key, other, score_cutoff=CONTAINED)
                ):
                    match = pos
                    break
        if match is None:
            if key:
                by_pos[len(out)] = key
                if grams:
                    held[len(out)] = [(key, mine)]
            out.append(chunk)
            continue
        kept = out[match]
        other_key = by_pos[match]
        if _says_more(key, other_key):
            out[match] = Chunk(chunk.text, kept.sep, kept.line, kept.level, kept.code)
            by_pos[match] = key
            held.setdefault(match, []).append((key, mine))
            detail = "a fuller later version put in the place of the first"
            passage, matched = kept.text, chunk.text
        else:
            detail = "a later version of a kept paragraph"
            passage, matched = chunk.text, kept.text
        findings.append(
            Finding(
                Kind.NEAR_DUPLICATE,
                Action.DROPPED,
                passage=passage,
                matched=matched,
                similarity=float(fuzz.ratio(key, other_key)),
                line=chunk.line,
                detail=detail,
                rule="repeat.paragraph",
            )
        )
    return out, findings


#: A cut fragment this long (comparison key) that another paragraph says in full goes.
MIN_FRAGMENT = 6


def _said_fragments(chunks: list[Chunk]) -> tuple[list[Chunk], list[Finding]]:
    """A paragraph cut mid-sentence whose unfinished sentence another paragraph says in full: the
    fragment goes (the paragraph too when it is all fragment)."""
    keys = [patterns.compare_key(c.text) if _comparable(c) else "" for c in chunks]
    out: list[Chunk] = []
    findings: list[Finding] = []
    for n, chunk in enumerate(chunks):
        text = chunk.text.rstrip()
        if not keys[n] or "\n" in text or not patterns.ends_open(text):
            out.append(chunk)
            continue
        sentences = patterns.split_sentences(text)
        fragment = sentences[-1] if sentences else text
        key = patterns.compare_key(fragment)
        rest = "".join(sentences[:-1]).rstrip()
        said = next(
            (chunks[m].text for m, k in enumerate(keys) if m != n and len(key) >= MIN_FRAGMENT and key in k),
            rest if len(key) >= MIN_FRAGMENT and key in patterns.compare_key(rest) else None,
        )
        if said is None:
            out.append(chunk)
            continue
        findings.append(
            Finding(
                Kind.FRAGMENT,
                Action.DROPPED,
                passage=fragment.strip(),
                matched=said,
                similarity=100.0,
                line=chunk.line,
                detail="cut fragment said in full elsewhere",
                rule="fragment.said",
            )
        )
        if rest:
            out.append(Chunk(rest, chunk.sep, chunk.line, chunk.level, chunk.code))
    return out, findings


def _gram_sets(keys: list[str], size: int, least: int, memo: Memo) -> list[set[int]]:
    """The hashed ``size``-character n-grams of each key at least ``least`` long (the others: none), those
    not in ``memo`` in one batch (:func:`cleaner.repeats.said.gram_sets`: equal n-grams, equal hashes)."""
    known = memo.grams
    missing = list(dict.fromkeys(k for k in keys if len(k) >= max(least, size) and (k, size) not in known))
    known.update(zip(((k, size) for k in missing), gram_sets(missing, size), strict=True))
    return [known[k, size] if len(k) >= max(least, size) else set() for k in keys]


def _flattened(chunks: list[Chunk], memo: Memo) -> tuple[list[Chunk], list[Finding]]:
    keys = [patterns.compare_key(c.text) if not c.code else "" for c in chunks]
    candidates = [
        i
        for i, c in enumerate(chunks)
        if (c.level and len(c.text) > LONG_HEADING) or (not c.level and len(keys[i]) >= MIN_FLATTENED)
    ]
    if not candidates:
        return chunks, []
    grams = _gram_sets(keys, GRAM, GRAM, memo)
    dropped: set[int] = set()
    repeated = _repeated(grams, dropped)  # the n-grams two or more kept chunks hold
    findings: list[Finding] = []
    # the longest first: a flattened copy is longer than the paragraphs it repeats
    for i in sorted(candidates, key=lambda n: -len(keys[n])):
        chunk = chunks[i]
        if not grams[i]:
            continue
        long_heading = bool(chunk.level)
        # a heading mark inside: the title's ## ran into a section's ### (else a long heading line is
        # judged as a paragraph: a flattened copy of title and body on one line)
        marked = long_heading and _inner_heading(chunk.title)
        share = len(grams[i] & repeated) / len(grams[i])
        contributors = 0
        if share >= min(FLATTENED_SHARE, LONG_HEADING_SHARE):
            others = (j for j in range(len(chunks)) if j != i and j not in dropped)
            contributors = sum(1 for j in others if len(grams[i] & grams[j]) >= FLATTENED_CONTRIBUTION)
        if marked:
            if share < LONG_HEADING_SHARE:
                findings.append(_flat(chunk, share, Action.REPORTED, "flattened.heading"))
                continue
        elif share < FLATTENED_SHARE or contributors < 2:
            continue
        dropped.add(i)
        repeated = _repeated(grams, dropped)
        rule = "flattened.heading" if long_heading else "flattened.paragraph"
        findings.append(_flat(chunk, share, Action.DROPPED, rule))
    return [c for n, c in enumerate(chunks) if n not in dropped], findings


def _repeated(grams: list[set[int]], dropped: set[int]) -> set[int]:
    """The n-grams that at least two of the chunks not ``dropped`` hold (set operations in C: a counter
    of holders cost a tenth of the whole clean)."""
    seen: set[int] = set()
    repeated: set[int] = set()
    for n, held in enumerate(grams):
        if n not in dropped:
            repeated |= held & seen
            seen |= held
    return repeated


def _inner_heading(title: str) -> bool:
    return patterns.INNER_HEADING_MARK.search(title) is not None


def _flat(chunk: Chunk, share: float, action: Action, rule: str) -> Finding:
    return Finding(
        Kind.FLATTENED,
        action,
        passage=chunk.text,
        similarity=round(100 * share, 1),
        line=chunk.line,
        detail="a flattened copy (its text is said by the paragraphs kept)"
        if action is Action.DROPPED
        else "a heading line that runs on like a flattened copy, with new text: kept",
        rule=rule,
    )


def drop_copies(body: str, options: Options, memo: Memo | None = None) -> tuple[str, list[Finding]]:
    """Drop later versions of kept paragraphs, then flattened copies.

    >>> para = "あ" * 20 + "いうえおかきくけこさしすせそ"
    >>> text = "## 見出し\\n\\n" + para + "。\\n\\n" + para + "！\\n"
    >>> out, found = drop_copies(text, Options())
    >>> out.count("いうえお"), [f.rule for f in found]
    (1, ['repeat.paragraph'])
    """
    memo = Memo() if memo is None else memo
    parsed = parse(body)
    chunks, findings = _versions(list(parsed.chunks), options, memo)
    chunks, flat = _flattened(chunks, memo)
    findings.extend(flat)
    chunks, said = _said_fragments(chunks)
    findings.extend(said)
    if not findings or all(f.action is Action.REPORTED for f in findings):
        return body, findings
    return join(parsed, chunks), findings
