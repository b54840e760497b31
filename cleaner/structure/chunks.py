"""A body as chunks: runs of non-blank lines, a heading line always a chunk of its own.

The structure rules read and drop chunks; :func:`join` rebuilds the body with the whitespace each kept
chunk had before it, so that untouched stretches come back byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cleaner import patterns


@dataclass(frozen=True, slots=True)
class Chunk:
    text: str  # the lines of the chunk, without the blank lines around it
    sep: str  # the whitespace before it ("" for the first chunk)
    line: int  # 1-based body line of its first line
    level: int  # heading level when the chunk is a heading line, else 0
    code: bool  # a fenced code block (or part of one): never touched

    @property
    def title(self) -> str:
        """The heading's text (``""`` when the chunk is not a heading)."""
        match = patterns.HEADING.match(self.text) if self.level else None
        return match.group(2) if match else ""


@dataclass(frozen=True, slots=True)
class Body:
    lead: str
    chunks: tuple[Chunk, ...]
    trail: str


def parse(body: str) -> Body:
    """Split ``body`` into chunks.

    >>> b = parse("## 見出し\\n本文。\\n\\n次の段落。\\n")
    >>> [(c.text, c.sep, c.level) for c in b.chunks], b.trail
    ([('## 見出し', '', 2), ('本文。', '\\n', 0), ('次の段落。', '\\n\\n', 0)], '\\n')
    >>> join(b) == "## 見出し\\n本文。\\n\\n次の段落。\\n"
    True
    """
    lines = body.split("\n")
    chunks: list[Chunk] = []
    lead = ""
    pending: list[str] = []  # blank lines since the last chunk line
    current: list[str] = []
    sep = ""
    start = 0
    level = 0
    in_fence = False
    code = False
    for number, line in enumerate(lines, start=1):
        fence = bool(patterns.FENCE.match(line))
        if not line.strip() and not in_fence:
            if current:
                chunks.append(Chunk("\n".join(current), sep, start, level, code))
                current = []
            pending.append(line)
            continue
        heading = 0
        if not in_fence and not fence:
            match = patterns.HEADING.match(line)
            heading = len(match.group(1)) if match else 0
        if not current or heading or level or (fence and not in_fence) or (code and not in_fence):
            if current:
                chunks.append(Chunk("\n".join(current), sep, start, level, code))
            if chunks:
                sep = "\n" + "".join(blank + "\n" for blank in pending)
            else:
                lead = "".join(blank + "\n" for blank in pending)
            pending = []
            current = [line]
            start = number
            level = heading
            code = fence or in_fence
        else:
            current.append(line)
        if fence:
            in_fence = not in_fence
    if current:
        chunks.append(Chunk("\n".join(current), sep, start, level, code))
    trail = "\n" + "\n".join(pending) if chunks and pending else ""
    if not chunks:
        return Body(body, (), "")
    return Body(lead, tuple(chunks), trail)


def join(body: Body, chunks: Sequence[Chunk] | None = None) -> str:
    """The text of ``body`` with ``chunks`` (default: its own) in their order."""
    kept = body.chunks if chunks is None else chunks
    if not kept:
        return ""
    out = [body.lead]
    for n, chunk in enumerate(kept):
        if n:
            out.append(chunk.sep or "\n\n")
        out.append(chunk.text)
    out.append(body.trail)
    return "".join(out)
