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
        # the body was rebuilt by the repeat pass: its lines are not the input's, so none is given
        found = [replace(f, line=None) for f in found]
        reported = [f for f in found if f.action is Action.REPORTED]
        findings.extend(f for f in found if f.action is not Action.REPORTED)
        if text == body:
            break
        body = text
    return body, findings + reported
