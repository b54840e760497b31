"""The canonical body from the verdicts: kept passages in order, with the whitespace between them.

Passages that stood next to each other in the input keep the whitespace they had, and so do list items
that follow list items. Where something was dropped or moved in between, or a marker stood there, the
body's usual paragraph separator is used.
"""

from __future__ import annotations

import collections

from cleaner.plan import Plan
from cleaner.split import Split, UnitKind


def usual_separator(split: Split) -> str:
    """The separator most paragraphs of the body use (``\\n\\n`` when there is no evidence)."""
    seps = collections.Counter(u.sep for u in split.units if u.sep and not u.after_marker)
    if not seps:
        return "\n\n"
    return max(seps.items(), key=lambda item: (item[1], item[0]))[0]


def stitch(split: Split, plan: Plan) -> str:
    """Rebuild the body text from ``plan``."""
    if not plan.kept:
        return ""
    usual = usual_separator(split)
    out = [split.lead if plan.kept[0].first.index == 0 else ""]
    previous = None
    for item in plan.kept:
        if previous is not None:
            adjacent = item.first.index == previous.last.index + 1 and not item.first.after_marker
            # two list items keep the spacing the later one had in its own list (a tight list stays tight)
            listed = previous.kind is item.kind is UnitKind.ITEM and not item.first.after_marker
            out.append(item.first.sep if adjacent or listed else usual)
        out.append(item.text)
        previous = item
    trail = split.trail
    if not trail and split.markers:
        trail = "\n"  # the file ended on a marker without a newline: end the clean text properly
    out.append(trail)
    return "".join(out)
