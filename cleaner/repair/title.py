"""Title repairs: Markdown debris, mojibake, and titles cut by the upstream pipeline.

:func:`repair_title` applies the steps below until a pass changes nothing, and records a
:class:`~cleaner.model.Finding` for each step that changed the title:

1. :func:`strip_title_markup` removes a heading mark (``# ``, ``## ``…) and emphasis around the title
   (``**Foo**``, or ``**Foo`` cut before its closing ``**``).
2. :func:`~cleaner.repair.mojibake.fix_mojibake` undoes wrong decodings.
3. :func:`recover_title` restores a cut title from the first lines of the body when one of them
   clearly restates it: the title's *stem* (the title without its damage) must open the line.
4. :func:`trim_cut_title` cuts a title that ends in U+FFFD and could not be restored back to a clean
   boundary; this is reported as :attr:`~cleaner.model.Kind.TITLE_CUT`.

Recovery needs a sign of damage in the title: a trailing U+FFFD, exactly ``Options.title_byte_limit``
bytes, a trailing ``？`` or rewritten ending (``…：その真意は？``, ``…の可能性とは？``), or a dangling end
(``、`` ``の`` ``その`` ``「`` …). The one exception, a title that is the first body line with single
characters dropped (``…と頼性確の…`` for ``…と信頼性確保の…``), needs a ratio of 90 and no gap longer
than one character. A title identical to one of the first body lines always stays as it is. An
unrecoverable cut at the byte limit without U+FFFD is left alone: it cannot be told from a title that
happens to be 40 bytes long.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from cleaner import patterns
from cleaner.model import Action, Finding, Kind
from cleaner.options import Options
from cleaner.repair.mojibake import fix_mojibake

REPLACEMENT = "\ufffd"

#: How many non-blank lines at the top of the body may restate the title ...
RECOVERY_LINES = 3
#: ... and how far into the body (in characters) the last of them may start.
RECOVERY_WINDOW = 400
#: A restored title is one line of at most this many characters; a longer first line is the title and
#: the body flattened onto one line, and only its part up to the first sentence end can be the title.
MAX_TITLE_CHARS = 120
#: The shortest stem that counts as evidence that a body line restates the title.
MIN_STEM_CHARS = 6
#: ``rapidfuzz.fuzz.ratio`` at or above which a title that lost single characters
#: (``…と頼性確の重要性`` for ``…と信頼性確保の重要性``) is restored from the first body line.
DROPPED_CHARS_MIN_RATIO = 90.0
#: Passes of the repair loop; two suffice in practice, the loop only proves the fixed point.
_MAX_PASSES = 4


@dataclass(frozen=True, slots=True)
class Recovery:
    """A title restored from the body: the new title, the rule that found it, the body line used."""

    title: str
    rule: str
    line_number: int  # 1-based among the body's lines
    line: str


def strip_title_markup(title: str) -> str:
    """Remove a Markdown heading mark and emphasis around a title, and surrounding whitespace.

    Emphasis is removed only when it opens the title and the rest holds no other marker of its kind,
    so ``AIの**未来**`` keeps its emphasis.

    >>> strip_title_markup("# 法人向けCopilot無償化")
    '法人向けCopilot無償化'
    >>> strip_title_markup("**Samsungの3nm AIチップ**"), strip_title_markup("**途中で切れた")
    ('Samsungの3nm AIチップ', '途中で切れた')
    >>> strip_title_markup("AIの**未来**")
    'AIの**未来**'
    """
    text = title.strip()
    while True:
        before = text
        text = patterns.TITLE_HEADING.sub("", text, count=1).strip()
        if patterns.TITLE_EMPHASIS.match(text):
            inner = patterns.TITLE_EMPHASIS.sub("", text).strip()
            if inner and "**" not in inner and "__" not in inner:
                text = inner
        if text == before or not text:
            return text or before


def lead_lines(body: str) -> list[tuple[int, str]]:
    """The first non-blank lines of ``body`` that may restate the title, as ``(line number, text)``
    with heading marks and emphasis removed. Thematic breaks (``---``) are skipped.

    >>> lead_lines("\\n# **見出し**\\n---\\n本文。\\n")
    [(2, '見出し'), (4, '本文。')]
    """
    found: list[tuple[int, str]] = []
    offset = 0
    for number, line in enumerate(body.split("\n"), start=1):
        start, offset = offset, offset + len(line) + 1
        if start > RECOVERY_WINDOW or len(found) >= RECOVERY_LINES:
            break
        if not line.strip() or patterns.RULE.match(line):
            continue
        text = strip_title_markup(line)
        if text:
            found.append((number, text))
    return found


def _title_from_line(line: str, stem_length: int) -> str | None:
    """The part of a body line that is the title, given that the stem covers its first characters.

    A line that goes on after a sentence end and a space with more than one further sentence, or that
    is longer than a title can be, is the title followed by flattened body text: it is cut after that
    sentence end. ``None`` when no title-sized part can be told apart.
    """
    start = max(stem_length - 1, 0)
    brk = patterns.TITLE_SENTENCE_BREAK.search(line, start)
    if brk is not None:
        head = line[: brk.end()]
        rest = line[brk.end() :]
        if len(line) > MAX_TITLE_CHARS or sum(1 for s in patterns.split_sentences(rest) if s.strip()) > 1:
            return head if len(head) <= MAX_TITLE_CHARS else None
    if len(line) <= MAX_TITLE_CHARS:
        return line
    stop = line.find("。", start)
    if stop != -1 and stop < MAX_TITLE_CHARS:
        return line[: stop + 1]
    return None


def _lost_single_characters(title: str, line: str) -> bool:
    """True when ``title`` is ``line`` with single characters dropped here and there (never two in a
    row, never the first or last one).

    >>> _lost_single_characters("AIのセキュリティと頼性確の重要性", "AIのセキュリティと信頼性確保の重要性")
    True
    >>> _lost_single_characters("OpenAIとBroadcomの提携", "OpenAIとBroadcomの戦略的提携")
    False
    """
    if not title or len(title) >= len(line) or title[0] != line[0] or title[-1] != line[-1]:
        return False
    j = 0
    for char in title:
        skipped = 0
        while j < len(line) and line[j] != char:
            j += 1
            skipped += 1
        if j == len(line) or skipped > 1:
            return False
        j += 1
    return j == len(line)


def _stems(title: str, raw_title: str, byte_limit: int) -> list[tuple[str, str, bool, bool]]:
    """What the title looked like before the damage each signal points to, as
    ``(rule, stem, strict, boundary)``: with ``strict`` the line must not go on with the title's own last
    character (the ``？`` or the rewritten ending replaced what the line has there); with ``boundary`` the
    line must go on with punctuation or a space, not inside a word."""
    stems: list[tuple[str, str, bool, bool]] = []
    if title.endswith(REPLACEMENT):
        stem = title.rstrip(REPLACEMENT).rstrip()
        stems.append(("cut inside a character", stem, False, False))
        dangling = patterns.TITLE_DANGLING_END.search(stem)
        if dangling is not None:
            stems.append(("cut inside a character", stem[: dangling.start()].rstrip(), False, False))
        rewritten = patterns.TITLE_REWRITTEN_START.search(stem)
        if rewritten is not None:
            # ``…Turboの可能性`` was ``…Turboの可能性とは？``, itself a rewrite of the line that opens
            # the body
            stems.append(("rewritten ending, cut", stem[: rewritten.start()].rstrip(), False, True))
        return stems
    rewritten = patterns.TITLE_REWRITTEN_SUFFIX.search(title)
    if rewritten is not None:
        stems.append(("rewritten ending", title[: rewritten.start()], True, False))
    if title.endswith(("？", "?")):
        stems.append(("question mark for a particle", title[:-1], True, False))
    if byte_limit in (len(title.encode("utf-8")), len(raw_title.encode("utf-8"))):
        stems.append((f"cut at {byte_limit} bytes", title, False, False))
    if patterns.TITLE_DANGLING_END.search(title):
        stems.append(("dangling ending", title, False, False))
    return stems


def recover_title(title: str, raw_title: str, body: str, byte_limit: int) -> Recovery | None:
    """Restore a cut title from the first body lines, or ``None`` when the evidence is not clear.

    ``title`` is the title after markup and mojibake repairs, ``raw_title`` as it stood in the file.

    >>> recover_title("GMO大会議、CEO登\\ufffd", "", "# GMO大会議、CEO登壇：未来を拓く\\n", 40).title
    'GMO大会議、CEO登壇：未来を拓く'
    >>> recover_title("AI半導体競争とインフラ化", "", "# AI半導体競争の激化と「インフラ化」\\n", 40) is None
    True
    """
    lines = lead_lines(body)
    if not title or any(text == title for _, text in lines):
        return None
    for number, line in lines:
        if REPLACEMENT in line:
            continue
        for rule, stem, strict, boundary in _stems(title, raw_title, byte_limit):
            if len(stem) < MIN_STEM_CHARS or len(line) <= len(stem) or not line.startswith(stem):
                continue
            if strict and line.startswith(title):
                continue
            if boundary and not patterns.TITLE_WORD_BOUNDARY.match(line, len(stem)):
                continue
            restored = _title_from_line(line, len(stem))
            if restored is not None and restored != title and len(restored) > len(stem):
                return Recovery(restored, rule, number, line)
    if lines and REPLACEMENT not in title and len(title) >= MIN_STEM_CHARS:
        number, line = lines[0]
        if (
            len(line) <= MAX_TITLE_CHARS
            and _lost_single_characters(title, line)
            and fuzz.ratio(title, line) >= DROPPED_CHARS_MIN_RATIO
        ):
            return Recovery(line, "characters dropped", number, line)
    return None


def trim_cut_title(title: str) -> str:
    """Cut a title that ends in U+FFFD back to a clean boundary. Drop the U+FFFD, then, while one of
    them ends the title: whitespace, a comma or colon, an opening bracket, ``の`` or ``その``, the start
    of a rewritten ending (``の可``, ``：その真``), a lone katakana character after a kanji or digit.
    Particles such as ``は`` stay: ``…Thinkingは`` is what the pipeline wrote.

    >>> trim_cut_title("ASML、Mistral AIに13億ユ\\ufffd")
    'ASML、Mistral AIに13億'
    >>> trim_cut_title("Moonshot AIのKimi K2 Thinkingはの可\\ufffd")
    'Moonshot AIのKimi K2 Thinkingは'
    >>> trim_cut_title("Kuaishou Kling AI 2.5 Turboの可能性\\ufffd")
    'Kuaishou Kling AI 2.5 Turboの可能性'
    """
    text = title
    while True:
        before = text
        text = text.rstrip().rstrip(REPLACEMENT)
        debris = patterns.TITLE_CUT_DEBRIS.search(text)
        if debris is not None and debris.start() > 0:
            text = text[: debris.start()]
        if text == before:
            break
    return text if text.strip() else title.replace(REPLACEMENT, "").strip()


def _repair_once(title: str, body: str, options: Options) -> tuple[str, list[Finding]]:
    findings: list[Finding] = []

    def record(kind: Kind, old: str, new: str, detail: str, rule: str) -> None:
        findings.append(Finding(kind, Action.CHANGED, passage=old, matched=new, detail=detail, rule=rule))

    text = strip_title_markup(title)
    if text != title:
        record(
            Kind.TITLE,
            title,
            text,
            "strip_title_markup: heading mark, emphasis or whitespace removed",
            "title.markup",
        )

    fixed, repairs = fix_mojibake(text)
    if fixed != text:
        record(Kind.MOJIBAKE, text, fixed, "fix_mojibake: " + ", ".join(repairs), "mojibake.title")
        text = fixed

    if options.recover_titles:
        recovery = recover_title(text, title, body, options.title_byte_limit)
        if recovery is not None:
            record(
                Kind.TITLE,
                text,
                recovery.title,
                f"recover_title: {recovery.rule}; restored from body line {recovery.line_number}",
                "title.recovered",
            )
            text = recovery.title

    if text.rstrip().endswith(REPLACEMENT):
        trimmed = trim_cut_title(text)
        if trimmed != text:
            record(
                Kind.TITLE_CUT,
                text,
                trimmed,
                "trim_cut_title: cut title not restorable from the body; trimmed to a clean boundary",
                "title.trimmed",
            )
            text = trimmed
    return text, findings


def repair_title(title: str, body: str, options: Options) -> tuple[str, tuple[Finding, ...]]:
    """Repair one title field, given the article body (text after the front matter, ``\\n`` line ends).

    Returns the title and one finding per step that changed it. The result is a fixed point: repairing
    it again changes nothing.

    >>> repair_title("**AIとAMDの提タッグの\\ufffd", "**AIとAMDの提タッグ、その真意は？**", Options())[0]
    'AIとAMDの提タッグ、その真意は？'
    >>> repair_title("Google検索：その真意は？", "Google検索：その真意は？\\n", Options())
    ('Google検索：その真意は？', ())
    """
    findings: list[Finding] = []
    text = title
    for _ in range(_MAX_PASSES):
        repaired, found = _repair_once(text, body, options)
        if repaired == text:
            break
        findings.extend(found)
        text = repaired
    return text, tuple(findings)
