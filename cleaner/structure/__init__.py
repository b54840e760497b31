"""The article's structure after the repeat pass: footers, sections, flattened copies, near repeats.

The repeat pass decides line by line; what a reader sees at the scale of the article is settled here:
footers stand once each after the article (:mod:`.footers`, run before the repeat pass), a regenerated
section is merged into the first and no heading is left with nothing under it (:mod:`.sections`), and a
flattened copy or a second version of a paragraph that survived goes (:mod:`.flattened`).
Every change is a :class:`~cleaner.model.Finding` whose ``rule`` is a code of :data:`cleaner.rules.RULES`.
"""

from __future__ import annotations

from dataclasses import replace

from cleaner.model import Action, Finding
from cleaner.options import Options
from cleaner.structure.flattened import Memo, drop_copies
from cleaner.structure.sections import merge_sections

#: Rounds of the structure rules before giving up on a fixed point (each round only removes or merges).
MAX_ROUNDS = 4


def restructure(body: str, options: Options) -> tuple[str, list[Finding]]:
    """Apply the structure rules to a body the repeat pass has cleaned, to a fixed point."""
    findings: list[Finding] = []
    reported: list[Finding] = []
    memo = Memo()
    for _ in range(MAX_ROUNDS):
        text, found = drop_copies(body, options, memo)
        text, merged = merge_sections(text)
        found.extend(merged)
        # what is only reported is found again each round: the last round's report stands
        # the body was rebuilt by the repeat pass: its lines are not the input's (``place_findings``
        # finds each passage in the input instead)
        found = [replace(f, line=None) for f in found]
        reported = [f for f in found if f.action is Action.REPORTED]
        findings.extend(f for f in found if f.action is not Action.REPORTED)
        if text == body:
            break
        body = text
    return body, findings + reported


#: The rules of :func:`restructure`: their findings are about the stitched body.
STRUCTURE_RULES = frozenset(
    {
        "section.merge",
        "section.continued_heading",
        "section.orphan_heading",
        "section.cut_heading",
        "flattened.paragraph",
        "flattened.heading",
        "repeat.paragraph",
        "fragment.said",
    }
)

#: The rules whose findings are made on the stitched body and placed by searching the input: the
#: structure rules, and a cut marker found at the end once the markers after it are gone.
PLACED_RULES = STRUCTURE_RULES | {"marker.cut"}

#: Characters of a passage's first line searched for when the whole line is not in the input (a line
#: the stitching made from a cut sentence and its continuation starts as the cut one did).
_PLACE_PREFIX = 20


def _find(source: str, passage: str, after: int) -> int:
    """Where ``passage``'s first line starts in ``source`` from character ``after`` on (-1: nowhere).

    >>> _find("一行目\\n\\n## 見出し\\n本文。", "## 見出し", 0)
    5
    >>> _find("## 見出し\\n本文。\\n## 見出し", "## 見出し", 1)
    11
    >>> _find("abc\\nxyz", "not there", 0)
    -1
    """
    first = _first_line(passage)
    if not first:
        return -1
    at = source.find(first, after)
    if at < 0 and len(first) > _PLACE_PREFIX:
        at = source.find(first[:_PLACE_PREFIX], after)
    return at


def place_findings(findings: list[Finding], source: str) -> list[Finding]:
    """Findings of the structure rules given the line of the input (``source``) where their passage
    starts, found by searching for it: these rules work on the stitched body, whose lines are not the
    input's. A passage that repeats the kept one's words is the later occurrence; a passage the input
    does not hold keeps no line."""
    out: list[Finding] = []
    for finding in findings:
        if finding.line is None and finding.passage and finding.rule in PLACED_RULES:
            if finding.rule == "marker.cut":  # it ended the body: its last occurrence that is cut short
                line = _last_cut(source, _first_line(finding.passage))
            else:
                at = _find(source, finding.passage, 0)
                if at >= 0 and _first_line(finding.matched) == _first_line(finding.passage):
                    # a repeat of the kept passage's words (a regenerated heading): the kept one is first
                    # (searched from the second character of its line on)
                    later = _find(source, finding.passage, source.rfind("\n", 0, at) + 2)
                    at = later if later >= 0 else at
                line = None if at < 0 else source.count("\n", 0, at) + 1
            if line is not None:
                finding = replace(finding, line=line)
        out.append(finding)
    return out


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0].strip()


def _last_cut(source: str, marker: str) -> int | None:
    """The line of the last ``marker`` in ``source`` that is not the start of a longer marker.

    >>> _last_cut("a---END\\nb\\n---END---", "---END")
    1
    """
    end = len(source)
    while (at := source.rfind(marker, 0, end)) >= 0:
        if not source.startswith("-", at + len(marker)):
            return source.count("\n", 0, at) + 1
        end = at + len(marker) - 1
    return None
