"""split: markers, inline markers, units and the whitespace between them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaner.options import DEFAULT_MARKER
from cleaner.split import Split, UnitKind, split_body


def rebuild(split: Split) -> str:
    return split.lead + "".join(u.sep + u.text for u in split.units) + split.trail


def test_marker_lines_split_blocks_and_are_recorded() -> None:
    split = split_body("一。\n\n---END---\n二。\n  ----- END -----  \n三。", DEFAULT_MARKER)
    assert [(u.block, u.text) for u in split.units] == [(0, "一。"), (1, "二。"), (2, "三。")]
    assert split.markers == 2
    assert [f.line for f in split.findings] == [3, 5]


def test_inline_marker_splits_the_line() -> None:
    split = split_body("前の文 ---END--- 後の文", DEFAULT_MARKER)
    assert [(u.block, u.text, u.after_marker) for u in split.units] == [
        (0, "前の文", False),
        (1, "後の文", True),
    ]


def test_final_marker_without_newline() -> None:
    split = split_body("本文。\n\n---END---", DEFAULT_MARKER)
    assert split.ends_with_marker and split.trail == ""


def test_custom_marker_pattern() -> None:
    split = split_body("a\n=== CONTINUE ===\nb", r"=+\s*CONTINUE\s*=+")
    assert split.markers == 1 and len(split.units) == 2


def test_structure_and_code_are_classified() -> None:
    split = split_body("## 見出し\n- 項目\n| a | b |\n```\n---END---\n```\n---\n本文。", DEFAULT_MARKER)
    kinds = [u.kind for u in split.units]
    assert kinds == [
        UnitKind.STRUCTURE,
        UnitKind.ITEM,
        UnitKind.STRUCTURE,
        UnitKind.CODE,
        UnitKind.CODE,
        UnitKind.CODE,
        UnitKind.RULE,
        UnitKind.PROSE,
    ]
    assert split.markers == 0, "a marker inside a code fence is code, not a marker"


@given(st.text(alphabet=st.sampled_from(list("あ。a \n\t-")), max_size=200))
def test_text_without_markers_rebuilds_exactly(text: str) -> None:
    split = split_body(text, r"(?!)")
    assert rebuild(split) == text
