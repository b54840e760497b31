"""Mojibake repairs: small named functions, a registry, and a loop that runs them to a fixed point.

Each repair is ``def verb_object(text: str) -> str`` and returns ``text`` itself when it has nothing to
do. :func:`fix_mojibake` gates on :data:`cleaner.patterns.SUSPICIOUS` first (legitimate text almost
never trips it), then applies the repairs in registry order until a pass changes nothing, so a second
call is a no-op.

Legitimate Japanese, Chinese, emoji, full-width forms （）：？！ and curly quotes never change: ftfy runs
with its encoding fixers only (its width and quote fixers rewrite 92% of legitimate Japanese titles),
and the Japanese codec repairs accept a result only when it has fewer *rare* characters (see
:func:`count_rare`) than the text it replaces.
"""

from __future__ import annotations

import bisect
import codecs
import functools
import html
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import regex

from cleaner import patterns

#: Text made only of ASCII and CJK characters (kana, ideographs, Hangul, full-width forms): no
#: single-byte code page ftfy re-decodes from holds such a character, and no wrong decoding produces one,
#: so ftfy's encoding fixers cannot change it and are not loaded for it (importing ftfy costs a one-file
#: hook run about 0.1 s).
_NOTHING_FOR_FTFY = regex.compile(r"[\x00-\x7f\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]*")


@functools.cache
def _ftfy_encoding_only() -> Any:
    """ftfy with only the fixers that undo a wrong decoding. Everything that normalises legitimate text
    (width, quotes, ligatures, line breaks, control characters, Unicode normalisation) is off, HTML is
    left to :func:`unescape_html`, and lossy sequences are not turned into U+FFFD."""
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=False,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=True,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )


#: JIS X 0208 level-1 kanji (the common ~3,000) occupy this range of Shift_JIS codes; level 2, where the
#: Shift_JIS reading of UTF-8 lead bytes lands (縺 繧 繝 譁 …), lies above it.
_LEVEL1_FIRST = 0x889F
_LEVEL1_LAST = 0x9872

#: A stretch re-read inside mixed or lossy text must remove at least this many rare characters: one
#: rare character less is too weak as evidence when only part of a text is re-read.
_MIN_PIECE_GAIN = 2
#: ... and at least this many when it holds none of the characters that SUSPICIOUS names (``譌･譛ｬ``).
_MIN_PIECE_GAIN_UNFLAGGED = 4
#: Wide characters such a stretch must yield when the re-reading also creates ASCII letters out of
#: trail bytes, as accidental readings of two rare kanji do (``縺售`` → ``ずS``).
_MIN_WIDE_WITH_NEW_ASCII = 3

#: Passes of the repair loop; each accepted repair shortens the text or lowers its rare count, so
#: the loop settles long before this.
_MAX_PASSES = 8


def _is_common_han(char: str) -> bool:
    try:
        code = char.encode("cp932")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and _LEVEL1_FIRST <= int.from_bytes(code, "big") <= _LEVEL1_LAST


def count_rare(text: str) -> int:
    """Count the characters that are rare in Japanese or English text.

    Rare: every character that :data:`cleaner.patterns.NOT_COMMON_CHAR` matches, except Han characters
    of JIS level 1. Level-2 kanji, Han characters cp932 lacks (most of simplified Chinese), half-width
    katakana, Greek and Cyrillic are rare.

    >>> count_rare("こんにちは、世界！（AI）😀")
    0
    >>> count_rare("縺薙ｓ縺ｫ縺｡縺ｯ")
    7
    """
    return sum(1 for match in patterns.NOT_COMMON_CHAR.finditer(text) if not _is_common_han(match.group()))


def unescape_html(text: str) -> str:
    """Replace HTML entities such as ``&amp;`` and ``&#12354;`` by the characters they stand for.

    Text that contains ``<`` is taken for real HTML and left alone, as ftfy does; an entity that
    names no character, or a control character or U+FFFD, stays as it is.

    >>> unescape_html("AT&amp;T &#12354; &hellip;")
    'AT&T あ …'
    >>> unescape_html("<b>&amp;</b>")
    '<b>&amp;</b>'
    """
    if "&" not in text or "<" in text:
        return text

    def replace(match: regex.Match[str]) -> str:
        entity = match.group()
        char = html.unescape(entity)
        if char == entity or char == "\ufffd" or any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in char):
            return entity
        return char

    return patterns.HTML_ENTITY.sub(replace, text)


def fix_latin_mojibake(text: str) -> str:
    """Undo UTF-8 read as latin-1 or cp1252 (also twice) with ftfy's encoding fixers only.

    >>> fix_latin_mojibake("cafÃ© donâ€™t")
    'café don’t'
    >>> fix_latin_mojibake("（テスト）：“ok”？")
    '（テスト）：“ok”？'
    """
    if _NOTHING_FOR_FTFY.fullmatch(text):
        return text
    import ftfy

    fixed: str = ftfy.fix_text(text, _ftfy_encoding_only())
    return fixed


def _redecode_whole(text: str, codec: str) -> str | None:
    """``text`` re-encoded with ``codec`` and read as UTF-8, both strictly; ``None`` if either fails."""
    try:
        return text.encode(codec).decode("utf-8")
    except UnicodeError:
        return None


def _encodable_runs(text: str, codec: str) -> list[tuple[str, list[bytes] | None]]:
    """Split ``text`` into runs of characters that ``codec`` can encode (with their bytes) and runs it
    cannot (``None``): U+FFFD, emoji, and whatever the wrong decoding did not produce."""
    runs: list[tuple[str, list[bytes] | None]] = []
    chars: list[str] = []
    codes: list[bytes] = []
    foreign: list[str] = []
    for char in text:
        try:
            code = char.encode(codec)
        except UnicodeEncodeError:
            if chars:
                runs.append(("".join(chars), codes))
                chars, codes = [], []
            foreign.append(char)
            continue
        if foreign:
            runs.append(("".join(foreign), None))
            foreign = []
        chars.append(char)
        codes.append(code)
    if chars:
        runs.append(("".join(chars), codes))
    if foreign:
        runs.append(("".join(foreign), None))
    return runs


def _valid_end(data: memoryview, offsets: list[int], start: int) -> int:
    """The largest character index ``k`` such that the bytes of characters ``start..k`` decode as UTF-8."""
    try:
        codecs.utf_8_decode(data[offsets[start] :], "strict", True)
    except UnicodeDecodeError as error:
        limit = offsets[start] + error.start
    else:
        return len(offsets) - 1
    end = bisect.bisect_right(offsets, limit) - 1
    while end > start:
        try:
            codecs.utf_8_decode(data[offsets[start] : offsets[end]], "strict", True)
        except UnicodeDecodeError:
            end -= 1
        else:
            break
    return end


def _yields_japanese(source: str, fixed: str) -> bool:
    """Whether a re-reading yields kana, kanji or full-width forms (characters of three UTF-8 bytes or
    more): pairs of legitimate half-width katakana can read as a Latin letter (``ﾃｽ`` → ``ý``). When it
    also turns trail bytes into ASCII letters the source did not have, as accidental readings of two
    rare kanji do (``縺售`` → ``ずS``), it must yield at least three such characters."""
    wide = sum(1 for char in fixed if char >= "\u0800")
    new_ascii = sum(map(str.isascii, fixed)) > sum(map(str.isascii, source))
    return wide >= (_MIN_WIDE_WITH_NEW_ASCII if new_ascii else 1)


def _is_japanese_repair(source: str, fixed: str) -> bool:
    """Whether a stretch re-read inside mixed or lossy text is clearly mojibake undone: it loses all
    its rare characters, at least two if it holds a suspicious character and at least four otherwise,
    and :func:`_yields_japanese`."""
    rare = count_rare(source)
    return (
        (rare >= _MIN_PIECE_GAIN_UNFLAGGED or (rare >= _MIN_PIECE_GAIN and looks_suspicious(source)))
        and count_rare(fixed) == 0
        and _yields_japanese(source, fixed)
    )


def _redecode_pieces(run: str, codes: list[bytes]) -> str:
    """Re-read the stretches of ``run`` whose bytes form valid UTF-8 and lose rare characters doing so.

    Used when the whole text does not decode: mojibake mixed with good text, or lossy mojibake where
    some bytes were lost. Whatever does not decode cleanly stays as it was.
    """
    offsets = [0]
    for code in codes:
        offsets.append(offsets[-1] + len(code))
    data = memoryview(b"".join(codes))
    out: list[str] = []
    i = 0
    while i < len(run):
        if run[i].isascii():  # ASCII reads the same in every codec here: never starts a repair
            out.append(run[i])
            i += 1
            continue
        end = _valid_end(data, offsets, i)
        if end > i:
            source = run[i:end]
            fixed = bytes(data[offsets[i] : offsets[end]]).decode("utf-8")
            if _is_japanese_repair(source, fixed):
                out.append(fixed)
                i = end
                continue
        out.append(run[i])
        i += 1
    return "".join(out)


def _redecode(text: str, codec: str) -> str:
    whole = _redecode_whole(text, codec)
    if whole is not None:
        better = count_rare(whole) < count_rare(text) and _yields_japanese(text, whole)
        return whole if better else text
    out: list[str] = []
    for run, codes in _encodable_runs(text, codec):
        out.append(run if codes is None else _redecode_pieces(run, codes))
    return "".join(out)


def fix_cp932_mojibake(text: str) -> str:
    """Undo UTF-8 that was read as cp932 (Shift_JIS): re-encode as cp932, read as UTF-8, both strictly.

    The result is kept only if it has fewer rare characters than the input and holds kana, kanji or
    full-width forms (pairs of half-width katakana can read as a Latin letter). When the whole text does
    not re-read cleanly (good text around the mojibake, or bytes the wrong decoding lost), only the
    stretches that do and clearly are mojibake are repaired: they must lose all their rare characters,
    at least two of them. Nothing is guessed: U+FFFD and undecodable leftovers stay for the caller to
    report.

    >>> fix_cp932_mojibake("縺薙ｓ縺ｫ縺｡縺ｯ")
    'こんにちは'
    >>> fix_cp932_mojibake("見出し：縺薙ｓ縺ｫ縺｡縺ｯ")
    '見出し：こんにちは'
    >>> fix_cp932_mojibake("東京")
    '東京'
    """
    return _redecode(text, "cp932")


def fix_eucjp_mojibake(text: str) -> str:
    """Undo UTF-8 that was read as EUC-JP, with the same acceptance rule as :func:`fix_cp932_mojibake`.

    >>> fix_eucjp_mojibake("篆＞三")
    '信仰'
    """
    return _redecode(text, "euc_jp")


#: The repairs, in the order one pass applies them. The Japanese codecs go before ftfy, whose C1
#: control fixer would turn the ``\x80`` that cp932 mojibake can hold into ``€`` and spoil the bytes.
REPAIRS: Mapping[str, Callable[[str], str]] = MappingProxyType(
    {
        "unescape_html": unescape_html,
        "fix_cp932_mojibake": fix_cp932_mojibake,
        "fix_eucjp_mojibake": fix_eucjp_mojibake,
        "fix_latin_mojibake": fix_latin_mojibake,
    }
)


def looks_suspicious(text: str) -> bool:
    """True when ``text`` holds a character typical of mojibake. U+FFFD alone does not count: it marks
    lost bytes (a cut title, say), which no decoding can bring back.

    >>> looks_suspicious("cafÃ©"), looks_suspicious("タイトル\\ufffd"), looks_suspicious("普通の文")
    (True, False, False)
    """
    return any(match.group() != "\ufffd" for match in patterns.SUSPICIOUS.finditer(text))


def fix_mojibake(text: str) -> tuple[str, tuple[str, ...]]:
    """Apply :data:`REPAIRS` until a pass changes nothing; return the text and the repairs that acted.

    >>> fix_mojibake("caf&amp;Ã©")
    ('caf&é', ('unescape_html', 'fix_latin_mojibake'))
    >>> fix_mojibake("縺薙ｓ縺ｫ縺｡縺ｯ")
    ('こんにちは', ('fix_cp932_mojibake',))
    >>> fix_mojibake("「生成AI」の未来：（続く）？")
    ('「生成AI」の未来：（続く）？', ())
    """
    if not looks_suspicious(text):
        return text, ()
    applied: list[str] = []
    seen = {text}
    for _ in range(_MAX_PASSES):
        before = text
        for name, repair in REPAIRS.items():
            fixed = repair(text)
            if fixed != text:
                text = fixed
                if name not in applied:
                    applied.append(name)
        if text == before or text in seen:
            break
        seen.add(text)
        if not looks_suspicious(text):
            break
    return text, tuple(applied)
