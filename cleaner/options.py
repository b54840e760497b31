"""One immutable :class:`Options`, built from defaults, then a config file, then CLI flags.

Every threshold the engine uses is a named field here with its default and the reason for it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

#: The default continuation marker: a line of dashes around END, spaces allowed. It may only start at
#: the beginning of a run of dashes and its quantifiers are possessive, so a line of 100,000 dashes is
#: scanned once instead of once per dash.
DEFAULT_MARKER = r"(?<!-)-{2,}+\s*+END\s*+-{2,}+"

#: Lines that scrapers leave behind as captions; removed wherever they stand as a line of their own.
DEFAULT_BOILERPLATE = (
    "點擊圖片看原樣大小圖片",
    "点击图片看原样大小图片",
    "點擊圖片看大圖",
    "点击图片查看大图",
    "画像をクリックして拡大",
    "クリックで拡大",
    "Click to enlarge",
    "Click image to enlarge",
)


@dataclass(frozen=True, slots=True)
class Options:
    """Settings of one run. Build variants with :func:`dataclasses.replace` or :meth:`merged`."""

    # --- splitting -------------------------------------------------------------------------------
    marker_pattern: str = DEFAULT_MARKER
    """Regex (without anchors) for a continuation marker. A line that is only a marker splits blocks;
    a marker inside a line is removed and splits the line."""

    # --- repeat detection ----------------------------------------------------------------------------
    dedup_without_markers: bool = False
    """Look for regenerated passages in bodies with no continuation marker. Off by default: a body
    without markers was not produced by the continuation job, and legitimate repetition (a summary that
    restates the opening) must survive."""
    near_duplicate_ratio: float = 90.0
    """rapidfuzz ``ratio`` at or above which two paragraphs are versions of one passage."""
    sentence_covered: float = 0.9
    """Share of a sentence's character n-grams already in kept text for the sentence to count as said."""
    min_sentence_chars: int = 8
    """Sentences shorter than this never decide a drop on their own (``はい。`` repeats legitimately)."""
    gram: int = 5
    """Character n-gram length used to find candidate repeats; 5 suits Japanese and English alike."""
    min_overlap_chars: int = 1
    """Shortest overlap accepted across a marker when a cut sentence restarts (``では、競合`` /
    ``競合他社…``; ``確かめて`` / ``ていきましょう``). Latin overlaps must also be whole words."""
    drop_repeated_sentences: bool = True
    """Remove already-said sentences from a paragraph that also says something new."""
    retold_share: float = 0.5
    """Share of a paragraph (by characters) already said for it to count as a *retelling* of kept
    passages: its new sentences are then placed inside those passages, next to the sentences they follow,
    instead of standing as a paragraph of their own."""

    # --- repairs ---------------------------------------------------------------------------------------
    title_fields: tuple[str, ...] = ("title",)
    recover_titles: bool = True
    """Recover a cut title from the first lines of the body when the body clearly restates it."""
    title_byte_limit: int = 40
    """The byte limit the upstream pipeline cut titles at (``head -c 40``)."""
    boilerplate_lines: tuple[str, ...] = DEFAULT_BOILERPLATE
    boilerplate_patterns: tuple[str, ...] = ()
    """Extra regexes; a line fully matching one is boilerplate."""

    # --- duplicate articles across files ---------------------------------------------------------------
    duplicate_jaccard: float = 0.6
    """Estimated Jaccard (MinHash LSH over 8-character shingles) for two files to be compared at all."""
    duplicate_ratio: float = 85.0
    """rapidfuzz ``ratio`` of the cleaned bodies at or above which two files hold one article. Distinct
    posts on one topic in the real blog share at most 0.21 Jaccard; a copy with 10% of its paragraphs
    removed scores about 94."""
    duplicates: str = "keep-one"
    """What to do with a group of files that hold one article: ``"keep-one"`` keeps the canonical file
    (the most complete, then the earliest date, then the first path) and leaves the others out of
    ``--out`` (only reporting them elsewhere: an input file is never deleted); ``"keep-all"`` turns the
    comparison off and keeps every file. Only runs over whole folders compare files: the pre-commit
    hook, which is given a few staged files, does not."""

    # --- files -----------------------------------------------------------------------------------------
    include: tuple[str, ...] = ("*.md", "*.markdown", "*.txt")
    exclude: tuple[str, ...] = ()
    max_file_bytes: int = 64 * 1024 * 1024
    """Files larger than this are refused with a message instead of being read into memory."""

    def merged(self, values: dict[str, Any]) -> Options:
        """Return a copy with ``values`` applied; unknown names raise :class:`KeyError`."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise KeyError(", ".join(unknown))
        return replace(self, **values)
