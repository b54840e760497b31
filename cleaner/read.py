"""Bytes → :class:`~cleaner.model.Article`: encoding detected, line ends normalised, front matter located.

Front matter is located, never rewritten: :class:`~cleaner.model.FrontMatter` keeps its raw text byte for
byte, and :func:`write_field` edits one line of it. PyYAML is used only to *read* one value at a time
(re-dumping a whole block re-orders keys and re-quotes values; see ``docs/measurements.md``).

The public functions:

* :func:`read_path` reads a file (size limit first) and :func:`decode` turns its bytes into an
  :class:`Article` plus findings; :func:`encode` turns text back into bytes in the article's style.
* :func:`split_front_matter` cuts text into raw front matter and body.
* :func:`read_field` and :func:`write_field` read or rewrite one top-level field.

Encoding policy: output is always UTF-8. A UTF-8 input with a byte-order mark keeps its BOM; UTF-16,
UTF-32, cp932, EUC-JP, ISO-2022-JP and whatever charset-normalizer recognises become plain UTF-8, and
that conversion is a finding. Bytes that are mostly UTF-8 but contain a few invalid sequences are a
:class:`ReadError`, never a guess: a corrupted UTF-8 file decoded as cp932 would be mojibake throughout.
"""

from __future__ import annotations

import codecs
import collections
import os
import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Final

import yaml

from cleaner.model import Action, Article, Finding, FrontMatter, Kind

try:
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]

__all__ = [
    "ReadError",
    "decode",
    "encode",
    "rare_count",
    "read_field",
    "read_path",
    "split_front_matter",
    "write_field",
]


class ReadError(Exception):
    """A file that cannot be read as text. ``message`` is one human line; the caller adds the path.

    >>> str(ReadError("binary content (NUL bytes)"))
    'binary content (NUL bytes)'
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- reading a file ------------------------------------------------------------------------------------


def read_path(path: Path, max_bytes: int) -> bytes:
    """Read the bytes of ``path``, refusing files larger than ``max_bytes`` before reading them.

    ``OSError`` becomes a :class:`ReadError` with the system's wording (``"cannot read: Permission
    denied"``). At most ``max_bytes + 1`` bytes are read, so a file that grows while it is read is
    refused too.
    """
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise ReadError(_over_limit(size, max_bytes))
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror or error}") from error
    if len(data) > max_bytes:
        raise ReadError(_over_limit(len(data), max_bytes))
    return data


def _over_limit(size: int, limit: int) -> str:
    """The message for a file over the size limit.

    >>> _over_limit(210 * 2**20, 64 * 2**20)
    'file is 210 MB, over the 64 MB limit (max_file_bytes)'
    >>> _over_limit(64 * 2**20 + 1, 64 * 2**20)
    'file is 67,108,865 bytes, over the 67,108,864-byte limit (max_file_bytes)'
    """
    shown, limit_shown = _human_size(size), _human_size(limit)
    if shown == limit_shown:
        return f"file is {size:,} bytes, over the {limit:,}-byte limit (max_file_bytes)"
    return f"file is {shown}, over the {limit_shown} limit (max_file_bytes)"


def _human_size(size: int) -> str:
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}"
    return f"{size} bytes"


# --- encodings -----------------------------------------------------------------------------------------

_UTF8_BOM: Final = codecs.BOM_UTF8

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


def decode(data: bytes) -> tuple[Article, tuple[Finding, ...]]:
    """Decode ``data``, normalise line ends to ``\\n`` and split off front matter.

    Raises :class:`ReadError` for binary content, corrupted UTF-8, bytes no codec explains, and front
    matter that is opened but never closed.

    >>> article, findings = decode(b"---\\r\\ntitle: x\\r\\n---\\r\\nbody\\r\\n")
    >>> article.front_matter.raw, article.body, article.newline, findings
    ('---\\ntitle: x\\n---\\n', 'body\\n', '\\r\\n', ())
    >>> article, findings = decode("日本語の記事です。".encode("cp932"))
    >>> article.body, article.encoding, findings[0].detail
    ('日本語の記事です。', 'cp932', 'decoded as cp932; written as UTF-8')
    """
    text, encoding = _decode_text(data)
    findings: list[Finding] = []
    if encoding not in ("utf-8", "utf-8-sig"):
        detail = f"decoded as {encoding}; written as UTF-8"
        findings.append(
            Finding(kind=Kind.ENCODING, action=Action.CHANGED, detail=detail, rule="encoding.converted")
        )
    text, newline, mixed = _normalise_newlines(text)
    if mixed:
        findings.append(
            Finding(kind=Kind.ENCODING, action=Action.CHANGED, detail=mixed, rule="encoding.newlines")
        )
    front_matter, body = split_front_matter(text)
    article = Article(
        front_matter=front_matter,
        body=body,
        newline=newline,
        encoding=encoding,
        bom=encoding == "utf-8-sig",
    )
    return article, tuple(findings)


def encode(article: Article, text: str) -> bytes:
    """The bytes to write for ``text`` (``\\n`` line ends) in the style of ``article``.

    Output is UTF-8 with the input's dominant line end; a UTF-8 input with a BOM keeps it; every other
    input encoding becomes plain UTF-8.

    >>> data = b"\\xef\\xbb\\xbf---\\r\\ntitle: x\\r\\n---\\r\\nbody"
    >>> article, _ = decode(data)
    >>> encode(article, article.front_matter.raw + article.body) == data
    True
    """
    if article.newline != "\n":
        text = text.replace("\n", article.newline)
    data = text.encode("utf-8")
    return _UTF8_BOM + data if article.bom else data


def _decode_text(data: bytes) -> tuple[str, str]:
    """Text and the name of the encoding it was read with."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ReadError(f"binary content ({what})")
    if data.startswith(_UTF8_BOM):
        return _strict_utf8(data, len(_UTF8_BOM)), "utf-8-sig"
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


def _normalise_newlines(text: str) -> tuple[str, str, str]:
    """Text with ``\\n`` line ends, the dominant line end, and a note when the ends were mixed.

    A lone ``\\r`` is a line end, as in CommonMark. Ties go to ``\\n``, then ``\\r\\n``.

    >>> _normalise_newlines("a\\r\\nb\\r\\n")
    ('a\\nb\\n', '\\r\\n', '')
    >>> _normalise_newlines("a\\r\\nb\\nc\\r\\n")
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


# --- front matter --------------------------------------------------------------------------------------

_OPENERS: Final = {"yaml": re.compile(r"---[ \t]*(?:\n|\Z)"), "toml": re.compile(r"\+\+\+[ \t]*(?:\n|\Z)")}
_CLOSERS: Final = {
    "yaml": re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M),
    "toml": re.compile(r"^\+\+\+[ \t]*$", re.M),
}

#: The first meaningful line of a block that is front matter: ``key:`` (YAML) or ``key =`` / ``[table]``.
_LOOKS_LIKE: Final = {
    "yaml": re.compile(r"""(?:"[^"\n]*"|'[^'\n]*'|[^\s#'"\-?:\[\]{},&*!|>%@`][^\n:]*?)[ \t]*:(?:[ \t]|$)"""),
    "toml": re.compile(
        r"""[ \t]*(?:\[|(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')(?:[ \t]*\.[ \t]*\S+?)*[ \t]*=)"""
    ),
}


def split_front_matter(text: str) -> tuple[FrontMatter | None, str]:
    """Split ``text`` (``\\n`` line ends) into raw front matter and body, so that ``raw + body == text``.

    YAML front matter opens with a ``---`` first line and closes with a ``---`` or ``...`` line; TOML
    opens and closes with ``+++``. Trailing spaces on a delimiter are allowed. The blank line that
    usually follows front matter belongs to the body.

    A body may open with a ``---`` thematic break. The first line therefore opens front matter only if
    the block is empty or its first line that is neither blank nor a ``#`` comment looks like
    ``key: value`` (TOML: ``key = value`` or ``[table]``). A block that looks like front matter but is
    never closed is a :class:`ReadError`; one that does not look like it is body text. Invalid YAML in
    a closed block is not an error: it is kept byte for byte.

    >>> split_front_matter("---\\ntitle: x\\n---\\n\\nbody\\n")
    (FrontMatter(raw='---\\ntitle: x\\n---\\n', style='yaml'), '\\nbody\\n')
    >>> split_front_matter("+++\\ntitle = 'x'\\n+++\\nbody")
    (FrontMatter(raw="+++\\ntitle = 'x'\\n+++\\n", style='toml'), 'body')
    >>> split_front_matter("---\\n\\n本文です。\\n\\n---\\n続き")
    (None, '---\\n\\n本文です。\\n\\n---\\n続き')
    >>> split_front_matter("---\\ntitle: x\\nbody")
    Traceback (most recent call last):
    ...
    cleaner.read.ReadError: front matter opened on line 1 is never closed
    """
    style = "toml" if text.startswith("+") else "yaml"
    opened = _OPENERS[style].match(text)
    if opened is None:
        return None, text
    start = opened.end()
    closed = _CLOSERS[style].search(text, start) if opened.group().endswith("\n") else None
    content = text[start : closed.start()] if closed else text[start:]
    first = next((ln for ln in content.split("\n") if ln.strip() and not ln.startswith("#")), None)
    looks_like = first is None or bool(_LOOKS_LIKE[style].match(first))
    if closed is None:
        if looks_like and first is not None:
            raise ReadError("front matter opened on line 1 is never closed")
        return None, text
    if not looks_like:
        return None, text
    end = closed.end() + 1 if text.startswith("\n", closed.end()) else closed.end()
    return FrontMatter(raw=text[:end], style=style), text[end:]


# --- one field ---------------------------------------------------------------------------------------


def read_field(fm: FrontMatter, name: str) -> str | None:
    """The string value of the top-level field ``name``, read from its own lines only.

    Only the field's line (and its continuation lines, for multi-line values) is parsed, so invalid
    YAML elsewhere does not matter. If a key occurs twice, the last one counts, as in YAML loaders.
    ``None`` when the field is absent or its value is not a string (a number, a date, a list, null).

    Tolerant of cut values: a quoted value whose closing quote was cut away reads as the text after
    the opening quote, and a plain value that is not valid YAML (``title: AI: the future``) reads as
    its raw text.

    >>> fm = FrontMatter('---\\ntitle: "AIの未来"\\ndate: 2025-09-01\\n---\\n', "yaml")
    >>> read_field(fm, "title"), read_field(fm, "date"), read_field(fm, "tags")
    ('AIの未来', None, None)
    >>> read_field(FrontMatter('---\\ntitle: "主要プレ\\ufffd\\nlayout: post\\n---\\n', "yaml"), "title")
    '主要プレ\\ufffd'
    >>> read_field(FrontMatter("+++\\ntitle = 'x'\\n+++\\n", "toml"), "title")
    'x'
    """
    located = _locate(fm, name)
    if located is None:
        return None
    value = located.parse()
    return value if isinstance(value, str) else None


def write_field(fm: FrontMatter, name: str, value: str) -> FrontMatter:
    """Front matter with the top-level field ``name`` set to ``value``; every other byte is unchanged.

    Only that line is rewritten. The key spelling, the spacing after the colon and anything after the
    value (a comment) are kept, and so is the quote style when the value allows it: a double-quoted
    value escapes ``\\`` and ``"`` (and control characters), a single-quoted one doubles ``'`` and falls
    back to double quotes for line breaks, a plain one stays plain only if YAML reads it back as the
    same string (``yes``, ``2025``, ``a: b`` or ``#x`` get double quotes). TOML uses basic or literal
    strings the same way.

    Returned unchanged (compare with ``==`` to tell): when the field is absent; when its value spans
    several lines (YAML block scalars ``|``/``>``, continuation lines, TOML multi-line strings and
    arrays), since one line cannot be replaced there; and when it carries a YAML tag, anchor or alias,
    since other lines may depend on it.

    >>> fm = FrontMatter('---\\nlayout: post\\ntitle: "主要プレ\\ufffd\\ndate: 2025\\n---\\n', "yaml")
    >>> print(write_field(fm, "title", '主要プレイヤー "AI"').raw, end="")
    ---
    layout: post
    title: "主要プレイヤー \\"AI\\""
    date: 2025
    ---
    >>> print(write_field(FrontMatter("---\\ntitle: a # note\\n---\\n", "yaml"), "title", "yes").raw, end="")
    ---
    title: "yes" # note
    ---
    """
    located = _locate(fm, name)
    if located is None or not located.editable:
        return fm
    line = located.rewrite(value)
    if line is None:
        return fm
    lines = fm.raw.split("\n")
    lines[located.index] = line
    return replace(fm, raw="\n".join(lines))


class _Field:
    """One top-level field found in front matter: where it is and how its value is written."""

    __slots__ = ("continuation", "index", "line", "prefix", "style")

    def __init__(self, style: str, index: int, line: str, prefix: str, continuation: list[str]) -> None:
        self.style = style  # front matter style: "yaml" or "toml"
        self.index = index  # index of the key line in fm.raw.split("\n")
        self.line = line
        self.prefix = prefix  # key, separator and the whitespace after it
        self.continuation = continuation  # following lines that belong to the value

    @property
    def rest(self) -> str:
        return self.line[len(self.prefix) :]

    @property
    def editable(self) -> bool:
        rest = self.rest
        if self.style == "toml":
            if rest.startswith(('"""', "'''")):
                return False
            return not (rest.startswith(("[", "{")) and _load_line(self.style, self.line) is _FAILED)
        if any(ln.strip() for ln in self.continuation):
            return False
        return not rest.startswith(("|", ">", "!", "&", "*"))

    def parse(self) -> object:
        """The value as YAML or TOML reads it, with the tolerant fallbacks of :func:`read_field`."""
        rest = self.rest
        if self.style == "yaml" and any(ln.strip() for ln in self.continuation):
            value = _load_line("yaml", "\n".join([self.line, *self.continuation]) + "\n")
            if value is not _FAILED:
                return value
        elif self.style == "toml" and rest.startswith(('"""', "'''", "[", "{")):
            for end in range(len(self.continuation) + 1):
                value = _load_line("toml", "\n".join([self.line, *self.continuation[:end]]))
                if value is not _FAILED:
                    return value
        value = _load_line(self.style, self.line)
        if value is not _FAILED:
            return value
        quote = rest[:1]
        if quote in ("'", '"'):
            end, closed = _quoted_end(rest, quote, self.style)
            candidate = self.prefix + (rest[:end] if closed else rest.rstrip() + quote)
            value = _load_line(self.style, candidate)
            if value is not _FAILED:
                return value
            return rest[1 : end - 1] if closed else rest[1:].rstrip()
        if self.style == "yaml" and not rest.startswith(("[", "{", "|", ">", "!", "&", "*")):
            return _plain_end(rest)[0] or None
        return None

    def rewrite(self, value: str) -> str | None:
        """The key line with ``value`` in place of the old value, or ``None`` if it cannot be written."""
        rest = self.rest
        quote = rest[:1]
        if quote in ("'", '"'):
            end, _closed = _quoted_end(rest, quote, self.style)
            old_style, suffix = quote, rest[end:]
        else:
            _text, suffix = _plain_end(rest)
            old_style = "plain"
        prefix = self.prefix if self.prefix[-1:] in (" ", "\t") else self.prefix + " "
        # The old style first, then double quotes; last, without what followed the old value when
        # that was not a comment but junk that made the line invalid (``title: "x" junk``).
        for style, after in ((old_style, suffix), ('"', suffix), ('"', "")):
            written = _quote(self.style, style, value)
            if written is None:
                continue
            line = prefix + written + after
            if _load_line(self.style, line) == value:
                return line
        return None


_FAILED: Final = object()


def _load_line(style: str, text: str) -> object:
    """The single value of a one-key YAML/TOML snippet, or ``_FAILED``."""
    loaded: object
    try:
        loaded = tomllib.loads(text) if style == "toml" else yaml.load(text, Loader=_YamlLoader)
    except (yaml.YAMLError, tomllib.TOMLDecodeError):
        return _FAILED
    if isinstance(loaded, dict) and len(loaded) == 1:
        return next(iter(loaded.values()))
    return _FAILED


def _locate(fm: FrontMatter, name: str) -> _Field | None:
    """The last top-level occurrence of ``name`` in ``fm``, with the lines that may continue its value.

    YAML continuation lines are the blank, indented or ``- item`` lines that follow the key. TOML has no
    indentation rule, so every following line is a candidate; :meth:`_Field.parse` takes the shortest
    span that parses.
    """
    lines = fm.raw.split("\n")
    close = len(lines) - 2 if fm.raw.endswith("\n") else len(lines) - 1
    key = _key_pattern(fm.style, name)
    found: _Field | None = None
    for index in range(1, close):
        line = lines[index]
        if fm.style == "toml" and line.lstrip().startswith("["):
            break  # a table header: what follows is not top level
        matched = key.match(line)
        if not matched:
            continue
        end = index + 1
        if fm.style == "toml":
            end = close
        else:
            while end < close and _continues_yaml(lines[end]):
                end += 1
        found = _Field(fm.style, index, line, matched.group(), lines[index + 1 : end])
    return found


def _continues_yaml(line: str) -> bool:
    """True for a line that cannot start a new top-level key: blank, indented or a ``- item``."""
    return not line.strip() or line[:1] in (" ", "\t") or line == "-" or line.startswith("- ")


def _key_pattern(style: str, name: str) -> re.Pattern[str]:
    spellings = [
        re.escape(name),
        '"' + re.escape(_yaml_double(name)) + '"',
        "'" + re.escape(name.replace("'", "''")) + "'",
    ]
    if style == "toml":
        return re.compile(r"[ \t]*(?:" + "|".join(spellings) + r")[ \t]*=[ \t]*")
    return re.compile(r"(?:" + "|".join(spellings) + r")[ \t]*:(?:[ \t]+|$)")


def _quoted_end(rest: str, quote: str, style: str) -> tuple[int, bool]:
    """Index just past the closing quote of the value that starts ``rest``, and whether it was closed."""
    index = 1
    while index < len(rest):
        ch = rest[index]
        if quote == '"' and ch == "\\":
            index += 2
            continue
        if ch == quote:
            if quote == "'" and style == "yaml" and rest.startswith("'", index + 1):
                index += 2  # '' is an escaped quote in YAML
                continue
            return index + 1, True
        index += 1
    return len(rest), False


def _plain_end(rest: str) -> tuple[str, str]:
    """A plain (or bare TOML) value and what follows it: trailing blanks and a ``#`` comment."""
    comment = re.search(r"[ \t]#|^#", rest)
    value = rest[: comment.start()] if comment else rest
    stripped = value.rstrip(" \t")
    return stripped, rest[len(stripped) :]


def _quote(style: str, quote: str, value: str) -> str | None:
    """``value`` written in one quote style (``"``, ``'`` or ``plain``), or ``None`` if it cannot be."""
    if quote == '"':
        return '"' + (_toml_basic(value) if style == "toml" else _yaml_double(value)) + '"'
    if quote == "'":
        if any(not _printable(ch) or ch in _LINE_BREAKS for ch in value):
            return None
        if style == "toml":
            return None if "'" in value else "'" + value + "'"
        return "'" + value.replace("'", "''") + "'"
    if style == "toml" or not value or any(not _printable(ch) or ch in _LINE_BREAKS for ch in value):
        return None  # TOML has no plain strings; the caller checks that YAML reads a plain value back
    return value


_LINE_BREAKS: Final = "\n\r\x85\u2028\u2029"
_YAML_ESCAPES: Final = {
    "\\": "\\\\",
    '"': '\\"',
    "\x00": "\\0",
    "\x07": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def _printable(ch: str) -> bool:
    """YAML's printable set, less the byte-order mark (which some readers drop)."""
    code = ord(ch)
    return (
        code in (0x09, 0x0A, 0x0D, 0x85)
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or code >= 0x10000
    )


def _yaml_double(value: str) -> str:
    r"""The inside of a YAML double-quoted scalar for ``value``, on one line.

    >>> _yaml_double('a "b" \\ c\n')
    'a \\"b\\" \\\\ c\\n'
    """
    out = []
    for ch in value:
        if ch in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[ch])
        elif _printable(ch):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)


def _toml_basic(value: str) -> str:
    r"""The inside of a TOML basic string for ``value``.

    >>> _toml_basic('a "b"\t\\')
    'a \\"b\\"\\t\\\\'
    """
    named = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
    out = []
    for ch in value:
        if ch in named:
            out.append(named[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)
