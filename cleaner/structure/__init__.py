"""The article's structure after the repeat pass: footers, sections, flattened copies, near repeats.

The repeat pass decides line by line; what a reader sees at the scale of the article is settled here:
footers stand once each after the article (:mod:`.footers`, run before the repeat pass), a regenerated
section is merged into the first and no heading is left with nothing under it (:mod:`.sections`), and a
flattened copy or a second version of a paragraph that survived goes (:mod:`.flattened`).
Every change is a :class:`~cleaner.model.Finding` whose ``rule`` is a code of :data:`RULES`.
"""

from __future__ import annotations

from dataclasses import replace

from cleaner.model import Action, Finding
from cleaner.options import Options
from cleaner.structure.flattened import drop_copies
from cleaner.structure.sections import merge_sections

#: Rule codes of this package → what the rule does (the lead merges them into cleaner/rules.py).
RULES: dict[str, str] = {
    "footer.move": "a footer section (related links, call to action, books) moved after the article",
    "footer.repeat": "a footer section that repeats one already kept, dropped",
    "section.merge": "a regenerated section (same heading, renumbered, continued) merged into the first",
    "section.continued_heading": "a heading marked （続き）/(continued), no earlier section: mark removed",
    "section.orphan_heading": "a heading with nothing under it (its section was all repeats), dropped",
    "section.cut_heading": "a heading cut short and followed by its full version, dropped",
    "flattened.paragraph": "a paragraph mostly said by several other paragraphs (a flattened copy), dropped",
    "flattened.heading": "a heading line holding a flattened copy (another heading mark inside), dropped",
    "repeat.paragraph": "a paragraph near-identical to a kept one, dropped (in its place if it says more)",
    "fragment.said": "a paragraph cut mid-sentence whose unfinished sentence another paragraph says in full",
    "marker.cut": "a marker cut short at the end of the body (``---END``, ``---EN``), removed",
    "echo.inline": "the model quoting its prompt inside a sentence (``既存の記事でも触れたように``), removed",
    "boilerplate.rejoin": "a word split by a removed caption, rejoined",
}

#: Rounds of the structure rules before giving up on a fixed point (each round only removes or merges).
MAX_ROUNDS = 4


def restructure(body: str, options: Options) -> tuple[str, list[Finding]]:
    """Apply the structure rules to a body the repeat pass has cleaned, to a fixed point."""
    findings: list[Finding] = []
    reported: list[Finding] = []
    for _ in range(MAX_ROUNDS):
        text, found = drop_copies(body, options)
        text, merged = merge_sections(text)
        found.extend(merged)
        # what is only reported is found again each round: the last round's report stands
        # the body was rebuilt by the repeat pass: its lines are not the input's, so none is given
        found = [replace(f, line=None) for f in found]
        reported = [f for f in found if f.action is Action.REPORTED]
        findings.extend(f for f in found if f.action is not Action.REPORTED)
        if text == body:
            break
        body = text
    return body, findings + reported
