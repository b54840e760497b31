"""Front matter: located in the text, read one field at a time, edited one line at a time.

Front matter is located, never rewritten: :class:`~cleaner.model.FrontMatter` keeps its raw text byte
for byte, and :func:`write_field` edits one line of it. PyYAML is used only to *read* one value at a
time (re-dumping a whole block re-orders keys and re-quotes values).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from typing import Final

import yaml

from cleaner.errors import ReadError
from cleaner.model import FrontMatter

try:
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]


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
    cleaner.errors.ReadError: front matter opened on line 1 is never closed
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
