"""classify: seams, repeats, alternatives, fragments; the reasons are asserted, not just the text."""

from __future__ import annotations

from cleaner.classify import classify, overlap_length
from cleaner.model import Kind
from cleaner.options import DEFAULT_MARKER, Options
from cleaner.split import split_body
from cleaner.stitch import stitch

OPTIONS = Options()


def run(body: str) -> tuple[str, list[Kind]]:
    split = split_body(body, DEFAULT_MARKER)
    plan = classify(split, OPTIONS, repeats=True)
    return stitch(split, plan), [f.kind for f in plan.findings]


def test_direct_continuation_joins_without_break() -> None:
    text, kinds = run("最初の段落です。\n\n結果はKling AIが主張\n\n---END---\n\nする「高性能」は本物だ。")
    assert "Kling AIが主張する「高性能」は本物だ。" in text
    assert Kind.CONTINUATION in kinds


def test_overlap_appears_once() -> None:
    text, kinds = run("導入です。\n\nでは、競合\n\n---END---\n\n競合他社との比較に目を向けてみましょう。")
    assert "では、競合他社との比較に目を向けてみましょう。" in text
    assert "競合競合" not in text
    assert Kind.OVERLAP in kinds


def test_overlap_after_resume_ellipsis() -> None:
    text, _ = run("これにより、開発期間\n---END---\n…開発期間を大幅に短縮できる。")
    assert text.strip() == "これにより、開発期間を大幅に短縮できる。"


def test_repeated_paragraph_is_dropped_and_recorded() -> None:
    para = "この技術は動画制作の民主化をさらに加速させるだけでなく、制作現場にも変革をもたらすでしょう。"
    text, kinds = run(f"{para}\n\n次の話題です。新しい段落がここにあります。\n\n---END---\n\n{para}")
    assert text.count(para) == 1
    assert Kind.DUPLICATE in kinds


def test_fuller_version_replaces_the_first_in_place() -> None:
    short = "市場は拡大している。投資家は注目している。"
    full = "市場は拡大している。投資家は注目している。規制の行方も重要な論点になるだろう。"
    text, kinds = run(f"{short}\n\n結論の段落です。ここで終わります。\n\n---END---\n\n{full}")
    paragraphs = [p for p in text.split("\n") if p.strip()]
    assert paragraphs == [full, "結論の段落です。ここで終わります。"]
    assert Kind.SUPERSEDED in kinds


def test_alternative_continuation_never_stands_alone() -> None:
    body = (
        "冒頭の段落です。ここから始まります。\n\nKling AIが主張\n---END---\n"
        "する「高性能」は、競合に匹敵する。\n\n締めくくりです。\n---END---\n"
        "する、その「高性能」は、正直なところ驚きだ。"
    )
    text, kinds = run(body)
    assert not any(line.startswith("する") for line in text.split("\n"))
    assert Kind.ALTERNATIVE in kinds


def test_flattened_copy_and_dangling_rule_go() -> None:
    a = "一つ目の段落はここにあります。十分に長い文章です。"
    b = "二つ目の段落もここにあります。やはり十分に長い文章です。"
    c = "三つ目の段落で話を締めくくります。これで終わりです。"
    text, kinds = run(f"{a}\n\n{b}\n\n{c}\n\n---END---\n---\n{a} {b} {c[:10]}\n---END---")
    assert [p for p in text.split("\n") if p.strip()] == [a, b, c]
    assert Kind.FLATTENED in kinds and Kind.DANGLING_RULE in kinds


def test_dangling_fragment_that_repeats_is_dropped() -> None:
    body = "導入です。\n\n大事な結論はここにある。\n\n---END---\n\n導入です。\n\n大事な結論は"
    text, kinds = run(body)
    assert text.strip().endswith("大事な結論はここにある。")
    assert Kind.FRAGMENT in kinds or Kind.TRUNCATED in kinds


def test_new_dangling_fragment_is_kept_and_reported() -> None:
    text, kinds = run("導入の段落です。\n\nさらにエキサイティングな\n\n---END---")
    assert "さらにエキサイティングな" in text
    assert Kind.FRAGMENT_KEPT in kinds


def test_chatter_and_prompt_echo_header_go() -> None:
    body = (
        "本文の段落です。\n---END---\nはい、承知いたしました。記事の続きを執筆します。\n\n"
        "【既存の記事の最後の部分】\n本文の段落です。"
    )
    text, kinds = run(body)
    assert text.strip() == "本文の段落です。"
    assert Kind.CHATTER in kinds and Kind.PROMPT_ECHO in kinds


def test_english_continuation_and_repeat() -> None:
    body = (
        "The launch changed the market for video models.\n\nThe company claims that its\n---END---\n"
        "model is faster than any rival.\n\nThe launch changed the market for video models."
    )
    text, kinds = run(body)
    assert "The company claims that its model is faster than any rival." in text
    assert text.count("The launch changed the market") == 1
    assert Kind.CONTINUATION in kinds and Kind.DUPLICATE in kinds


def test_table_rows_and_code_are_never_deduplicated() -> None:
    body = "| a | b |\n|---|---|\n\n---END---\n\n| a | b |\n|---|---|\n```\nx = 1\n```\n```\nx = 1\n```"
    text, _ = run(body)
    assert text.count("| a | b |") == 2 and text.count("x = 1") == 2


def test_without_repeats_the_body_passes_through() -> None:
    body = "同じ文です。\n同じ文です。\n"
    split = split_body(body, DEFAULT_MARKER)
    assert stitch(split, classify(split, OPTIONS, repeats=False)) == body


def test_overlap_length() -> None:
    assert overlap_length("あいうえお", "うえおかき", 2) == 3
    assert overlap_length("abcde", "xyz", 2) == 0
    assert overlap_length("aa", "a", 2) == 0
    assert overlap_length("確かめて", "ていきましょう", 1) == 1
