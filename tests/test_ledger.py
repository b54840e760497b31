"""The ledger's invariants (order kept, one version per passage, the cursor), by property tests against
a plain list, and the repeat pass's over generated bodies."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.options import DEFAULT_MARKER, Options
from cleaner.plan import Piece
from cleaner.repeats import find_repeats
from cleaner.repeats.ledger import Ledger
from cleaner.repeats.rules import _STRUCTURE_MIN
from cleaner.seams import join_seams
from cleaner.split import Unit, UnitKind, split_body

UNIT = Unit(0, 0, 0, 1, "", "", UnitKind.PROSE, False)

# an operation: (name, a number choosing an existing entry, another for the replacement)
OPS = st.lists(
    st.tuples(
        st.sampled_from(["keep", "keep", "move", "remove", "replace", "after"]),
        st.integers(0, 99),
        st.integers(0, 99),
    ),
    max_size=60,
)


def _piece(text: str) -> Piece:
    return Piece(text, UnitKind.PROSE, UNIT, UNIT)


@given(OPS)
def test_ledger_follows_a_plain_list(ops: list[tuple[str, int, int]]) -> None:
    ledger = Ledger()
    order: list[int] = []  # the model: live ids in reading order
    cursor: int | None = None
    replaced: dict[int, int] = {}
    for name, a, b in ops:
        if name == "keep" or not order:
            entry = ledger.insert_at_cursor(ledger.new_entry(f"p{len(ledger.entries)}", _piece("p"), set()))
            order.insert(order.index(cursor) + 1 if cursor is not None else len(order), entry.id)
            cursor = entry.id
        elif name == "move":
            cursor = order[a % len(order)]
            ledger.move_to(cursor)
        elif name == "after":
            anchor = order[a % len(order)]
            entry = ledger.new_entry("x", _piece("x"), set())
            ledger.insert_after(anchor, entry)
            order.insert(order.index(anchor) + 1, entry.id)
        else:
            gone = order[a % len(order)]
            others = [i for i in order if i != gone]
            replacement = others[b % len(others)] if name == "replace" and others else None
            index = order.index(gone)
            ledger.remove(gone, replacement)
            order.remove(gone)
            if replacement is not None:
                replaced[gone] = replacement
            if cursor == gone:
                cursor = replacement if replacement is not None else (order[index - 1] if index else None)
        assert [e.id for e in ledger.ordered()] == order
        assert ledger.cursor == cursor
        assert all(e.alive for e in ledger.ordered())
        assert all(ledger.position(i) == k for k, i in enumerate(order))
    for gone in replaced:
        # one version per passage: a replaced passage stands for the last of its chain
        final = gone
        while final in replaced:
            final = replaced[final]
        assert ledger.resolve(gone) == final
        assert not ledger.entries[gone].alive


SENTENCES = [
    "生成AIは動画制作の現場を大きく変えつつあります。",
    "特に中小の制作会社にとっては大きな追い風になるでしょう。",
    "一方で著作権をめぐる議論はまだ決着していません。",
    "規制当局も新しいルール作りに動き始めています。",
    "各社は独自の安全基準を公開し始めました。",
    "価格は三万円から四万円の前後です。",
    "## 市場の動向",
]


def _pieces(body: str, options: Options) -> list[Piece]:
    return join_seams(split_body(body, DEFAULT_MARKER).units, options)[0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4), min_size=1, max_size=3),
        min_size=1,
        max_size=4,
    )
)
def test_repeat_pass_keeps_one_version_of_each_passage(blocks: list[list[list[str]]]) -> None:
    body = "\n\n---END---\n\n".join("\n\n".join("".join(p) for p in block) for block in blocks)
    options = Options()
    pieces = _pieces(body, options)
    ledger, _, _ = find_repeats(pieces, options)
    kept = ledger.ordered()
    assert len({e.id for e in kept}) == len(kept) and all(e.alive for e in kept)
    assert all(ledger.entry_of(p) is not None for p in pieces), "every piece is decided"
    # (a structure line shorter than _STRUCTURE_MIN, ``## 市場の動向``, recurs legitimately by design)
    keys = [e.key for e in kept if e.key and (e.piece.kind is UnitKind.PROSE or len(e.key) >= _STRUCTURE_MIN)]
    assert len(keys) == len(set(keys)), "a passage is kept once"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.text(alphabet="あいうえおかきくけこさしすせそたちつてと", min_size=12, max_size=30),
        min_size=1,
        max_size=8,
        unique=True,
    )
)
def test_new_passages_keep_their_order(texts: list[str]) -> None:
    """Passages that say nothing said before are kept in input order, and nothing is dropped."""
    body = "\n\n---END---\n\n".join(t + "。" for t in texts)
    options = Options()
    pieces = _pieces(body, options)
    ledger, _, findings = find_repeats(pieces, options)
    if not findings:  # (random kana rarely share a 5-gram; when they do, a rule may decide otherwise)
        assert [e.text for e in ledger.ordered()] == [p.text for p in pieces]


def test_only_the_ledger_moves_the_insertion_point() -> None:
    """No module but ledger.py assigns a ``cursor`` attribute."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "cleaner"
    writers = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr == "cursor" for t in targets):
                writers.add(path.relative_to(package).as_posix())
    assert writers == {"repeats/ledger.py"}
