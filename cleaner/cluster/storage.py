"""Where a cluster run reads and writes: local files as :mod:`cleaner.write` writes them, anything else
through fsspec (``s3://``, ``gs://``, ``memory://``).

A location is a string: a local path, or a URL with a protocol fsspec knows. ``file://`` URLs are
local paths (the command line turns them into paths), so local outputs keep their atomic replace. An
object store has no rename: an output there is one whole-object put (``pipe_file``), which readers
see whole or not at all.

Workers call these functions, so each takes the storage options (``endpoint_url``, ``key``, …) and
opens its file system itself; fsspec keeps one instance per process and set of options.
"""

from __future__ import annotations

import contextlib
import fnmatch
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from cleaner.discover import matches_glob
from cleaner.options import Options
from cleaner.read import ReadError

__all__ = ["Remote", "Unusable", "iter_remote", "join", "read_remote", "remove", "write_remote"]

#: Storage option values that mean a boolean (``--storage-option anon=true``).
_BOOLEANS = {"true": True, "false": False}


def file_system(url: str, storage: Mapping[str, str]) -> tuple[Any, str]:
    """fsspec's file system for ``url`` and the path within it."""
    from fsspec.core import url_to_fs

    options = {key: _BOOLEANS.get(value.lower(), value) for key, value in storage.items()}
    fs, path = url_to_fs(url, **options)
    return fs, str(path)


def is_url(location: str) -> bool:
    """True for a location fsspec handles (a protocol other than ``file``).

    >>> is_url("s3://bucket/a.md"), is_url("posts/a.md"), is_url("file:///tmp/a.md")
    (True, False, False)
    """
    scheme, sep, _ = location.partition("://")
    return bool(sep) and scheme != "file" and "/" not in scheme


def join(folder: str, rel: str) -> str:
    """``rel`` (posix, relative) under the URL ``folder``.

    >>> join("s3://bucket/clean/", "2025/a.md")
    's3://bucket/clean/2025/a.md'
    """
    return folder.rstrip("/") + "/" + rel


class Unusable:
    """A URL that was not read, with one line saying why."""

    __slots__ = ("message", "url")

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        self.message = message


class Remote:
    """One input object: the URL it is read from (also its name in findings) and its path relative to
    the URL it was found under (mirrored into the output folder)."""

    __slots__ = ("rel", "url")

    def __init__(self, url: str, rel: str) -> None:
        self.url = url
        self.rel = rel


def iter_remote(
    urls: tuple[str, ...], options: Options, storage: Mapping[str, str]
) -> Iterator[Remote | Unusable]:
    """The objects under ``urls`` by the rules :mod:`cleaner.discover` applies to folders: names starting
    with ``.`` skipped, ``exclude`` globs on the relative path, ``include`` globs on the name, depth first
    in name order; an object named directly is read whatever its name."""
    exclude = tuple(options.exclude)
    for url in sorted(urls):
        fs, root = file_system(url, storage)
        protocol = url.partition("://")[0]
        try:
            is_dir = fs.isdir(root)
            if not is_dir and not fs.isfile(root):
                yield Unusable(url, "no such file or folder")
                continue
            if not is_dir:
                yield Remote(url, PurePosixPath(root).name)
                continue
            found = fs.find(root, detail=False)
        except OSError as error:
            yield Unusable(url, f"cannot read: {error.strerror or error}")
            continue
        base = root.rstrip("/") + "/"
        rels = [path[len(base) :] for path in found if path.startswith(base)]
        for rel in sorted(rels, key=lambda r: r.split("/")):
            parts = rel.split("/")
            if any(part.startswith(".") for part in parts) or any(matches_glob(p, rel) for p in exclude):
                continue
            if not any(fnmatch.fnmatchcase(parts[-1], pattern) for pattern in options.include):
                continue
            yield Remote(f"{protocol}://{base}{rel}", rel)


def read_remote(url: str, max_bytes: int, storage: Mapping[str, str]) -> bytes:
    """The bytes of the object at ``url``, refused above ``max_bytes`` as :func:`cleaner.read.read_path`
    refuses a file; errors of the store become :class:`ReadError`."""
    from cleaner.read import _over_limit

    fs, path = file_system(url, storage)
    try:
        size = fs.size(path)
        if size is not None and size > max_bytes:
            raise ReadError(_over_limit(size, max_bytes))
        data: bytes = fs.cat_file(path, start=0, end=max_bytes + 1)
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror or error}") from error
    if len(data) > max_bytes:
        raise ReadError(_over_limit(len(data), max_bytes))
    return data


def write_remote(url: str, data: bytes, storage: Mapping[str, str]) -> None:
    """Put ``data`` as the whole object at ``url`` (one request: no partial object is ever visible)."""
    fs, path = file_system(url, storage)
    fs.pipe_file(path, data)


def remove(location: str, storage: Mapping[str, str]) -> None:
    """Remove an output (a duplicate's copy); a location already gone is fine."""
    if not is_url(location):
        Path(location).unlink(missing_ok=True)
        return
    fs, path = file_system(location, storage)
    with contextlib.suppress(FileNotFoundError):
        fs.rm_file(path)
