"""The structure rules on tiny inputs: footers, sections, flattened copies, versions, debris."""

from __future__ import annotations

from pathlib import Path

import regex

from cleaner import clean_bytes, clean_text
from cleaner.model import Action, Kind
from cleaner.options import DEFAULT_MARKER, Options
from cleaner.repair.boilerplate import splits_word
from cleaner.rules import RULES
from cleaner.split import compile_marker
from cleaner.structure.debris import drop_prompt_quotes, strip_cut_marker
from cleaner.structure.flattened import drop_copies, written_twice
from cleaner.structure.footers import lift_footers
from cleaner.structure.sections import merge_sections

MARKER = compile_marker(DEFAULT_MARKER)[0]
CASES = Path(__file__).resolve().parent.parent / "fixtures" / "cases"

FOOTER = (
    "---\n\n### あわせて読みたい\n\n- [朝市の話](/a/)\n\n---\n\n## ご相談はこちら\n\n"
    "お気軽にどうぞ。\n\n[お問い合わせ](/contact/)\n{: .cta-link}\n"
)


def test_footers_at_the_end_are_left_alone() -> None:
    body = "本文です。\n\n" + FOOTER
    lifted = lift_footers(body, MARKER)
    assert lifted.footer == "" and lifted.body == body and lifted.findings == ()


def test_footer_between_sections_is_lifted_once() -> None:
    body = "一つ目。\n\n" + FOOTER + "\n### 2. 続き\n\n二つ目。\n\n---END---\n\n" + FOOTER
    lifted = lift_footers(body, MARKER)
    assert "あわせて読みたい" not in lifted.body and "二つ目。" in lifted.body
    assert lifted.footer.count("あわせて読みたい") == 1 and lifted.footer.count("ご相談はこちら") == 1
    rules = sorted({f.rule for f in lifted.findings})
    assert rules == ["footer.move", "footer.repeat"]


def test_a_rule_before_a_long_section_is_not_a_footer() -> None:
    body = "一つ目。\n\n---\n\n### 結び\n\n" + "長い本文が続きます。" * 20 + "\n\n---END---\n\n二つ目。\n"
    assert lift_footers(body, MARKER).footer == ""


def test_same_heading_under_different_parents_stays() -> None:
    body = "## 事例A\n\n甲。\n\n### 成果\n\n乙。\n\n## 事例B\n\n丙。\n\n### 成果\n\n丁。\n"
    assert merge_sections(body) == (body, [])


def test_continued_section_merges_into_the_first() -> None:
    body = "## 背景\n\n一。\n\n## 展望\n\n二。\n\n## 背景（続き）\n\n三。\n"
    out, found = merge_sections(body)
    assert out == "## 背景\n\n一。\n\n三。\n\n## 展望\n\n二。\n"
    assert [f.rule for f in found] == ["section.merge"]


def test_continued_mark_alone_is_removed() -> None:
    out, found = merge_sections("## 背景（続き）\n\n一。\n")
    assert out == "## 背景\n\n一。\n" and [f.rule for f in found] == ["section.continued_heading"]


def test_heading_with_nothing_under_it_goes() -> None:
    out, found = merge_sections("## 背景\n\n一。\n\n## 展望\n")
    assert out == "## 背景\n\n一。\n" and [f.rule for f in found] == ["section.orphan_heading"]


def test_heading_followed_by_a_subsection_is_not_empty() -> None:
    body = "## 本の紹介\n\n### 一冊目\n\n面白い本です。\n"
    assert merge_sections(body) == (body, [])


FIRST = (
    "町の図書館は、平日の昼間も多くの人でにぎわっています。在宅で働く人が閲覧席を使うことが増えました。"
    "週末には親子連れが絵本の読み聞かせに集まり、職員は季節ごとに展示を入れ替えています。"
)


def test_rewording_alone_keeps_the_original_words() -> None:
    later = FIRST.replace("多くの", "たくさんの")
    out, found = drop_copies(f"{FIRST}\n\n{later}\n", Options())
    assert out == f"{FIRST}\n" and found[0].rule == "repeat.paragraph"


def test_a_fuller_later_version_takes_the_place_of_the_first() -> None:
    fuller = FIRST + "館内の無線通信も人気です。"
    out, _ = drop_copies(f"{FIRST}\n\n## 次\n\n本文。\n\n{fuller}\n", Options())
    assert out == f"{fuller}\n\n## 次\n\n本文。\n"


def test_flattened_copy_of_several_paragraphs_goes() -> None:
    paras = [
        "川沿いの遊歩道は、朝の散歩をする人や通勤の自転車でにぎわいます。春には桜が咲き、夜は灯りがともります。",
        "山の上の展望台からは、晴れた日に遠くの島まで見渡せます。登山道は整備され、子どもでも一時間で登れます。",
        "海辺の市場では、漁師が獲れたての魚をその場で売っています。昼前には品物がほとんど売り切れてしまいます。",
        "森の中の小さな美術館は、地元の作家の作品を集めています。静かな展示室で、ゆっくり絵を眺めることができます。",
    ]
    flat = " ".join(paras)
    out, found = drop_copies("\n\n".join(paras) + "\n\n" + flat + "\n", Options())
    assert flat not in out and [f.rule for f in found] == ["flattened.paragraph"]


def test_a_restated_sentence_is_not_an_article_written_twice() -> None:
    seed_like = (CASES / "legit_repetition_ja" / "input.md").read_text(encoding="utf-8")
    assert not written_twice(seed_like, Options())


def test_caption_inside_a_word_rejoins_it() -> None:
    assert splits_word("新しいビジ", "ネス変革")
    assert not splits_word("第3章 展望", "今後は伸びます。")


def test_prompt_quote_that_the_sentence_needs_is_only_reported() -> None:
    line = "既存の記事でも触れた「疲れ」は、再燃する可能性があります。\n"
    out, found = drop_prompt_quotes(line)
    assert out == line and [(f.kind, f.action) for f in found] == [(Kind.PROMPT_QUOTE, Action.REPORTED)]


def test_cut_markers() -> None:
    assert strip_cut_marker("本文。\n---EN")[0] == "本文。\n"
    assert strip_cut_marker("本文。\n\n---END---")[0] == "本文。\n\n---END---"  # a full marker: not ours
    result = clean_text("一。\n\n---END\n\n一。\n\n二。\n")
    assert result.text == "一。\n\n二。\n"


def test_every_rule_code_is_registered() -> None:
    """Every rule code a golden case produces from this package is listed in RULES."""
    ours = (
        "footer.",
        "section.",
        "flattened.",
        "echo.",
        "marker.cut",
        "repeat.paragraph",
        "boilerplate.rejoin",
    )
    seen = set()
    for case in sorted(p for p in CASES.iterdir() if p.is_dir()):
        for finding in clean_bytes((case / "input.md").read_bytes())[1]:
            if finding.rule.startswith(ours):
                seen.add(finding.rule)
    assert seen and seen <= set(RULES), seen - set(RULES)
    assert all(regex.fullmatch(r"[a-z]+\.[a-z_]+", code) for code in RULES)


def test_a_list_of_sources_between_sections_of_a_clean_post_stays() -> None:
    text = (
        "## 記事\n\n本文です。\n\n---\n\n### 参考資料\n\n- [資料A](https://example.com/a)\n\n"
        "### 5. まとめ\n\n以上です。\n"
    )
    assert clean_text(text).text == text


def test_the_first_answer_after_the_footer_moves_above_it_without_a_marker() -> None:
    text = (
        "町の図書館は平日も混んでいます。\n\n" + FOOTER + "\n### 2. 新しい講座\n\n"
        "今年から、高齢者向けのスマートフォン講座が始まりました。\n"
    )
    out = clean_text(text).text
    assert out.index("新しい講座") < out.index("あわせて読みたい") < out.index("ご相談はこちら")


def test_a_cut_fragment_said_in_full_elsewhere_goes() -> None:
    full = "駅前の商店街では、毎月第一日曜日に朝市が開かれます。"
    body = f"{FIRST}\n\n駅前の商店街では、毎月第一日曜日に\n\n{full}\n"
    out, found = drop_copies(body, Options())
    assert out == f"{FIRST}\n\n駅前の商店街では、毎月第一日曜日に朝市が開かれます。\n"
    assert [f.rule for f in found] == ["fragment.said"]


def test_a_bold_lead_in_line_with_nothing_under_it_goes() -> None:
    """A bold lead-in line on its own right before a Markdown heading or the end heads nothing; before
    another bold lead-in line it may head it, and stays."""
    from cleaner.structure.sections import merge_sections

    body = "**展望**\n\n**投資家へ**\n\n本文です。\n\n**空の見出し**\n\n## 次の章\n\n本文二。\n\n**最後**\n"
    out, found = merge_sections(body)
    assert out == "**展望**\n\n**投資家へ**\n\n本文です。\n\n## 次の章\n\n本文二。\n"
    assert [(f.rule, f.passage) for f in found] == [
        ("section.orphan_heading", "**空の見出し**"),
        ("section.orphan_heading", "**最後**"),
    ]


def test_structure_findings_have_the_input_line_of_their_passage() -> None:
    """Promise 1: a drop is recorded with its place. The structure rules work on the stitched body, so
    each of their findings is placed where its passage starts in the input (found by searching)."""
    from cleaner.structure import STRUCTURE_RULES

    cases = Path(__file__).resolve().parents[1] / "fixtures" / "cases"
    seen = 0
    for case in sorted(cases.iterdir()):
        data = (case / "input.md").read_bytes()
        lines = data.decode("utf-8").split("\n")
        for finding in clean_bytes(data)[1]:
            if finding.rule not in STRUCTURE_RULES:
                continue
            seen += 1
            assert finding.line is not None, (case.name, finding.rule, finding.passage)
            first = finding.passage.strip().split("\n", 1)[0].strip()
            assert first[:20] in lines[finding.line - 1], (case.name, finding.rule, finding.line)
    assert seen >= 5  # orphan and cut headings, merged sections, flattened heading lines, …


def test_an_orphan_heading_is_placed_at_its_line() -> None:
    block = "## 背景\n\n市場は拡大しています。"
    body = "導入です。\n\n" + block + "\n\n---END---\n\n" + block + "\n\n## 展望\n"
    result = clean_text(body)
    placed = [(f.rule, f.line) for f in result.findings if f.rule.startswith("section.")]
    assert placed and all(line is not None for _, line in placed), placed
    for rule, line in placed:
        assert line is not None and body.split("\n")[line - 1].startswith("## "), (rule, line)


def test_a_cut_marker_found_after_stitching_is_placed_at_its_line() -> None:
    """The cut marker (line 5) is found only once the full marker after it is gone."""
    body = "本文です。\n\n---END---\n\n続きです。---END\n\n---END---"
    found = [f for f in clean_text(body).findings if f.rule == "marker.cut"]
    assert [f.line for f in found] == [5]
