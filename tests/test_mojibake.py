"""Mojibake repairs: each named repair, the registry loop, negative cases and known limits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.repair import mojibake
from cleaner.repair.mojibake import (
    REPAIRS,
    count_rare,
    fix_cp932_mojibake,
    fix_eucjp_mojibake,
    fix_latin_mojibake,
    fix_mojibake,
    unescape_html,
)


def as_cp932(text: str, errors: str = "strict") -> str:
    """``text`` as UTF-8 bytes wrongly read as cp932: the common Japanese mojibake."""
    return text.encode("utf-8").decode("cp932", errors=errors)


# --- negative cases: text that must never change ------------------------------------------------------

LEGIT = [
    pytest.param("AI半導体競争とインフラ化", id="japanese"),
    pytest.param("「MSの「10倍性能AI工場」計画、その真意と業界への波紋とは？」", id="japanese-brackets"),
    pytest.param("（テスト）：本当に？！　全角スペースと～波ダッシュ", id="full-width-forms"),
    pytest.param("ＡＩ・ＧＰＵ／２０２５年", id="full-width-latin"),
    pytest.param("“Smart quotes” and ‘single’ – en dash — em dash…", id="curly-quotes"),
    pytest.param("don’t stop — it’s “fine”", id="apostrophes"),
    pytest.param("点击图片查看大图：中国人工智能发展迅速，这是一个测试。", id="chinese-simplified"),
    pytest.param("點擊圖片看原樣大小圖片 人工智慧與機器學習", id="chinese-traditional"),
    pytest.param("한국어 텍스트와 AI", id="korean"),
    pytest.param("😀🎉👍🏽 👨‍👩‍👧 ❤️ AIの未来✨", id="emoji"),
    pytest.param("naïve café déjà vu, Müller, señor", id="latin-accents"),
    pytest.param("ｶﾀｶﾅ ﾃｽﾄ ｻｲﾄ", id="half-width-katakana"),
    pytest.param("ﾃｽ", id="half-width-pair-reads-as-latin"),
    pytest.param("AT&T と R&D、a < b && c", id="ampersands"),
    pytest.param("<p>&amp; stays in real HTML</p>", id="html-with-tags"),
    pytest.param("タイトル\ufffd", id="replacement-char-alone"),
    pytest.param("±×÷°℃※→■●★", id="symbols"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("text", LEGIT)
def test_legit_text_is_untouched(text: str) -> None:
    assert fix_mojibake(text) == (text, ())


@pytest.mark.parametrize("text", LEGIT)
@pytest.mark.parametrize("name", list(REPAIRS))
def test_no_single_repair_touches_legit_text(name: str, text: str) -> None:
    assert REPAIRS[name](text) == text


def test_corpus_like_lines_are_untouched() -> None:
    lines = [
        "2025年9月現在、AI技術の進化は目覚ましく、その基盤を支えるAI半導体市場はかつてないほどの競争と成長を経験しています。",
        "年平均成長率（CAGR）18.11%という驚異的な成長率を示しています。",
        "## 概要と背景",
        "| 企業 | 評価額 |",
        "OpenAIのSoraやGoogleのVeoに対抗する中国発のサービスで、最大3分までの動画生成が可能ですよ。",
    ]
    for line in lines:
        assert fix_mojibake(line) == (line, ())
        assert all(repair(line) == line for repair in REPAIRS.values())


# --- HTML entities ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AT&amp;T", "AT&T"),
        ("&#12354;", "あ"),
        ("&#x3042;&#x3044;", "あい"),
        ("&quot;AI&quot; &hellip;", '"AI" …'),
        ("&lt;script&gt;", "<script>"),
    ],
)
def test_unescape_html(text: str, expected: str) -> None:
    assert unescape_html(text) == expected
    assert fix_mojibake(text) == (expected, ("unescape_html",))


@pytest.mark.parametrize("text", ["&foo;", "&#0;", "&#x110000;", "&#1;", "a & b", "&amp"])
def test_unescape_html_leaves_what_names_no_character(text: str) -> None:
    assert unescape_html(text) == text


def test_double_escaped_entities_settle() -> None:
    assert fix_mojibake("R&amp;amp;D") == ("R&D", ("unescape_html",))


# --- Latin mojibake (ftfy, encoding fixers only) -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cafÃ©", "café"),
        ("donâ€™t", "don’t"),
        ("â€œquotedâ€\x9d", "“quoted”"),
        ("AI半導体".encode().decode("latin-1"), "AI半導体"),
        ("こんにちは".encode().decode("latin-1"), "こんにちは"),
    ],
)
def test_fix_latin_mojibake(text: str, expected: str) -> None:
    assert fix_latin_mojibake(text) == expected
    assert fix_mojibake(text) == (expected, ("fix_latin_mojibake",))


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_double_encoded_utf8(codec: str) -> None:
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

    wrong = "sloppy-windows-1252" if codec == "cp1252" else codec
    original = "生成AIの未来：café"
    twice = original.encode().decode(wrong).encode().decode(wrong)
    assert fix_mojibake(twice) == (original, ("fix_latin_mojibake",))


def test_ftfy_settings_leave_width_and_quotes() -> None:
    """Default ftfy turns （）：？！ into ASCII and uncurls quotes; ours must not, even when it acts."""
    text = "cafÃ©（テスト）：？！ “ok” ＡＢＣ ｶﾀｶﾅ"
    assert fix_latin_mojibake(text) == "café（テスト）：？！ “ok” ＡＢＣ ｶﾀｶﾅ"


# --- cp932 (Shift_JIS) mojibake ------------------------------------------------------------------------


STRICTLY_DECODABLE = ["こんにちは", "ServiceNowのAI強化、その", "AppleとOpenAI、AI新時代を拓く提携"]


@pytest.mark.parametrize("original", STRICTLY_DECODABLE)
def test_fix_cp932_mojibake_strict(original: str) -> None:
    broken = as_cp932(original)
    assert broken != original
    assert fix_cp932_mojibake(broken) == original
    assert fix_mojibake(broken) == (original, ("fix_cp932_mojibake",))


def test_cp932_mojibake_holding_c1_control_is_fixed_before_ftfy() -> None:
    # 、 is E3 80 81; cp932 reads 0x80 as U+0080, which ftfy's C1 fixer would turn into €.
    broken = as_cp932("AI強化、その")
    assert "\x80" in broken
    assert fix_mojibake(broken) == ("AI強化、その", ("fix_cp932_mojibake",))


def test_cp932_mojibake_inside_good_text() -> None:
    broken = "今日のニュース：" + as_cp932("こんにちは世界") + "（続報）"
    assert fix_mojibake(broken) == ("今日のニュース：こんにちは世界（続報）", ("fix_cp932_mojibake",))


def test_cp932_mojibake_lossy_is_repaired_only_where_it_decodes_cleanly() -> None:
    broken = as_cp932("日本語のテキスト", errors="replace")
    assert "\ufffd" in broken
    fixed, names = fix_mojibake(broken)
    assert names == ("fix_cp932_mojibake",)
    assert fixed.startswith("日本")
    assert "キス" in fixed
    assert fixed.count("\ufffd") == broken.count("\ufffd")  # nothing guessed, nothing hidden
    assert count_rare(fixed) < count_rare(broken)


def test_cp932_whole_text_needs_fewer_rare_characters() -> None:
    assert count_rare(as_cp932("こんにちは")) > count_rare("こんにちは") == 0


# --- EUC-JP mojibake -------------------------------------------------------------------------------------


def test_fix_eucjp_mojibake() -> None:
    broken = "信仰".encode().decode("euc_jp")
    assert broken == "篆＞三"
    assert fix_eucjp_mojibake(broken) == "信仰"


def test_fix_eucjp_mojibake_inside_good_text() -> None:
    broken = "大人大人".encode().decode("euc_jp")
    assert fix_eucjp_mojibake("テスト：" + broken) == "テスト：大人大人"
    # through the loop only once something SUSPICIOUS opens the gate
    assert fix_mojibake(broken + " cafÃ©") == ("大人大人 café", ("fix_eucjp_mojibake", "fix_latin_mojibake"))


def test_short_eucjp_piece_inside_good_text_is_not_enough_evidence() -> None:
    broken = "テスト：" + "信仰".encode().decode("euc_jp")
    assert fix_eucjp_mojibake(broken) == broken


# --- the loop ----------------------------------------------------------------------------------------------


def test_registry_order_and_names() -> None:
    assert list(REPAIRS) == [
        "unescape_html",
        "fix_cp932_mojibake",
        "fix_eucjp_mojibake",
        "fix_latin_mojibake",
    ]
    for name, repair in REPAIRS.items():
        assert repair.__name__ == name
        assert repair.__doc__ and ">>>" in repair.__doc__


def test_several_repairs_in_one_text() -> None:
    text = "&#12354; cafÃ© " + as_cp932("こんにちは")
    expected = ("unescape_html", "fix_cp932_mojibake", "fix_latin_mojibake")
    assert fix_mojibake(text) == ("あ café こんにちは", expected)


def test_second_call_is_a_no_op() -> None:
    lossy = as_cp932("日本語のテキスト", errors="replace")
    for text in ["cafÃ©", as_cp932("こんにちは"), lossy, "&amp;amp;"]:
        once, _ = fix_mojibake(text)
        assert fix_mojibake(once) == (once, ())


_MOJIBAKE_ALPHABET = (
    "あいうアイウ日本語AIa1 、。？！（）“”&;#x0123456789amp"
    "縺繧繝譁蜈螟薙ｓｫ｡ｯｮｨｲｳｷ荳也阜"
    "ÃâæçèéÂ€™œ\x80\x81\x9d\ufffd😀"
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_idempotent_on_any_text(text: str) -> None:
    once, _ = fix_mojibake(text)
    assert fix_mojibake(once)[1] == ()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_MOJIBAKE_ALPHABET, max_size=40))
def test_idempotent_on_mojibake_like_text(text: str) -> None:
    once, _ = fix_mojibake(text)
    assert fix_mojibake(once) == (once, ())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="こんにちは世界日本語のテキスト生成AI強化、その", min_size=1, max_size=20))
def test_cp932_round_trip_of_strictly_decodable_text(original: str) -> None:
    try:
        broken = as_cp932(original)
    except UnicodeDecodeError:
        return
    fixed, _ = fix_mojibake(broken)
    assert fixed == original or fixed == broken  # never a third, invented text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="あいうえおかきくけこアイウエオ日本語東京大学、。（）「」：？！ABC 1", max_size=30))
def test_legit_japanese_never_changes(text: str) -> None:
    assert fix_mojibake(text) == (text, ())


def test_repairs_do_not_print(capsys: pytest.CaptureFixture[str]) -> None:
    fix_mojibake("cafÃ© " + as_cp932("こんにちは"))
    assert capsys.readouterr() == ("", "")


def test_module_has_no_mutable_registry() -> None:
    with pytest.raises(TypeError):
        mojibake.REPAIRS["x"] = str  # type: ignore[index]


# --- known limits -------------------------------------------------------------------------------------------


@pytest.mark.xfail(strict=True, reason="lossy cp932 mojibake: bytes lost in a wrong decoding cannot return")
def test_limit_lossy_cp932_fully_restored() -> None:
    assert fix_mojibake(as_cp932("日本語のテキスト", errors="replace"))[0] == "日本語のテキスト"


@pytest.mark.xfail(strict=True, reason="SUSPICIOUS lists no EUC-JP characters: 篆＞三 is not flagged")
def test_limit_eucjp_behind_the_gate() -> None:
    assert fix_mojibake("篆＞三")[0] == "信仰"


@pytest.mark.xfail(strict=True, reason="kanji-only cp932 mojibake (荳也阜) holds no SUSPICIOUS character")
def test_limit_kanji_only_cp932_behind_the_gate() -> None:
    assert fix_mojibake(as_cp932("世界"))[0] == "世界"


@pytest.mark.xfail(strict=True, reason="Latin text read as cp932 (cafﾃｩ) yields no wide character; refused")
def test_limit_latin_read_as_cp932() -> None:
    assert fix_mojibake(as_cp932("café"))[0] == "café"


@pytest.mark.xfail(strict=True, reason="Latin read as EUC-JP (caf辿) gives common kanji; nothing flags it")
def test_limit_latin_read_as_eucjp() -> None:
    assert fix_mojibake("café".encode().decode("euc_jp"))[0] == "café"


@pytest.mark.xfail(strict=True, reason="double cp932 mojibake is lossy at the second reading")
def test_limit_double_cp932() -> None:
    twice = as_cp932(as_cp932("こんにちは"), errors="replace")
    assert fix_mojibake(twice)[0] == "こんにちは"
