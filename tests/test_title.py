"""Title repairs: markup, mojibake, cut titles restored from the body or trimmed; fixed point."""

from __future__ import annotations

import collections
import itertools
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import patterns
from cleaner.model import Action, Kind
from cleaner.options import Options
from cleaner.repair.mojibake import looks_suspicious
from cleaner.repair.title import (
    MAX_TITLE_CHARS,
    lead_lines,
    recover_title,
    repair_title,
    strip_title_markup,
    trim_cut_title,
)

OPTIONS = Options()
FFFD = "\ufffd"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def body_of(*lines: str) -> str:
    """A body as the corpus has it: a blank line after the front matter, then the lines."""
    return "\n" + "\n\n".join(lines) + "\n\nThe rest of the article.\n"


def repaired(title: str, body: str = "", options: Options = OPTIONS) -> str:
    return repair_title(title, body, options)[0]


# --- the real examples --------------------------------------------------------------------------------

EXAMPLES = [
    pytest.param(
        # ``…の可能性とは？`` (a rewritten ending, field guide §8b) cut at 40 bytes: the body's first line,
        # which starts with the same words, is the real title
        "Kuaishou Kling AI 2.5 Turboの可能性" + FFFD,
        "Kuaishou Kling AI 2.5 Turbo、その真価はどこにあるのか？",
        "Kuaishou Kling AI 2.5 Turbo、その真価はどこにあるのか？",
        (Kind.TITLE,),
        id="seed000-fffd-rewritten-ending-cut",
    ),
    pytest.param(
        "Moonshot AIのKimi K2 Thinkingはの可" + FFFD,
        "Moonshot AIのKimi K2 Thinkingは、AIの未来をどう変えるのか？",
        "Moonshot AIのKimi K2 Thinkingは、AIの未来をどう変えるのか？",
        (Kind.TITLE,),
        id="seed004-fffd-rewritten-ending-cut",
    ),
    pytest.param(
        "ServiceNowのAI強化、その",
        "ServiceNowのAI強化、その真意は？ワークフロー変革の次なる一手",
        "ServiceNowのAI強化、その真意は？ワークフロー変革の次なる一手",
        (Kind.TITLE,),
        id="dangling-sono",
    ),
    pytest.param(
        "OpenAIとOracleの3000億ドル契約？",
        "OpenAIとOracleの3000億ドル契約、その真意とAIインフラの未来は何を語るのか？",
        "OpenAIとOracleの3000億ドル契約、その真意とAIインフラの未来は何を語るのか？",
        (Kind.TITLE,),
        id="question-mark-for-comma",
    ),
    pytest.param(
        "単一GPUでグラフAIが95倍高速化",
        "単一GPUでグラフAIが95倍高速化？KAISTのFlexGNN、その真意とは何か？",
        "単一GPUでグラフAIが95倍高速化？KAISTのFlexGNN、その真意とは何か？",
        (Kind.TITLE,),
        id="silent-40-byte-cut",
    ),
    pytest.param(
        "GMO大会議、NVIDIA CEO登" + FFFD,
        "# GMO大会議、NVIDIA CEO登壇：AI・ロボティクス産業の未来を拓く",
        "GMO大会議、NVIDIA CEO登壇：AI・ロボティクス産業の未来を拓く",
        (Kind.TITLE,),
        id="fffd-heading-line",
    ),
    pytest.param(
        "iPhone 17のAIの可能性とは？",
        "iPhone 17のAI、その真意はどこにあるのか？ Appleの次なる一手を探る",
        "iPhone 17のAI、その真意はどこにあるのか？ Appleの次なる一手を探る",
        (Kind.TITLE,),
        id="rewritten-ending",
    ),
    pytest.param(
        "# 法人向けCopilot無償化、その真意とAIビジネスの地殻変動を読み解く",
        "## 法人向けCopilot無償化、その真意とAIビジネスの地殻変動を読み解く",
        "法人向けCopilot無償化、その真意とAIビジネスの地殻変動を読み解く",
        (Kind.TITLE,),
        id="heading-mark",
    ),
    pytest.param(
        "**Samsungの3nm AIチップ、その真意と未来への影響とは？**",
        "**Samsungの3nm AIチップ、その真意と未来への影響とは？**",
        "Samsungの3nm AIチップ、その真意と未来への影響とは？",
        (Kind.TITLE,),
        id="emphasis",
    ),
    pytest.param(
        "**Inflection AIとAMDの提タッグの" + FFFD,
        "**Inflection AIとAMDの提タッグ、その真意は？AIチップ市場の地殻変動が始まるのか。**",
        "Inflection AIとAMDの提タッグ、その真意は？AIチップ市場の地殻変動が始まるのか。",
        (Kind.TITLE, Kind.TITLE),
        id="emphasis-open-fffd-dangling-no",
    ),
    pytest.param(
        "Google検索「AIモード」：その真意は？",
        "Google検索「AIモード」：その真意は？",
        "Google検索「AIモード」：その真意は？",
        (),
        id="identical-with-rewritten-ending",
    ),
    pytest.param(
        "AI投資、95%が報われない？その真意と、私たちが学ぶべきこ？",
        "AI投資、95%が報われない？その真意と、私たちが学ぶべきこと",
        "AI投資、95%が報われない？その真意と、私たちが学ぶべきこと",
        (Kind.TITLE,),
        id="question-mark-for-last-kana",
    ),
    pytest.param(
        "OracleとOpenAI、その巨額契約の真意は？",
        "OracleとOpenAI、その巨額契約の真意は？",
        "OracleとOpenAI、その巨額契約の真意は？",
        (),
        id="identical",
    ),
    pytest.param(
        "AI半導体競争とインフラ化",
        "# AI半導体競争の激化とAIの「インフラ化」の加速",
        "AI半導体競争とインフラ化",
        (),
        id="good-short-title",
    ),
    pytest.param(
        "2025年AIエージェント本格普及",
        "# **2025年はAIエージェントとマルチモーダルAIが本格普及し、企業は競争優位性を確立。**",
        "2025年AIエージェント本格普及",
        (),
        id="good-39-byte-title",
    ),
    pytest.param(
        "# AmazonのAIチップ「Inferentia 3」",
        "## AmazonのAIチップ「Inferentia 3」、クラウドAIの未来をどう塗り替えるのか？",
        "AmazonのAIチップ「Inferentia 3」、クラウドAIの未来をどう塗り替えるのか？",
        (Kind.TITLE, Kind.TITLE),
        id="40-bytes-counted-with-heading-mark",
    ),
    pytest.param(
        "**中国Baiduの自動運転AI『Apollo ",
        "**中国Baiduの自動運転AI『Apollo 8.0』、その進化はどこまで本物か？ 20年の経験から語る**",
        "中国Baiduの自動運転AI『Apollo 8.0』、その進化はどこまで本物か？ 20年の経験から語る",
        (Kind.TITLE, Kind.TITLE),
        id="40-bytes-with-emphasis-and-space",
    ),
    pytest.param(
        "Amazon BedrockとLLaMA 4の融合がの" + FFFD,
        "Amazon BedrockとLLaMA 4の融合が、エンタープライズAIの未来をどう変えるのか？",
        "Amazon BedrockとLLaMA 4の融合が、エンタープライズAIの未来をどう変えるのか？",
        (Kind.TITLE,),
        id="fffd-after-dangling-no",
    ),
    pytest.param(
        "AIエージェントのセキュリティと頼性確の重要性",
        "# AIエージェントのセキュリティと信頼性確保の重要性",
        "AIエージェントのセキュリティと信頼性確保の重要性",
        (Kind.TITLE,),
        id="characters-dropped",
    ),
]


@pytest.mark.parametrize(("title", "first_line", "expected", "kinds"), EXAMPLES)
def test_real_examples(title: str, first_line: str, expected: str, kinds: tuple[Kind, ...]) -> None:
    body = body_of(first_line)
    new, findings = repair_title(title, body, OPTIONS)
    assert new == expected
    assert tuple(f.kind for f in findings) == kinds
    assert all(f.action is Action.CHANGED for f in findings)
    if findings:
        assert findings[0].passage == title
        assert findings[-1].matched == new
        for before, after in itertools.pairwise(findings):
            assert before.matched == after.passage
    assert repair_title(new, body, OPTIONS) == (new, ())


def test_finding_details_name_the_repair() -> None:
    body = body_of("Inflection AIとAMDの提タッグ、その真意は？")
    _, findings = repair_title("**Inflection AIとAMDの提タッグの" + FFFD, body, OPTIONS)
    assert findings[0].detail.startswith("strip_title_markup")
    assert findings[1].detail.startswith("recover_title: cut inside a character")
    _, findings = repair_title("Kuaishou Kling AI 2.5 Turboの可能性" + FFFD, "", OPTIONS)
    assert findings[0].kind is Kind.TITLE_CUT
    assert "not restorable" in findings[0].detail


# --- markup --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("# Foo", "Foo"),
        ("###### Foo", "Foo"),
        ("## **Foo**", "Foo"),
        ("**Foo**", "Foo"),
        ("__Foo__", "Foo"),
        ("**Foo", "Foo"),
        ("  Foo  ", "Foo"),
        ("#Foo", "#Foo"),  # a hashtag, not a heading
        ("AIの**未来**", "AIの**未来**"),
        ("**AI**と**未来**", "**AI**と**未来**"),
        ("__init__ の使い方", "__init__ の使い方"),
        ("**", "**"),
        ("#", "#"),
        ("C# 入門", "C# 入門"),
    ],
)
def test_strip_title_markup(title: str, expected: str) -> None:
    assert strip_title_markup(title) == expected


# --- mojibake in titles ----------------------------------------------------------------------------------


def test_mojibake_title_is_fixed_and_recorded() -> None:
    broken = "AppleとOpenAI、AI新時代を拓く提携".encode().decode("cp932")
    new, findings = repair_title(broken, body_of("全く別の書き出しです。"), OPTIONS)
    assert new == "AppleとOpenAI、AI新時代を拓く提携"
    assert [f.kind for f in findings] == [Kind.MOJIBAKE]
    assert findings[0].detail == "fix_mojibake: fix_cp932_mojibake"


def test_html_entity_title() -> None:
    assert repaired("AT&amp;TのAI戦略") == "AT&TのAI戦略"


def test_mojibake_fixed_then_recovered() -> None:
    broken = "ServiceNowのAI強化、その".encode().decode("cp932")
    new, findings = repair_title(broken, body_of("ServiceNowのAI強化、その真意は？"), OPTIONS)
    assert new == "ServiceNowのAI強化、その真意は？"
    assert [f.kind for f in findings] == [Kind.MOJIBAKE, Kind.TITLE]


# --- recovery rules and their limits ---------------------------------------------------------------------


def test_flattened_first_line_gives_only_the_title() -> None:
    line = "長いタイトルの例、その真意は？ いやはや、すごい時代だ。本当に驚きです。" + "本文が続く。" * 30
    assert repaired("長いタイトルの例、その真" + FFFD, body_of(line)) == "長いタイトルの例、その真意は？"


def test_short_line_with_title_and_two_sentences_is_cut() -> None:
    line = "生成AIの新時代、その真意は？ いやはや、すごい。本当に。"
    assert repaired("生成AIの新時代、その" + FFFD, body_of(line)) == "生成AIの新時代、その真意は？"


def test_subtitle_after_question_mark_is_kept() -> None:
    line = "生成AIの新時代、その真意は？ 次の一手を読み解く"
    assert repaired("生成AIの新時代、その" + FFFD, body_of(line)) == line


def test_overlong_line_without_a_break_is_not_used() -> None:
    line = "生成AIの新時代" + "あ" * (MAX_TITLE_CHARS + 10)
    assert repaired("生成AIの新時代" + FFFD, body_of(line)) == "生成AIの新時代"


def test_only_the_first_lines_are_read() -> None:
    body = body_of("一行目。", "二行目。", "三行目。", "生成AIの新時代を読み解く")
    assert repaired("生成AIの新時代" + FFFD, body) == "生成AIの新時代"
    body = "\n" + "前置き。" * 120 + "\n生成AIの新時代を読み解く\n"
    assert repaired("生成AIの新時代" + FFFD, body) == "生成AIの新時代"


def test_third_line_is_read() -> None:
    body = body_of("一行目。", "二行目。", "生成AIの新時代を読み解く")
    assert repaired("生成AIの新時代" + FFFD, body) == "生成AIの新時代を読み解く"


def test_stem_too_short_is_no_evidence() -> None:
    assert repaired("AIの" + FFFD, body_of("AIの未来を読み解く")) == "AI"


def test_title_identical_to_a_later_lead_line_stays() -> None:
    title = "生成AIの未来：その真意は？"
    assert repair_title(title, body_of("生成AIの未来、その先へ", title), OPTIONS) == (title, ())


@pytest.mark.parametrize(
    ("title", "first_line"),
    [
        # a complete question whose line goes on with a subtitle: nothing was replaced
        ("Adobe Firefly 3の真意とは？", "Adobe Firefly 3の真意とは？ クリエイティブ業界を揺るがす"),
        # the rewritten ending is the line's own ending
        ("Google検索の進化：その真意は？", "Google検索の進化：その真意は？ 未来を読む"),
        # a good title that happens to open a longer first line, with no sign of a cut
        ("OpenAI Broadcom提携", "OpenAI Broadcom提携、AIチップ開発へ"),
        # 40 bytes, but the line says something else
        ("単一GPUでグラフAIが95倍高速化", "KAISTのFlexGNN、その真意とは何か？"),
        # a question mark, but the line does not start with the stem
        ("生成AIは何を変えるのか？", "AIは何を変えるのか、考える"),
        # U+FFFD inside the body line is no evidence
        ("生成AIの新時代" + FFFD, "生成AIの新時代" + FFFD + "を読む"),
    ],
)
def test_titles_that_must_not_be_recovered(title: str, first_line: str) -> None:
    expected = trim_cut_title(title) if title.endswith(FFFD) else title
    assert repaired(title, body_of(first_line)) == expected


@pytest.mark.parametrize(
    ("title", "first_line"),
    [
        ("OpenAIとBroadcomの提携", "OpenAIとBroadcomの戦略的提携"),  # a word dropped, not characters
        ("AI半導体競争とインフラ化", "AI半導体競争の激化とAIの「インフラ化」の加速"),  # ratio far below 90
        ("AIエージェントの重要性", "生成AIエージェントの重要性"),  # first character differs
        ("AIエージェントの重要性", "AIエージェントの重要性を考える"),  # a prefix, not a dropped character
        ("AI導入の課題と倫理ガバナンス", "AI導入における課題と倫理的ガバナンス、人材育成の重要性"),
    ],
)
def test_dropped_characters_negative(title: str, first_line: str) -> None:
    assert repair_title(title, body_of(first_line), OPTIONS) == (title, ())


def test_dropped_characters_only_against_the_first_line() -> None:
    body = body_of("前置きです。", "AIエージェントのセキュリティと信頼性確保の重要性")
    title = "AIエージェントのセキュリティと頼性確の重要性"
    assert repair_title(title, body, OPTIONS) == (title, ())


def test_recovery_can_be_switched_off() -> None:
    options = Options(recover_titles=False)
    body = body_of("GMO大会議、NVIDIA CEO登壇：未来を拓く")
    new, findings = repair_title("GMO大会議、NVIDIA CEO登" + FFFD, body, options)
    assert new == "GMO大会議、NVIDIA CEO登"
    assert [f.kind for f in findings] == [Kind.TITLE_CUT]


def test_byte_limit_comes_from_options() -> None:
    title = "単一GPUでグラフAIが95倍高速化"
    body = body_of("単一GPUでグラフAIが95倍高速化？KAISTの成果")
    assert repaired(title, body, Options(title_byte_limit=41)) == title
    assert repaired(title, body) == "単一GPUでグラフAIが95倍高速化？KAISTの成果"


def test_recover_title_direct() -> None:
    recovery = recover_title("GMO大会議、NVIDIA CEO登" + FFFD, "", "\n# GMO大会議、NVIDIA CEO登壇\n", 40)
    assert recovery is not None
    assert (recovery.title, recovery.line_number) == ("GMO大会議、NVIDIA CEO登壇", 2)
    assert recovery.rule == "cut inside a character"


def test_lead_lines() -> None:
    body = "\n# **見出し**\n\n---\n本文一。\n本文二。\n本文三。\n"
    assert lead_lines(body) == [(2, "見出し"), (5, "本文一。"), (6, "本文二。")]


# --- trimming an unrecoverable cut ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("ASML、Mistral AIに13億ユ" + FFFD, "ASML、Mistral AIに13億"),
        ("AI倫理の国際標準化の可能性" + FFFD, "AI倫理の国際標準化の可能性"),
        ("フィリピン国産AI「" + FFFD, "フィリピン国産AI"),
        ("生成AIの新時代、" + FFFD, "生成AIの新時代"),
        ("生成AIの新時代：その真" + FFFD, "生成AIの新時代"),
        ("生成AIの新時代の" + FFFD + FFFD, "生成AIの新時代"),
        ("生成AIの新時代 " + FFFD, "生成AIの新時代"),
        ("ようこそ" + FFFD, "ようこそ"),  # そ only counts after a comma or colon
        ("アプリ" + FFFD, "アプリ"),  # katakana after katakana is a whole word as far as we know
        (FFFD, ""),  # nothing left to keep
    ],
)
def test_trim_cut_title(title: str, expected: str) -> None:
    assert trim_cut_title(title) == expected


def test_trimmed_title_is_stable() -> None:
    titles = ["ASML、Mistral AIに13億ユ", "生成AIの新時代：その真", "Moonshot AIのKimi K2 Thinkingはの可"]
    for title in (t + FFFD for t in titles):
        body = body_of(title.rstrip(FFFD)[:6] + "とは無関係な書き出し")
        new, findings = repair_title(title, body, OPTIONS)
        assert FFFD not in new
        assert [f.kind for f in findings] == [Kind.TITLE_CUT]
        assert repair_title(new, body, OPTIONS) == (new, ())


# --- fixed point ---------------------------------------------------------------------------------------

_TITLE_ALPHABET = "生成AI新時代の未来とそ真意は可能性？?、：「」# *_ aB1" + FFFD
_title_text = st.text(alphabet=_TITLE_ALPHABET, max_size=30)


@st.composite
def title_and_body(draw: st.DrawFn) -> tuple[str, str]:
    title = draw(_title_text)
    lines = draw(
        st.lists(
            st.one_of(
                _title_text,
                st.builds(lambda a, b: a + b, st.just(title.rstrip(FFFD + "？?")), _title_text),
                st.builds(lambda a, b: a + b, st.just(strip_title_markup(title)), _title_text),
            ),
            max_size=4,
        )
    )
    return title, "\n".join(lines)


@settings(max_examples=500, deadline=None)
@given(title_and_body())
def test_repair_title_is_a_fixed_point(case: tuple[str, str]) -> None:
    title, body = case
    once, _ = repair_title(title, body, OPTIONS)
    assert repair_title(once, body, OPTIONS) == (once, ())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=50), st.text(max_size=200))
def test_repair_title_is_a_fixed_point_on_any_text(title: str, body: str) -> None:
    once, _ = repair_title(title, body, OPTIONS)
    assert repair_title(once, body, OPTIONS) == (once, ())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="生成AI新時代の未来と真意は読み解く、「」 aB1", min_size=1, max_size=30), _title_text)
def test_clean_title_with_unrelated_body_is_untouched(title: str, body: str) -> None:
    title = title.strip()
    if not title or title.endswith(("、", "の", "その", "「")):
        return
    if len(title.encode()) == OPTIONS.title_byte_limit:
        return
    assert repair_title(title, "\n" + "まったく別の書き出し。" + body, OPTIONS) == (title, ())


# --- known limits ------------------------------------------------------------------------------------


@pytest.mark.xfail(strict=True, reason="a silent 40-byte cut that the body does not restate is left as it is")
def test_limit_silent_cut_without_restatement() -> None:
    title = "GoogleのTPUv7「Ironwood」：その真"
    assert len(title.encode()) == 40
    body = body_of("GoogleのTPUv7「Ironwood」：NVIDIAの牙城を崩せるか？その真意はどこにある？")
    assert repaired(title, body) == "GoogleのTPUv7「Ironwood」"


@pytest.mark.xfail(strict=True, reason="a cut kanji compound (登 of 登壇) looks like a whole word")
def test_limit_partial_kanji_word() -> None:
    assert repaired("GMO大会議、NVIDIA CEO登" + FFFD) == "GMO大会議、NVIDIA CEO"


@pytest.mark.xfail(strict=True, reason="an unbalanced bracket inside a title is neither closed nor cut")
def test_limit_unbalanced_inner_bracket() -> None:
    assert repaired("フィリピン国産AI「Pilipinas AI" + FFFD) == "フィリピン国産AI「Pilipinas AI」"


@pytest.mark.parametrize(
    ("title", "first_line"),
    [
        # ``…はの可能性とは？`` rewritten from the body's first line, then cut at 40 bytes
        (
            "Moonshot AIのKimi K2 Thinkingはの可" + FFFD,
            "Moonshot AIのKimi K2 Thinkingは、AIの未来をどう変えるのか？",
        ),
        (
            "Kuaishou Kling AI 2.5 Turboの可能性" + FFFD,
            "Kuaishou Kling AI 2.5 Turbo、その真価はどこにあるのか？",
        ),
        ("量子計算の新方式：その真" + FFFD, "量子計算の新方式、その実力は本物か？"),
    ],
)
def test_cut_rewritten_ending_restored_from_first_line(title: str, first_line: str) -> None:
    assert repaired(title, body_of(first_line)) == first_line


def test_cut_rewritten_ending_needs_a_word_boundary_in_the_line() -> None:
    # the stem runs on into a word of the line (``標準化が``): the line is another sentence, not the title
    title = "AI倫理の国際標準化の可能性" + FFFD
    assert repaired(title, body_of("AI倫理の国際標準化が進む理由")) == "AI倫理の国際標準化の可能性"


# --- the real corpus sample ------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_TITLE_LINE = re.compile(r"^title:.*$", re.MULTILINE)


def _corpus_titles() -> list[tuple[str, str, str]]:
    corpus = SHARED / "corpus-sample"
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is absent")
    found = []
    for path in sorted(corpus.glob("*.md")):
        raw = path.read_text(encoding="utf-8")
        front = _FRONT_MATTER.match(raw)
        if front is None:
            continue
        line = _TITLE_LINE.search(front.group(1))
        if line is None:
            continue
        value = yaml.load(line.group(), Loader=yaml.SafeLoader)["title"]
        found.append((path.name, str(value), raw[front.end() :]))
    if not found:
        pytest.skip(f"no titled articles in {corpus}")
    return found


def _defect_signal(title: str, body: str) -> bool:
    """Any sign that a title may be damaged: what the repairs are allowed to act on."""
    lines = lead_lines(body)
    first = lines[0][1] if lines else ""
    plain = strip_title_markup(title)
    return (
        FFFD in title
        or OPTIONS.title_byte_limit in (len(title.encode()), len(plain.encode()))
        or plain != title
        or looks_suspicious(title)
        or bool(patterns.TITLE_REWRITTEN_SUFFIX.search(plain))
        or plain.endswith(("？", "?"))
        or (first.startswith(plain) and first != plain)
        # the optional rule: single characters dropped from the first line
        or (len(first) > len(plain) and _is_subsequence(plain, first))
    )


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(char in chars for char in short)


def test_corpus_sample() -> None:
    titles = _corpus_titles()
    by_rule: collections.Counter[str] = collections.Counter()
    changed = 0
    for name, title, body in titles:
        new, findings = repair_title(title, body, OPTIONS)
        assert FFFD not in new, name
        assert not new.startswith(("#", "**")), name
        assert repair_title(new, body, OPTIONS) == (new, ()), name
        if new != title:
            changed += 1
        for finding in findings:
            by_rule[finding.detail.split(";")[0]] += 1
        if not _defect_signal(title, body):
            assert (new, findings) == (title, ()), name
    print(f"\ncorpus-sample: {changed} of {len(titles)} titles changed")
    for rule, count in sorted(by_rule.items()):
        print(f"  {count:3d}  {rule}")
