"""Reading a file: bytes from disk (size limit first), then bytes → :class:`~cleaner.model.Article`.

The public functions (the decoding and front matter concerns live in :mod:`cleaner.decoding` and
:mod:`cleaner.frontmatter`; their public names are re-exported here):

* :func:`read_path` reads a file (size limit first) and :func:`decode` turns its bytes into an
  :class:`Article` plus findings; :func:`encode` turns text back into bytes in the article's style.
* :func:`split_front_matter` cuts text into raw front matter and body.
* :func:`read_field` and :func:`write_field` read or rewrite one top-level field.
"""

from __future__ import annotations

import os
from pathlib import Path

from cleaner.decoding import UTF8_BOM, decode_text, normalise_newlines, rare_count
from cleaner.errors import ReadError
from cleaner.frontmatter import read_field, split_front_matter, write_field
from cleaner.model import Action, Article, Finding, Kind

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
    text, encoding = decode_text(data)
    findings: list[Finding] = []
    if encoding not in ("utf-8", "utf-8-sig"):
        detail = f"decoded as {encoding}; written as UTF-8"
        findings.append(
            Finding(kind=Kind.ENCODING, action=Action.CHANGED, detail=detail, rule="encoding.converted")
        )
    text, newline, mixed = normalise_newlines(text)
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
    return UTF8_BOM + data if article.bom else data
