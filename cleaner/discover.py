"""Which files a run reads: folders walked recursively, files taken as given, in a fixed order.

:func:`iter_files` yields a :class:`Source` for every file to read and a :class:`Problem` for every
path it could not use (missing, unreadable folder, broken link, not a regular file), in one sorted
stream. Problems are values rather than a callback so that a caller cannot forget them: the type
``Source | Problem`` makes the type checker ask, and a problem lands in the report where it belongs.

Rules, in the order they apply to a path found inside a folder:

* names starting with ``.`` (files and folders) are skipped; a path named explicitly is not, so
  ``cleaner .`` and ``cleaner .drafts/a.md`` work;
* ``options.exclude`` globs are matched against the path relative to the folder given (``/``
  separators). A glob without ``/`` matches any one name along the path (``drafts``, ``*.bak.md``),
  so it excludes a folder with everything in it; a glob with ``/`` is anchored at that folder, ``*``
  and ``?`` stay within one name, ``**`` crosses folders and ``**/`` may match no folder at all
  (``drafts/**``, ``**/old/*.md``). Matching is case-sensitive;
* folders in ``skip`` (the output folder) are never entered, even inside an input folder;
* ``options.include`` globs are matched against the file name (case-sensitive). A file named
  explicitly is read even if it does not match them (a pre-commit hook passes files), but
  ``exclude`` still applies, matched against the path as given (relative to the working folder);
* symbolic links are followed; a folder already walked (a link loop, or two links to one folder) is
  not walked again, silently, since every file in it is read once anyway;
* a file reached twice (named twice, or through a link) is yielded once, for the first path that
  reaches it. Identity is the resolved path, so two hard links are two files: with ``--in-place``
  both get cleaned.

Order: the given paths sorted, each folder's entries sorted by name, depth first; the same paths
always give the same sequence.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cleaner.options import Options

__all__ = ["Problem", "Source", "iter_files", "matches_glob"]


@dataclass(frozen=True, slots=True)
class Source:
    """A file to read. ``rel`` is its path relative to the folder it was found under, used to mirror it
    into an output folder; for a file named directly it is the file name."""

    path: Path
    rel: Path


@dataclass(frozen=True, slots=True)
class Problem:
    """A path that was not read, with one human line saying why; the caller adds the path."""

    path: Path
    message: str


def iter_files(
    paths: Sequence[Path], options: Options, skip: Sequence[Path] = ()
) -> Iterator[Source | Problem]:
    """Every file to read under ``paths``, and a :class:`Problem` for each path that cannot be used.

    See the module docstring for the rules. Nothing is opened; a file can still fail when it is read.
    """
    walk = _Walk(options, skip)
    for path in sorted(paths, key=lambda p: p.parts):
        yield from walk.root(path)


def matches_glob(pattern: str, rel: str) -> bool:
    """True when the exclude glob ``pattern`` matches the relative posix path ``rel``.

    >>> matches_glob("drafts", "posts/drafts/a.md"), matches_glob("*.bak.md", "x/y.bak.md")
    (True, True)
    >>> matches_glob("drafts/*", "drafts/a.md"), matches_glob("drafts/*", "drafts/old/a.md")
    (True, True)
    >>> matches_glob("**/old/*.md", "old/a.md"), matches_glob("/a.md", "x/a.md")
    (True, False)
    >>> matches_glob("a?.md", "ab.md"), matches_glob("a*.md", "a/b.md")
    (True, False)
    """
    return bool(_glob_regex(pattern).fullmatch(rel))


class _Walk:
    """The state of one :func:`iter_files` call: what was seen, what to skip."""

    def __init__(self, options: Options, skip: Sequence[Path]) -> None:
        self.include = tuple(options.include)
        self.exclude = tuple(_glob_regex(pattern) for pattern in options.exclude)
        self.skip = tuple(_real(path) for path in skip)
        # files by the hash of their resolved path: a walk of 100,000 files holds 7 MB of ints rather
        # than 15 MB of path strings (two paths colliding in 64 bits: about one in 10**9 at that size)
        self.seen_files: set[int] = set()
        self.seen_dirs: set[str] = set()

    def root(self, path: Path) -> Iterator[Source | Problem]:
        try:
            info = path.stat()
        except FileNotFoundError:
            if path.is_symlink():
                yield Problem(path, "broken symbolic link")
            else:
                yield Problem(path, "no such file or folder")
            return
        except OSError as error:
            yield Problem(path, f"cannot read: {error.strerror or error}")
            return
        real = _real(path)
        if self._skipped(real):
            yield Problem(path, "inside the output folder; not read")
            return
        if stat.S_ISDIR(info.st_mode):
            yield from self._folder(path, PurePosixPath(), real)
        elif not stat.S_ISREG(info.st_mode):
            yield Problem(path, "not a regular file")
        elif not self._excluded(_given(path)) and hash(real) not in self.seen_files:
            self.seen_files.add(hash(real))
            yield Source(path, Path(path.name))

    def _folder(self, folder: Path, rel: PurePosixPath, real: str) -> Iterator[Source | Problem]:
        if real in self.seen_dirs:
            return
        self.seen_dirs.add(real)
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            yield Problem(folder, f"cannot list folder: {error.strerror or error}")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path, child_rel = folder / entry.name, rel / entry.name
            if self._excluded(child_rel.as_posix()):
                continue
            try:
                is_dir, is_file = entry.is_dir(), entry.is_file()
            except OSError as error:  # pragma: no cover - is_dir/is_file swallow most errors themselves
                yield Problem(path, f"cannot read: {error.strerror or error}")
                continue
            if is_dir:
                child_real = _real(path)
                if not self._skipped(child_real):
                    yield from self._folder(path, child_rel, child_real)
                continue
            if not self._included(entry.name):
                continue
            if not is_file:
                broken = entry.is_symlink() and not path.exists()
                yield Problem(path, "broken symbolic link" if broken else "not a regular file")
                continue
            file_real = _real(path)
            if hash(file_real) in self.seen_files or self._skipped(file_real):
                continue
            self.seen_files.add(hash(file_real))
            yield Source(path, Path(child_rel))

    def _included(self, name: str) -> bool:
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.include)

    def _excluded(self, rel: str) -> bool:
        return any(regex.fullmatch(rel) for regex in self.exclude)

    def _skipped(self, real: str) -> bool:
        return any(real == skip or real.startswith(skip.rstrip(os.sep) + os.sep) for skip in self.skip)


def _real(path: Path) -> str:
    """The resolved absolute path, symbolic links followed; works for paths that do not exist yet."""
    return os.path.realpath(path)


def _given(path: Path) -> str:
    """A path named on the command line, as exclude globs see it: relative to the working folder when
    it lies inside it, with ``/`` separators."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    shown = absolute if relative == os.pardir or relative.startswith(os.pardir + os.sep) else relative
    return PurePosixPath(Path(shown)).as_posix()


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Compile an exclude glob (see the module docstring) to a regex over relative posix paths."""
    anchored = "/" in pattern.rstrip("/")
    body = pattern.strip("/")
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[":
            close = body.find("]", i + 2 if body.startswith(("[!", "[^"), i) else i + 1)
            if close < 0:
                out.append(re.escape(ch))
                i += 1
                continue
            inner = body[i + 1 : close]
            if inner.startswith(("!", "^")):
                inner = "^" + inner[1:]
            out.append("[" + inner.replace("\\", "\\\\") + "]")
            i = close + 1
        else:
            out.append(re.escape(ch))
            i += 1
    lead = "" if anchored else "(?:.*/)?"
    return re.compile(lead + "".join(out) + "(?:/.*)?", re.DOTALL)
