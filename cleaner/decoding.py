"""Bytes → text: the encoding detected, line ends normalised.

Encoding policy: output is always UTF-8. A UTF-8 input with a byte-order mark keeps its BOM; UTF-16,
UTF-32, cp932, EUC-JP, ISO-2022-JP and whatever charset-normalizer recognises become plain UTF-8, and
that conversion is a finding. Bytes that are mostly UTF-8 but contain a few invalid sequences are a
:class:`~cleaner.errors.ReadError`, never a guess: a corrupted UTF-8 file decoded as cp932 would be
mojibake throughout.
"""

from __future__ import annotations

import codecs
import collections
import re
from typing import Final

from cleaner.errors import ReadError

# --- encodings -----------------------------------------------------------------------------------------

UTF8_BOM: Final = codecs.BOM_UTF8

#: Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Magic numbers of the binary files most often found next to articles.
_MAGIC: Final = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh91AY&SY", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"\x7fELF", "ELF executable"),
)

#: Legacy Japanese encodings tried strictly when the bytes are not UTF-8; cp932 wins a tie.
_JAPANESE: Final = ("cp932", "euc_jp")

#: Share of non-ASCII bytes that must form valid UTF-8 for a failing file to count as corrupted UTF-8.
#: Japanese text in cp932 or EUC-JP reaches at most ~45% by accident (measured on the corpus sample);
#: a UTF-8 file with a cut character or a pasted foreign line stays above 99%.
MOSTLY_UTF8: Final = 0.9

#: A strict cp932/EUC-JP decoding is accepted when at most this share of its non-ASCII characters is rare
#: (or it has at least as much kana as rare characters: half-width katakana text)...
MAX_RARE_SHARE: Final = 0.25
#: ...and, once it has :data:`KANA_MIN_CHARS` non-ASCII characters, at least this share of them is kana.
#: Japanese prose is at least 51% kana in the corpus sample; Korean or Chinese bytes that happen to
#: decode as EUC-JP come out as kanji without kana.
MIN_KANA_SHARE: Final = 0.05
KANA_MIN_CHARS: Final = 20

#: charset-normalizer's "chaos" (0 = clean text, 1 = noise) above which its guess is refused.
MAX_CHAOS: Final = 0.1

#: ISO-2022-JP escape sequences (kanji in, ASCII / JIS-Roman back). Such files are 7-bit, hence valid UTF-8.
_ISO2022_JP_ESCAPE: Final = re.compile(rb"\x1b\$[@B]")


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and the name of the encoding it was read with."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ReadError(f"binary content ({what})")
    if data.startswith(UTF8_BOM):
        return _strict_utf8(data, len(UTF8_BOM)), "utf-8-sig"
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise ReadError(f"invalid {encoding} at byte {error.start + len(bom)}") from error
            if "\x00" in text:
                raise ReadError("binary content (NUL characters)")
            return text, encoding
    if b"\x00" in data:
        raise ReadError(_nul_message(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _decode_legacy(data, error.start)
    if text.isascii() and _ISO2022_JP_ESCAPE.search(data):
        try:
            return data.decode("iso2022_jp"), "iso2022_jp"
        except UnicodeDecodeError:
            pass  # escape-like bytes in ASCII text: it was ASCII after all
    return text, "utf-8"


def _strict_utf8(data: bytes, start: int) -> str:
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReadError(_invalid_utf8(data, error.start + start)) from error


def _invalid_utf8(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"invalid UTF-8 at byte {offset} (line {line})"


def _nul_message(data: bytes) -> str:
    """Binary, unless the NULs sit where UTF-16 without a byte-order mark puts them."""
    zeros = data.count(b"\x00")
    if len(data) % 2 == 0 and zeros * 4 >= len(data):
        even, odd = data[0::2].count(b"\x00"), data[1::2].count(b"\x00")
        if min(even, odd) * 10 < max(even, odd):
            return "binary content (NUL bytes; UTF-16 without a byte-order mark?)"
    return "binary content (NUL bytes)"


def _decode_legacy(data: bytes, first_bad: int) -> tuple[str, str]:
    """Decode bytes that are not UTF-8: refuse corrupted UTF-8, then cp932/EUC-JP, then charset-normalizer."""
    if _utf8_share(data) >= MOSTLY_UTF8:
        raise ReadError(_invalid_utf8(data, first_bad))
    best: tuple[int, str, str] | None = None
    for encoding in _JAPANESE:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        rare = rare_count(text)
        if best is None or rare < best[0]:
            best = (rare, encoding, text)
    if best is not None and _plausibly_japanese(best[2], best[0]):
        return best[2], best[1]
    guessed = _charset_normalizer(data)
    if guessed is not None:
        return guessed
    raise ReadError(f"not UTF-8 (invalid byte at {first_bad}), and not cp932 or EUC-JP either")


def _plausibly_japanese(text: str, rare: int) -> bool:
    """Whether a strict cp932/EUC-JP decoding with ``rare`` rare characters reads as Japanese.

    >>> _plausibly_japanese("ｶﾀｶﾅﾃﾞｽ。これは半角カナを含む文章です。", 7)
    True
    >>> korean = "한국어 문장입니다. 인코딩 감지를 시험합니다. 오늘은 날씨가 좋네요."
    >>> korean_as_euc_jp = korean.encode("euc_kr").decode("euc_jp")
    >>> _plausibly_japanese(korean_as_euc_jp, rare_count(korean_as_euc_jp))
    False
    """
    non_ascii = sum(1 for ch in text if not ch.isascii())
    kana = len(_KANA.findall(text))
    if rare > MAX_RARE_SHARE * non_ascii and kana < rare:
        return False
    return non_ascii < KANA_MIN_CHARS or kana >= MIN_KANA_SHARE * non_ascii


#: Full-width hiragana and katakana, with the prolonged sound mark.
_KANA: Final = re.compile("[\u3041-\u309f\u30a0-\u30ff]")


def _utf8_share(data: bytes) -> float:
    """Share of the non-ASCII bytes of ``data`` that belong to valid UTF-8 sequences.

    >>> _utf8_share("日本語".encode() + b"\\xe3\\x81")
    0.8181818181818182
    >>> _utf8_share("日本語の文章です。".encode("euc_jp")) < 0.5
    True
    """
    text = data.decode("utf-8", "surrogateescape")
    bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    non_ascii = sum(1 for byte in data if byte >= 0x80)
    return (non_ascii - bad) / non_ascii if non_ascii else 1.0


def rare_count(text: str) -> int:
    """How many characters of ``text`` are rare in Japanese prose: the score that tells a right decoding
    from a wrong one.

    Common: ASCII, JIS X 0208 rows 1–5 (punctuation, full-width alphanumerics, kana), NEC row 13
    (①, ㈱) and level-1 kanji (rows 16–47). Rare: control characters, half-width katakana, level-2 kanji,
    Greek, Cyrillic, box drawing, IBM extensions, private use, JIS X 0212. Other characters (emoji, say)
    are neither; they cannot come out of a cp932 or EUC-JP decoding anyway.

    >>> rare_count("日本語の記事です。")
    0
    >>> rare_count("日本語の記事です。".encode("euc_jp").decode("cp932", "replace")) > 3
    True
    """
    return sum(count for ch, count in collections.Counter(text).items() if _is_rare(ch))


def _is_rare(ch: str) -> bool:
    if ch.isascii():
        return not ch.isprintable() and ch not in "\t\n\r\f"
    code = ord(ch)
    if code < 0xA0 or 0xE000 <= code <= 0xF8FF:
        return True  # C1 controls, private use
    try:
        sjis = ch.encode("cp932")
    except UnicodeEncodeError:
        try:
            ch.encode("euc_jp")
        except UnicodeEncodeError:
            return False
        return True  # JIS X 0212 only
    if len(sjis) == 1:
        return True  # half-width katakana
    lead, trail = sjis
    if lead == 0x87:
        return False  # NEC special characters: ①, Ⅰ, ㈱, ㎜
    if not (0x81 <= lead <= 0x9F or 0xE0 <= lead <= 0xEF):
        return True  # IBM extensions, user-defined area
    row = 2 * (lead - (0x81 if lead <= 0x9F else 0xC1)) + 1 + (trail >= 0x9F)
    return not (row <= 5 or 16 <= row <= 47)


def _charset_normalizer(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best guess, only when it is confident (low chaos).

    Among equally clean Western guesses it picks cp1252 when offered: on short Latin-1 text it ranks
    cp1257 (``trčs`` for ``très``) as high as cp1252. A guess whose text holds control characters is
    refused: charset-normalizer reads some random bytes as EBCDIC with little "chaos".
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches or matches[0].chaos > MAX_CHAOS:
        return None
    best = matches[0]
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos:
            best = match
    encoding = codecs.lookup(best.encoding).name
    if encoding in ("utf-8", "utf-8-sig", "ascii") or encoding in _EBCDIC:
        return None  # strict UTF-8 failed; and no Markdown corpus is EBCDIC
    text = str(best)
    if _CONTROL.search(text):
        return None  # text files hold no control characters; random bytes read as EBCDIC do
    return text, encoding


#: EBCDIC code pages, which charset-normalizer offers for random bytes.
_EBCDIC: Final = frozenset({"cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"})

#: Control characters other than whitespace and ESC (which ISO-2022 uses), C1 included.
_CONTROL: Final = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")


# --- line ends -----------------------------------------------------------------------------------------


def normalise_newlines(text: str) -> tuple[str, str, str]:
    """Text with ``\\n`` line ends, the dominant line end, and a note when the ends were mixed.

    A lone ``\\r`` is a line end, as in CommonMark. Ties go to ``\\n``, then ``\\r\\n``.

    >>> normalise_newlines("a\\r\\nb\\r\\n")
    ('a\\nb\\n', '\\r\\n', '')
    >>> normalise_newlines("a\\r\\nb\\nc\\r\\n")
    ('a\\nb\\nc\\n', '\\r\\n', 'mixed line ends (2 CRLF, 1 LF); written with CRLF')
    """
    if "\r" not in text:
        return text, "\n", ""
    crlf = text.count("\r\n")
    counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf}
    newline = max(counts, key=lambda end: counts[end])  # first of the maxima: \n, then \r\n
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    present = [end for end, count in counts.items() if count]
    if len(present) < 2:
        return normalised, newline, ""
    names = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}
    parts = ", ".join(f"{counts[end]} {names[end]}" for end in sorted(present, key=lambda e: -counts[e]))
    return normalised, newline, f"mixed line ends ({parts}); written with {names[newline]}"
