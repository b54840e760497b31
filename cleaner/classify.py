"""Which units continue, overlap, repeat, restart or replace earlier ones: the three passes.

1. **Seams** (:func:`cleaner.seams.join_seams`): cut sentences joined with their continuation, debris
   lines (prompt echoes, chatter) dropped.
2. **Repeats** (:func:`cleaner.repeats.find_repeats`): each piece decided by named rules against what
   was kept before it.
3. **Fragments** (:mod:`cleaner.fragments`): cut passages trimmed or reported, dangling rules dropped.

The result is a :class:`Plan`: the kept pieces in reading order, and a finding for everything else.
"""

from __future__ import annotations

from cleaner.fragments import _drop_dangling_rules, _trim_fragments
from cleaner.options import Options
from cleaner.plan import Kept, Plan
from cleaner.repeats import find_repeats
from cleaner.seams import join_seams, overlap_length
from cleaner.split import Split

__all__ = ["Kept", "Plan", "classify", "join_seams", "overlap_length"]


def classify(split: Split, options: Options, *, repeats: bool) -> Plan:
    """Decide the canonical passages of one body.

    ``repeats`` turns on seam and repeat detection; without it the units pass through in order.
    """
    if not repeats:
        kept = [Kept(u.text, u, u, u.kind) for u in split.units]
        return Plan(tuple(kept), ())
    pieces, findings = join_seams(split.units, options)
    ledger, said, repeated = find_repeats(pieces, options)
    findings.extend(repeated)
    kept = _trim_fragments(ledger, said, split.units, findings)
    kept = _drop_dangling_rules(kept, findings)
    return Plan(tuple(kept), tuple(findings))
