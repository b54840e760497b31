"""Frozen values that flow between the pipeline stages.

Every stage returns its value together with a tuple of :class:`Finding`. A finding is the record of one
thing the tool dropped, changed or wants a person to look at; the report and the log read findings,
never stage internals.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Kind(enum.StrEnum):
    """What a finding is about. The value is the stable name used in logs and reports."""

    MARKER = "marker"  # a continuation marker line removed
    DUPLICATE = "duplicate"  # a passage repeated verbatim (after normalisation)
    NEAR_DUPLICATE = "near_duplicate"  # a regenerated passage, near-identical to a kept one
    TRUNCATED = "truncated_copy"  # a shorter, cut copy of a kept passage
    SUPERSEDED = "superseded"  # a less complete version replaced by a fuller one in its place
    REPEATED_SENTENCES = "repeated_sentences"  # sentences already said, removed from a new paragraph
    MERGED = "merged"  # new sentences of a retold passage, moved next to the sentences they extend
    ALTERNATIVE = "alternative"  # an alternative continuation of a cut already continued
    FLATTENED = "flattened_copy"  # the article (or part) again with paragraph breaks flattened
    PROMPT_ECHO = "prompt_echo"  # a header such as 【既存の記事の最後の部分】 that introduces an echo
    RESTART = "restart"  # an answer that retells the opening of the article
    OVERLAP = "overlap"  # a cut sentence restarted with an overlap; stitched once
    CONTINUATION = "continuation"  # a cut sentence continued directly; stitched
    FRAGMENT = "fragment"  # a dangling cut fragment that only repeats kept content; dropped
    FRAGMENT_KEPT = "fragment_kept"  # a dangling cut fragment with new content; kept and reported
    CHATTER = "chatter"  # a reply of the model to its requester
    BOILERPLATE = "boilerplate"  # a scraper caption or similar line
    DANGLING_RULE = "dangling_rule"  # a `---` left with nothing after it
    SECTION = (
        "section"  # a regenerated section merged into the first, or a heading left with nothing under it
    )
    FOOTER = (
        "footer"  # a footer block (related links, call to action, books) moved after the article or repeated
    )
    PROMPT_QUOTE = (
        "prompt_quote"  # the model quoting its prompt inside a sentence (``既存の記事でも触れたように``)
    )
    ORDER = "order"  # a passage kept in another place than its block put it (a closing kept last)
    TITLE = "title_repair"  # a title field repaired
    TITLE_CUT = "title_cut"  # a cut title that could not be recovered, trimmed to a clean boundary
    MOJIBAKE = "mojibake"  # mojibake repaired in a field
    ENCODING = "encoding"  # the file was not UTF-8 and was converted
    NON_ARTICLE = "non_article"  # the text says there is no article; reported
    SUSPECT = "suspect"  # a flaw the tool reports but cannot repair
    CROSS_FILE_DUPLICATE = "cross_file_duplicate"  # a whole article duplicated in another file
    ERROR = "error"  # the file could not be processed


class Action(enum.StrEnum):
    """What the tool did about a finding."""

    DROPPED = "dropped"
    CHANGED = "changed"
    REPORTED = "reported"


@dataclass(frozen=True, slots=True)
class Finding:
    """One recorded change or observation.

    ``block`` and ``paragraph`` are 0-based places in the *input* body: the block is the span between
    continuation markers, the paragraph is the index of the non-blank line inside that block.
    ``line`` is the 1-based line in the input file, when it is known.
    """

    kind: Kind
    action: Action
    passage: str = ""
    matched: str = ""
    similarity: float | None = None
    block: int | None = None
    paragraph: int | None = None
    line: int | None = None
    detail: str = ""
    file: str = ""
    #: the stable code of the rule that made this finding (``repeat.exact``, ``seam.overlap``, ...);
    #: ``cleaner/rules.py`` lists every code
    rule: str = ""

    def with_file(self, file: str) -> Finding:
        return self._copy(file=file, line=self.line)

    def shifted(self, lines: int) -> Finding:
        """The same finding with its line moved down by ``lines`` (body lines → file lines)."""
        return self if self.line is None else self._copy(file=self.file, line=self.line + lines)

    def _copy(self, *, file: str, line: int | None) -> Finding:
        # a direct constructor call: ``dataclasses.replace`` costs several times more, once per finding
        return Finding(
            self.kind,
            self.action,
            self.passage,
            self.matched,
            self.similarity,
            self.block,
            self.paragraph,
            line,
            self.detail,
            file,
            self.rule,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind.value,
            "rule": self.rule,
            "action": self.action.value,
            "block": self.block,
            "paragraph": self.paragraph,
            "line": self.line,
            "similarity": None if self.similarity is None else round(self.similarity, 1),
            "passage": self.passage,
            "matched": self.matched,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """Raw front matter exactly as it stood in the file, delimiters and newlines included."""

    raw: str
    style: str  # "yaml" or "toml"


@dataclass(frozen=True, slots=True)
class Article:
    """A decoded document: front matter kept as raw text, body as text with ``\\n`` line ends."""

    front_matter: FrontMatter | None
    body: str
    newline: str = "\n"  # the dominant line ending of the input, restored on output
    encoding: str = "utf-8"
    bom: bool = False


@dataclass(frozen=True, slots=True)
class Result:
    """What cleaning one text produced."""

    text: str
    findings: tuple[Finding, ...] = ()
    changed: bool = False


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one file of a run."""

    path: str
    changed: bool = False
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    output: str | None = None  # where the clean text went, if it was written
    # findings per kind that ``findings`` does not hold: a run that keeps no finding text (``clean``
    # without ``--log``) sends counts from its workers, not the findings
    counts: dict[str, int] = field(default_factory=dict)
    rules: dict[str, int] = field(default_factory=dict)  # the same findings per rule code (``counts``)
