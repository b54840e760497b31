"""Debris of the continuation job that the marker pattern and the repeat pass do not see.

- ``marker.cut``: a marker cut short at the very end of the body (``---END``, ``---EN``), removed.
- ``echo.inline``: the model quoting its prompt inside a sentence (``既存の記事でも触れたように、``):
  removed where the sentence stands without it, else reported.
"""

from __future__ import annotations

from cleaner import patterns
from cleaner.model import Action, Finding, Kind


def strip_cut_marker(body: str) -> tuple[str, list[Finding]]:
    """Remove a marker cut short at the end of ``body``.

    >>> text, found = strip_cut_marker("本文です。\\n\\n---END")
    >>> text, [(f.rule, f.passage, f.line) for f in found]
    ('本文です。\\n', [('marker.cut', '---END', 3)])
    >>> strip_cut_marker("本文です。\\n\\n---\\n")[0]
    '本文です。\\n\\n---\\n'
    """
    match = patterns.CUT_MARKER_END.search(body)
    if match is None:
        return body, []
    head = body[: match.start()]
    line = head.count("\n") + 1 + (1 if body[match.start() :].lstrip(" \t").startswith("\n") else 0)
    finding = _cut(Action.DROPPED, match.group(), line, "a marker cut short at the end")
    text = head.rstrip()
    return (text + "\n" if text else ""), [finding]


def _cut(action: Action, passage: str, line: int, detail: str) -> Finding:
    return Finding(Kind.MARKER, action, passage=passage.strip(), line=line, detail=detail, rule="marker.cut")


def mark_cut_markers(body: str, marker: str) -> tuple[str, list[Finding]]:
    """A marker cut short on a line of its own inside the body stands for a marker: it is read as one.

    ``marker`` is a full marker line that the marker pattern matches.

    >>> mark_cut_markers("一。\\n---END\\n二。", "---END---")[0]
    '一。\\n---END---\\n二。'

    A marker cut short right before a full one on its line goes: the full one stands for both.

    >>> text, found = mark_cut_markers("一。 ---END ---END---\\n二。", "---END---")
    >>> text, [(f.rule, f.passage, f.line) for f in found]
    ('一。 ---END---\\n二。', [('marker.cut', '---END', 1)])
    """
    if "-E" not in body:
        return body, []
    findings: list[Finding] = []
    lines = body.split("\n")
    for number, line in enumerate(lines, start=1):
        cut = list(patterns.CUT_BEFORE_MARKER.finditer(line)) if "-E" in line else []
        if cut:
            for match in cut:
                findings.append(
                    _cut(Action.DROPPED, match.group(), number, "a marker cut short right before a full one")
                )
            line = lines[number - 1] = patterns.CUT_BEFORE_MARKER.sub("", line)
        if "-E" in line and patterns.CUT_MARKER_LINE.match(line):
            findings.append(_cut(Action.CHANGED, line, number, "a marker cut short, read as a marker"))
            lines[number - 1] = marker
    return "\n".join(lines), findings


def drop_prompt_quotes(body: str) -> tuple[str, list[Finding]]:
    """Remove the model's quotes of its prompt from sentences; report the ones that cannot go.

    >>> text, found = drop_prompt_quotes("既存の記事でも触れたように、市場は伸びています。\\n")
    >>> text, [f.rule for f in found]
    ('市場は伸びています。\\n', ['echo.inline'])
    """
    if "既存の記事" not in body and "article" not in body:
        return body, []
    findings: list[Finding] = []
    lines = body.split("\n")
    for number, line in enumerate(lines, start=1):
        if patterns.STRUCTURAL.match(line) and not patterns.LIST_ITEM.match(line):
            continue
        new = patterns.PROMPT_QUOTE.sub("", line)
        if new != line:
            new = _capitalised(new, line)
            findings.append(
                Finding(
                    Kind.PROMPT_QUOTE,
                    Action.CHANGED,
                    passage=line.strip(),
                    matched=new.strip(),
                    line=number,
                    detail="the model quoting its prompt, removed",
                    rule="echo.inline",
                )
            )
            lines[number - 1] = new
        elif patterns.PROMPT_QUOTE_ANY.search(line) and "既存の記事" in line:
            findings.append(
                Finding(
                    Kind.PROMPT_QUOTE,
                    Action.REPORTED,
                    passage=line.strip(),
                    line=number,
                    detail="the model quoting its prompt; the sentence needs it",
                    rule="echo.inline",
                )
            )
    return "\n".join(lines), findings


def _capitalised(new: str, old: str) -> str:
    """An English sentence that lost its opening phrase starts with a capital again."""
    stripped = new.lstrip()
    lead = new[: len(new) - len(stripped)]
    if stripped[:1].islower() and old.lstrip()[:1].isupper():
        return lead + stripped[0].upper() + stripped[1:]
    return new
