"""The error of a file that cannot be read as text."""

from __future__ import annotations


class ReadError(Exception):
    """A file that cannot be read as text. ``message`` is one human line; the caller adds the path.

    >>> str(ReadError("binary content (NUL bytes)"))
    'binary content (NUL bytes)'
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
