"""Issue 14 §5 and §6 on tiny inputs: which of two versions stays (``repeat.rewritten``), a closing
passage kept last (``order.closing``), and a block's text kept under its own heading."""

from __future__ import annotations

import pytest

from cleaner import clean_text
from cleaner.repeats.ledger import Ledger
from cleaner.repeats.order import is_closing
from cleaner.repeats.versions import rewritten, says_more
from tests.test_ledger import _piece

M = "\n\n---END---\n\n"
END = "\n\n---END---"  # the file ends on a marker, no newline
JA_A = (
    "もちろん、再生への道のりには課題も多くあります。"
    "家賃の高さと後継者の不足が、新しい店の出店を妨げています。"
)
JA_B = (
    "もちろん、再生への道のりには困難も伴います。"
    "新しい店を出そうにも、家賃が高いのです。そのうえ、店を継ぐ人も足りていません。"
)
JA_OTHER = (
    "もちろん、再生への道のりには希望もあります。"
    "若い店主たちが、空き店舗を改装してカフェや古本屋を開いています。"
)
EN_A = (
    "Of course, reviving the street will not be easy. "
    "High rents and a lack of successors keep new owners from opening shops."
)
EN_B = (
    "Of course, reviving the street faces real obstacles. Anyone who wants to open a shop meets high rents. "
    "On top of that, owners find no successors to take over."
)
EN_OTHER = "Of course, reviving the street also brings hope. Young owners are turning empty units into cafes."


@pytest.mark.parametrize(("later", "earlier"), [(JA_B, JA_A), (EN_B, EN_A)])
def test_a_rewrite_in_other_sentences_is_a_version(later: str, earlier: str) -> None:
    assert rewritten(later, earlier)
    assert not says_more(later, earlier)  # rewording alone is not more


@pytest.mark.parametrize(("later", "earlier"), [(JA_OTHER, JA_A), (EN_OTHER, EN_A)])
def test_the_same_opening_frame_with_another_point_is_not_a_version(later: str, earlier: str) -> None:
    assert not rewritten(later, earlier)


def test_short_passages_are_never_versions() -> None:
    assert not rewritten("もちろん、課題もあります。", "もちろん、課題も多いです。")


def test_a_sentence_more_or_a_cut_completed_says_more() -> None:
    assert says_more(JA_A + "市は来年度から、家賃の一部を補助する制度を始める予定です。", JA_A)
    assert says_more(JA_A, JA_A[:-10])


@pytest.mark.parametrize("ja", [True, False])
def test_rewrite_dropped_next_to_the_original(ja: bool) -> None:
    intro = "駅前の商店街では、空き店舗が目立ちます。" if ja else "Many shops on the old street stand empty."
    a, b = (JA_A, JA_B) if ja else (EN_A, EN_B)
    result = clean_text(intro + "\n\n" + a + M + intro + "\n\n" + b + END)
    assert result.text == intro + "\n\n" + a + "\n"
    found = [f for f in result.findings if f.rule == "repeat.rewritten"]
    assert len(found) == 1 and found[0].passage == b and found[0].matched == a


@pytest.mark.parametrize("ja", [True, False])
def test_another_point_in_the_same_frame_stays(ja: bool) -> None:
    a, other = (JA_A, JA_OTHER) if ja else (EN_A, EN_OTHER)
    result = clean_text(a + M + other + END)
    assert result.text == a + "\n\n" + other + "\n"
    assert "repeat.rewritten" not in {f.rule for f in result.findings}


def test_a_fuller_rewrite_takes_the_place_of_the_first() -> None:
    fuller = JA_B + "市は来年度から、家賃の一部を補助する予定です。対象は、開業から三年以内の店です。"
    result = clean_text(JA_A + M + fuller + "\n\n週末には市が開かれます。" + END)
    assert result.text == fuller + "\n\n週末には市が開かれます。\n"
    assert [f.passage for f in result.findings if f.rule == "repeat.rewritten"] == [JA_A]


CLOSING = "さあ、あなたも次に橋を渡るとき、足元を支える人たちのことを思い浮かべてみませんか。"


def test_is_closing() -> None:
    assert is_closing(CLOSING)
    assert is_closing("So, what do you think? Let me know.")
    assert not is_closing("考えてみてください。鉄道の安全は、私たちの生活の基盤です。")
    assert not is_closing("さあ、あなたも")  # cut: not a closing


def test_a_closing_that_ended_its_block_stays_last() -> None:
    section = "### 残る課題\n\n画像を読むには多くの見本が必要です。"
    body = "橋の点検は人手が足りません。\n\n" + CLOSING + M + section + END
    result = clean_text(body)
    assert result.text.endswith("画像を読むには多くの見本が必要です。\n\n" + CLOSING + "\n")
    found = [f for f in result.findings if f.rule == "order.closing"]
    assert len(found) == 1 and found[0].passage == CLOSING and found[0].block == 0


def test_a_call_to_the_reader_inside_a_block_stays_where_it_is() -> None:
    more = "\n\n点検の方法も変わりつつあります。"
    body = "橋の点検は人手が足りません。\n\n" + CLOSING + more + M + "新しい機械も使われ始めました。" + END
    result = clean_text(body)
    assert result.text.index(CLOSING) < result.text.index("点検の方法も")
    assert "order.closing" not in {f.rule for f in result.findings}


def test_text_kept_after_a_closing_goes_before_it() -> None:
    ledger = Ledger()
    first = ledger.insert_at_cursor(ledger.new_entry("本文。", _piece("本文。"), set()))
    closing = ledger.insert_at_cursor(ledger.new_entry(CLOSING, _piece(CLOSING), set()))
    ledger.closing.add(closing.id)
    assert ledger.landing() == (first.id, closing.id)
    ledger.insert_at_cursor(ledger.new_entry("追記。", _piece("追記。"), set()))
    assert [e.text for e in ledger.ordered()] == ["本文。", "追記。", CLOSING]


def test_a_block_keeps_its_text_under_its_own_heading() -> None:
    intro = "町の図書館は、本を借りるだけの場所ではなくなりつつあります。学びや交流の拠点になっています。"
    body = (
        intro
        + "\n\n### 子ども向けの催し\n\n週末には読み聞かせの会が開かれます。"
        + M
        + "### これからの図書館\n\n"
        + intro
        + "\n\n来年には個室の席も設けられる予定です。"
        + END
    )
    text = clean_text(body).text
    assert text.index("### これからの図書館") < text.index("来年には")
    assert text.index("週末には") < text.index("### これからの図書館")
