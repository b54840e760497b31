"""Findings → counts, JSON and JSON Lines. Rendering as a terminal table is the CLI's job.

The JSON document carries ``schema_version``; ``docs/report-schema.md`` describes it. Output is
deterministic: files in path order, findings in input order.
"""

from __future__ import annotations

import collections
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cleaner.model import FileResult, Finding, Kind

if TYPE_CHECKING:
    from cleaner.dedup import Group

SCHEMA_VERSION = 1

#: How findings roll up into the summary lines a person reads.
GROUPS: dict[str, frozenset[Kind]] = {
    "markers removed": frozenset({Kind.MARKER}),
    "paragraphs dropped": frozenset(
        {
            Kind.DUPLICATE,
            Kind.NEAR_DUPLICATE,
            Kind.TRUNCATED,
            Kind.SUPERSEDED,
            Kind.FLATTENED,
            Kind.RESTART,
            Kind.FRAGMENT,
            Kind.ALTERNATIVE,
            Kind.CHATTER,
            Kind.PROMPT_ECHO,
            Kind.DANGLING_RULE,
        }
    ),
    "repeated sentences removed": frozenset({Kind.REPEATED_SENTENCES}),
    "new sentences put in place": frozenset({Kind.MERGED}),
    "seams stitched": frozenset({Kind.OVERLAP, Kind.CONTINUATION}),
    "titles repaired": frozenset({Kind.TITLE, Kind.TITLE_CUT, Kind.MOJIBAKE}),
    "boilerplate removed": frozenset({Kind.BOILERPLATE}),
    "encodings converted": frozenset({Kind.ENCODING}),
    "duplicate files": frozenset({Kind.CROSS_FILE_DUPLICATE}),
    "reported for review": frozenset({Kind.FRAGMENT_KEPT, Kind.SUSPECT, Kind.NON_ARTICLE}),
}


@dataclass(slots=True)
class Summary:
    """Totals of a run."""

    files: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: int = 0
    kinds: collections.Counter[str] = field(default_factory=collections.Counter)
    rules: collections.Counter[str] = field(default_factory=collections.Counter)  # see :func:`rule_of`

    def add(self, result: FileResult) -> None:
        self.files += 1
        if result.error is not None:
            # what a failed file would have had done to it was not done: only the error counts
            self.errors += 1
            return
        if result.changed:
            self.changed += 1
        else:
            self.unchanged += 1
        self.count(result.findings)
        self.kinds.update(result.counts)
        self.rules.update(result.rules)

    def count(self, findings: Iterable[Finding]) -> None:
        """Count findings by kind and by rule (also those made after the files were read: duplicates
        across files)."""
        for f in findings:
            if f.kind is not Kind.ERROR:
                self.kinds[f.kind.value] += 1
                self.rules[rule_of(f)] += 1

    def groups(self) -> dict[str, int]:
        """Counts per summary line, in a fixed order."""
        return {name: sum(self.kinds[k.value] for k in kinds) for name, kinds in GROUPS.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "errors": self.errors,
            "groups": self.groups(),
            "kinds": dict(sorted(self.kinds.items())),
            "rules": dict(sorted(self.rules.items())),
        }


def rule_of(finding: Finding) -> str:
    """The code of the rule that made ``finding``, or its kind while the rule codes are not filled in.

    >>> from cleaner.model import Action
    >>> rule_of(Finding(Kind.MARKER, Action.DROPPED, rule="marker.line"))
    'marker.line'
    >>> rule_of(Finding(Kind.MARKER, Action.DROPPED))
    'marker'
    """
    return finding.rule or finding.kind.value


def selected(finding: Finding, rules: Iterable[str] = (), kinds: Iterable[str] = ()) -> bool:
    """Whether ``finding`` passes a ``--rule``/``--kind`` filter (no filter: every finding does; errors
    always do). A rule code also selects the codes under it: ``repeat`` selects ``repeat.exact``.

    >>> from cleaner.model import Action
    >>> f = Finding(Kind.DUPLICATE, Action.DROPPED, rule="repeat.exact")
    >>> selected(f, rules=["repeat"]), selected(f, kinds=["marker"]), selected(f, kinds=["duplicate"])
    (True, False, True)
    """
    rules, kinds = tuple(rules), tuple(kinds)
    if finding.kind is Kind.ERROR or not (rules or kinds):
        return True
    code = rule_of(finding)
    return finding.kind.value in kinds or any(code == r or code.startswith(r + ".") for r in rules)


def summarize(results: Iterable[FileResult]) -> Summary:
    summary = Summary()
    for result in results:
        summary.add(result)
    return summary


def finding_lines(results: Iterable[FileResult]) -> Iterator[str]:
    """JSON Lines: one finding a line, errors included."""
    for result in results:
        for finding in result.findings:
            yield json.dumps(finding.to_dict(), ensure_ascii=False, sort_keys=True)


def document(
    results: Iterable[FileResult],
    groups: Iterable[Group] = (),
    candidates: Iterable[tuple[str, int]] = (),
) -> dict[str, Any]:
    """One JSON document for a whole run (``docs/report-schema.md``)."""
    items = list(results)
    return {
        "schema_version": SCHEMA_VERSION,
        "summary": summarize(items).to_dict(),
        "files": [
            {
                "path": r.path,
                "changed": r.changed,
                "error": r.error,
                "findings": [f.to_dict() for f in r.findings],
            }
            for r in items
        ],
        "duplicates": [
            {
                "canonical": g.canonical,
                "why": g.why,
                "members": [
                    {"path": m.path, "similarity": round(m.similarity, 1), "reason": m.reason}
                    for m in g.members
                ],
            }
            for g in groups
        ],
        "boilerplate_candidates": [{"line": line, "files": n} for line, n in candidates],
    }
