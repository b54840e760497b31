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


def test_a_prompt_header_behind_a_marker_and_its_punctuation_goes_in_the_first_run() -> None:
    from cleaner import clean_text

    for body, expected in (
        ("---END---！【既存の記事の最後の部分】", ""),
        (
            "本文の段落です。\n\n---END---！【既存の記事の最後の部分】\n\n続きの段落です。",
            "本文の段落です。\n\n続きの段落です。\n",
        ),
    ):
        once = clean_text(body)
        assert once.text == expected
        assert "echo.prompt" in [f.rule for f in once.findings]
        assert clean_text(once.text).text == once.text


def test_a_bracketed_heading_after_punctuation_is_not_a_prompt_header() -> None:
    text, kinds = run("本文の段落です。\n\n！【新製品の発表】\n\n続きの段落です。")
    assert "【新製品の発表】" in text and Kind.PROMPT_ECHO not in kinds


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


def paragraphs_of(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def test_new_sentence_of_a_retelling_goes_after_the_sentence_it_follows() -> None:
    opening = "駅前に新しい図書館が開館しました。建物は三階建てです。"
    kept = "館内には約十万冊の本が並んでいます。読書室は親子連れでにぎわっています。夜九時まで開いています。"
    retold = (
        "館内には約十万冊の本が並んでいます。その半分近くは寄贈された本です。"
        "読書室は親子連れでにぎわっています。"
    )
    text, kinds = run(f"{opening}\n\n{kept}\n\n---END---\n\n{retold}\n\n来月から朗読会も始まります。")
    assert paragraphs_of(text) == [
        opening,
        "館内には約十万冊の本が並んでいます。その半分近くは寄贈された本です。"
        "読書室は親子連れでにぎわっています。夜九時まで開いています。",
        "来月から朗読会も始まります。",
    ]
    assert Kind.MERGED in kinds and Kind.REPEATED_SENTENCES in kinds


def test_english_retelling_gets_one_space_around_the_new_sentence() -> None:
    kept = "The shelves hold many books. The reading room is busy on weekdays. It stays open until nine."
    retold = "The shelves hold many books. Half were donated. The reading room is busy on weekdays."
    text, _ = run(f"{kept}\n\n---END---\n\n{retold}")
    assert paragraphs_of(text) == [
        "The shelves hold many books. Half were donated. The reading room is busy on weekdays."
        " It stays open until nine."
    ]


def test_a_paragraph_mostly_new_is_not_merged() -> None:
    kept = "市場は拡大を続けています。投資家の注目も集まっています。"
    new = "市場は拡大を続けています。規制の議論も各国で始まりました。技術の標準化も大きな論点になるでしょう。"
    text, kinds = run(f"{kept}\n\n---END---\n\n{new}")
    assert paragraphs_of(text) == [
        kept,
        "規制の議論も各国で始まりました。技術の標準化も大きな論点になるでしょう。",
    ]
    assert Kind.MERGED not in kinds


def test_fuller_version_of_one_sentence_takes_its_place_in_a_retelling() -> None:
    short = "これは、短編映画や広告といった、より専門的な領域において、その真価を発揮するでしょう。"
    full = "これは、短編映画や広告といった、より専門的な領域において、その真価を存分に発揮するでしょう。"
    lead = "このツールは操作が手軽で、多くの個人クリエイターに支持されています。"
    tail = "膨大な動画データが、この品質を支えているのは間違いありません。"
    body = f"導入です。\n\n{lead}{short}{tail}\n\n---END---\n\n{lead}それは素晴らしいことです。{full}"
    text, kinds = run(body)
    assert paragraphs_of(text) == ["導入です。", f"{lead}それは素晴らしいことです。{full}{tail}"]
    assert Kind.SUPERSEDED in kinds and Kind.MERGED in kinds


def test_near_identical_shorter_sentence_is_not_kept_twice() -> None:
    lead = "このツールは操作が手軽で、多くの個人クリエイターに支持されています。"
    full = "これは、短編映画や広告といった、より専門的な領域において、その真価を存分に発揮するでしょう。"
    short = "これは、短編映画や広告といった、より専門的な領域において、その真価を発揮するでしょう。"
    text, kinds = run(f"導入です。\n\n{lead}{full}\n\n---END---\n\n{lead}{short}")
    assert paragraphs_of(text) == ["導入です。", f"{lead}{full}"]
    assert Kind.NEAR_DUPLICATE in kinds


def test_flattened_copy_with_headings_never_replaces_the_paragraphs() -> None:
    a = "駅前の商店街で、毎月第一土曜日に朝市が開かれています。"
    b = "朝市の魅力は、なんといっても新鮮な野菜です。近くの農家が朝に収穫したものを持ってきます。"
    c = "一方で、出店者の高齢化が進んでいます。若い農家にどう参加してもらうかが課題です。"
    body = (
        f"{a}\n\n## 人気の理由\n\n{b}\n\n## これからの課題\n\n{c}\n\n---END---\n\n"
        "【既存の記事の最後の部分】\n"
        f"{a} ## 人気の理由 {b} ## これからの課題 {c}\n\n---END---\n\n夕方の市も試す予定だそうです。"
    )
    text, kinds = run(body)
    assert paragraphs_of(text) == [
        a,
        "## 人気の理由",
        b,
        "## これからの課題",
        c,
        "夕方の市も試す予定だそうです。",
    ]
    assert Kind.FLATTENED in kinds and Kind.SUPERSEDED not in kinds


def test_title_line_never_runs_into_the_first_paragraph() -> None:
    body = (
        "AI投資の真意と、私たちが学ぶべきこと\n\n「投資の大半が報われていない」という調査が出ました。"
        "\n\n---END---\n\n続きです。"
    )
    text, kinds = run(body)
    assert paragraphs_of(text)[:2] == [
        "AI投資の真意と、私たちが学ぶべきこと",
        "「投資の大半が報われていない」という調査が出ました。",
    ]
    assert Kind.CONTINUATION not in kinds


def test_a_block_restarting_the_article_after_a_cut_is_not_a_continuation() -> None:
    title = "生成AIの新時代：その真価はどこにあるのか？"
    first = "新しいモデルが発表されました。性能は大きく向上しています。"
    body = f"{title}\n\n{first}\n\n結局のところ、\n\n---END---\n\n{title}\n\n{first}"
    text, kinds = run(body)
    assert text.count(title) == 1 and Kind.CONTINUATION not in kinds


def test_list_numbering_does_not_split_a_sentence() -> None:
    item = "**2. 技術陳腐化：常に最先端を走り続けるための戦略**"
    text, _ = run(f"{item}\n\n本文です。\n\n---END---\n\n{item}\n\n新しい段落です。")
    assert text.count("技術陳腐化") == 1 and item in text


def test_regenerated_list_items_are_compared_like_paragraphs() -> None:
    full = "1.  **データ戦略の策定:** AIの燃料はデータです。散在するデータを統合する戦略が必要です。"
    short = "1.  **データ戦略の策定:** AIの燃料はデータです。"
    other = "2.  **人材育成:** AIを使いこなす人材を社内で育てることも欠かせません。"
    text, kinds = run(f"導入です。\n\n{short}\n{other}\n\n---END---\n\n{full}\n{other}")
    assert paragraphs_of(text) == ["導入です。", full, other]
    assert Kind.SUPERSEDED in kinds and Kind.DUPLICATE in kinds


def test_a_list_item_never_loses_a_sentence_or_its_marker() -> None:
    said = "データの品質がAIの性能を左右します。"
    item = f"- **注意点:** {said}そのため、収集の段階から管理が必要です。"
    text, _ = run(f"{said}\n\n---END---\n\n{item}")
    assert paragraphs_of(text) == [said, item]


def test_a_longer_version_of_the_sentence_beside_it_replaces_that_sentence() -> None:
    short = "技術者にとっては、この競争はまさに腕の見せ所です。"
    full = "技術者にとっては、この競争はまさに腕の見せ所であり、自己成長の大きなチャンスです。"
    rest = "オープンソースの登場は、深掘りする機会を与えてくれます。内部構造を理解する力が求められます。"
    extra = "エージェントを設計する技術は、これからの開発で最も重要なスキルの一つになるはずです。"
    text, kinds = run(f"導入です。\n\n{short}{rest}{extra}\n\n---END---\n\n{full}{rest}")
    assert paragraphs_of(text) == ["導入です。", f"{full}{rest}{extra}"]
    assert Kind.SUPERSEDED in kinds


def test_a_sentence_repeated_inside_one_paragraph_is_said_once() -> None:
    first = "AI技術は、その適用範囲を急速に広げています。"
    restart = (
        f"これは素晴らしいことですが、疑問も感じています。{first}新しいモデルは異なる計算を必要とします。"
    )
    text, kinds = run(f"導入です。\n\n{first}では、\n\n---END---\n\n{restart}")
    assert text.count(first) == 1
    assert Kind.REPEATED_SENTENCES in kinds


def test_two_versions_of_one_list_item_become_one_item() -> None:
    head = "3.  **体験と実践:** 実際に試した一次情報は、AIでは代替が難しい領域です。"
    one = f"{head}例えば、数ヶ月使い込んだ上での詳しいレビューです。"
    two = f"{head}旅行記やチュートリアルは、読者にとって非常に有用です。"
    text, kinds = run(f"導入です。\n\n{one}\n\n---END---\n\n{two}")
    assert paragraphs_of(text) == [
        "導入です。",
        f"{head}旅行記やチュートリアルは、読者にとって非常に有用です。例えば、数ヶ月使い込んだ上での詳しいレビューです。",
    ]
    assert Kind.MERGED in kinds
