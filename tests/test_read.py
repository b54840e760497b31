"""cleaner.read: encodings, line ends, front matter, and one-field reads and writes."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cleaner.model import Action, Article, FrontMatter, Kind
from cleaner.read import (
    ReadError,
    decode,
    encode,
    rare_count,
    read_field,
    read_path,
    split_front_matter,
    write_field,
)

SENTENCE = "日本語の記事です。"

#: Real sentences of the kind the corpus holds, with kanji of both JIS levels, kana and ASCII.
SENTENCES = [
    "日本語の記事です。",
    "こんにちは",
    "東京都",
    "AIエージェントの本格普及",
    "皆さん、Kuaishou（快手）が9月23日に発表した「Kling AI 2.5 Turbo」、もう耳にしましたか？",
    "いやはや、またしても驚かされましたね。",
    "競合他社との比較に目を向けてみましょう。",
    "桨板の上で後方宙返りをする男性",  # 桨 is not in JIS X 0208: tested where it encodes
    "鬱蒼とした森の奥で、麒麟が嘶いた。",  # level-2 kanji
    "①から⑩までの手順で、㈱サンプルの設定を行います。",  # NEC row 13
    "ｶﾀｶﾅﾃﾞｽ。これは半角カナを含む文章です。",  # half-width katakana
]


def _text(article: Article) -> str:
    return (article.front_matter.raw if article.front_matter else "") + article.body


# --- encodings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding", "bom", "converted"),
    [
        (SENTENCE.encode("utf-8"), "utf-8", False, False),
        (codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), "utf-8-sig", True, False),
        (SENTENCE.encode("utf-16"), "utf-16-le", False, True),  # Python writes the native (LE) BOM
        (codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"), "utf-16-be", False, True),
        (codecs.BOM_UTF32_LE + SENTENCE.encode("utf-32-le"), "utf-32-le", False, True),
        (SENTENCE.encode("cp932"), "cp932", False, True),
        (SENTENCE.encode("euc_jp"), "euc_jp", False, True),
        (SENTENCE.encode("iso2022_jp"), "iso2022_jp", False, True),
    ],
    ids=["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "cp932", "euc-jp", "iso-2022-jp"],
)
def test_decode_encodings(data: bytes, encoding: str, bom: bool, converted: bool) -> None:
    article, findings = decode(data)
    assert article.body == SENTENCE
    assert (article.encoding, article.bom) == (encoding, bom)
    if converted:
        assert [(f.kind, f.action, f.detail) for f in findings] == [
            (Kind.ENCODING, Action.CHANGED, f"decoded as {encoding}; written as UTF-8")
        ]
    else:
        assert findings == ()
    out = encode(article, article.body)
    assert out == (codecs.BOM_UTF8 if bom else b"") + SENTENCE.encode("utf-8")


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("encoding", ["cp932", "euc_jp"])
def test_cp932_and_euc_jp_told_apart(sentence: str, encoding: str) -> None:
    try:
        data = sentence.encode(encoding)
    except UnicodeEncodeError:
        pytest.skip(f"not representable in {encoding}")
    article, _ = decode(data)
    assert (article.encoding, article.body) == (encoding, sentence)


def test_cp932_and_euc_jp_told_apart_on_corpus_lines() -> None:
    """Every distinct line of the corpus sample, encoded both ways, decodes back with its own codec."""
    sample = Path(__file__).resolve().parents[2] / "shared" / "corpus-sample"
    if not sample.is_dir():
        pytest.skip("../shared/corpus-sample is absent")
    lines = {
        line.strip()
        for path in sorted(sample.glob("*.md"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if any(ord(ch) > 0x3000 for ch in line)
    }
    wrong = []
    for line in sorted(lines):
        for encoding in ("cp932", "euc_jp"):
            try:
                data = line.encode(encoding)
                data.decode("utf-8")
            except UnicodeEncodeError:
                continue  # not representable
            except UnicodeDecodeError:
                pass
            else:
                continue  # also valid UTF-8, which wins: see test_kanji_only_euc_jp_can_be_valid_utf8
            article, _ = decode(data)
            if article.encoding != encoding:
                wrong.append((encoding, article.encoding, line))
    assert wrong == []


@pytest.mark.xfail(strict=True, reason="half-width katakana alone is also valid EUC-JP kanji (ｶﾀ → 鏡)")
def test_half_width_katakana_alone_in_cp932() -> None:
    article, _ = decode("ｶﾀｶﾅ".encode("cp932"))
    assert article.encoding == "cp932"


@pytest.mark.xfail(
    strict=True, reason="労働 in EUC-JP is CF B7 C6 AF: valid UTF-8 (ϷƯ), and UTF-8 is tried first"
)
def test_kanji_only_euc_jp_can_be_valid_utf8() -> None:
    article, _ = decode("## 労働".encode("euc_jp"))
    assert article.body == "## 労働"


def test_korean_is_not_read_as_japanese() -> None:
    korean = "한국어 문장입니다. 인코딩 감지를 시험합니다. 오늘은 날씨가 좋네요."
    article, findings = decode(korean.encode("euc_kr"))  # valid EUC-JP bytes too: kanji without kana
    assert article.body == korean
    assert article.encoding != "euc_jp"
    assert findings[0].kind is Kind.ENCODING


def test_latin_1_guessed_by_charset_normalizer() -> None:
    text = "Ceci est un café très agréable, où l'on mange bien. Crème brûlée."
    article, findings = decode(text.encode("latin-1"))
    assert (article.body, article.encoding) == (text, "cp1252")
    assert findings[0].detail == "decoded as cp1252; written as UTF-8"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content (PNG image)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary content (JPEG image)"),
        (b"GIF89a\x01\x00", "binary content (GIF image)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "binary content (PDF document)"),
        (b"PK\x03\x04\x14\x00", "binary content (ZIP archive)"),
        ("本文\x00です".encode(), "binary content (NUL bytes)"),
        ("日本語 text".encode("utf-16-le"), "binary content (NUL bytes; UTF-16 without a byte-order mark?)"),
        (codecs.BOM_UTF16_LE + "a\x00b".encode("utf-16-le"), "binary content (NUL characters)"),
    ],
    ids=["png", "jpeg", "gif", "pdf", "zip", "nul", "utf-16-no-bom", "utf-16-nul"],
)
def test_binary_content(data: bytes, message: str) -> None:
    with pytest.raises(ReadError) as raised:
        decode(data)
    assert raised.value.message == message == str(raised.value)


def test_invalid_utf8_in_the_middle_names_the_byte() -> None:
    head = ("---\ntitle: 記事\n---\n" + "本文です。\n" * 20).encode()
    data = (
        head
        + "主要プレ".encode()
        + "イ".encode()[:2]
        + "ヤーの競争\n".encode()
        + "続きです。\n".encode() * 20
    )
    with pytest.raises(ReadError, match=rf"^invalid UTF-8 at byte {len(head) + 12} \(line 24\)$"):
        decode(data)


def test_cut_character_in_a_title_is_an_error_not_a_guess() -> None:
    data = 'title: "主要プレ'.encode() + "イ".encode()[:2] + b'"\n' + "本文".encode() * 30
    with pytest.raises(ReadError, match=r"^invalid UTF-8 at byte 20 \(line 1\)$"):
        decode(data)


def test_invalid_utf8_after_bom_counts_the_bom() -> None:
    with pytest.raises(ReadError, match=r"^invalid UTF-8 at byte 5 "):
        decode(codecs.BOM_UTF8 + b"ab\xffcd")


def test_undecodable_bytes() -> None:
    with pytest.raises(ReadError, match=r"^not UTF-8 \(invalid byte at 0\), and not cp932 or EUC-JP either$"):
        decode(bytes([0x81, 0x20, 0xFF, 0x90, 0x05]) * 20)


def test_empty_file() -> None:
    article, findings = decode(b"")
    assert (article.front_matter, article.body, article.newline, findings) == (None, "", "\n", ())
    assert encode(article, "") == b""


def test_rare_count() -> None:
    assert rare_count("日本語の記事です。ABC") == 0
    assert rare_count("縺薙ｓ縺ｫ縺｡縺ｯ") == 7  # こんにちは in UTF-8, read as cp932
    assert rare_count("\x80\ue000\x01") == 3


# --- line ends -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"---\ntitle: x\n---\n\nbody\nline",
        b"---\r\ntitle: x\r\n---\r\n\r\nbody\r\nline\r\n",
        b"---\rtitle: x\r---\r\rbody\r",
        codecs.BOM_UTF8 + '---\r\ntitle: "記事"\r\n---\r\n本文\r\n---END---'.encode(),
        "本文だけ\r\n\r\n二段落目\r\n".encode(),
    ],
    ids=["lf-no-final-newline", "crlf", "cr", "bom-crlf", "crlf-no-front-matter"],
)
def test_round_trip_is_byte_identical(data: bytes) -> None:
    article, findings = decode(data)
    assert findings == ()
    assert "\r" not in _text(article)
    assert encode(article, _text(article)) == data


def test_crlf_recorded() -> None:
    article, _ = decode(b"---\r\ntitle: x\r\n---\r\nbody\r\n")
    assert article.newline == "\r\n"
    assert article.front_matter == FrontMatter("---\ntitle: x\n---\n", "yaml")
    assert article.body == "body\n"


def test_mixed_line_ends_are_normalised_and_reported() -> None:
    article, findings = decode(b"a\r\nb\r\nc\nd\re\r\n")
    assert (article.body, article.newline) == ("a\nb\nc\nd\ne\n", "\r\n")
    assert [f.detail for f in findings] == ["mixed line ends (3 CRLF, 1 LF, 1 CR); written with CRLF"]
    assert encode(article, article.body) == b"a\r\nb\r\nc\r\nd\r\ne\r\n"


def test_non_utf8_output_keeps_line_ends_but_not_encoding() -> None:
    data = "---\r\ntitle: 記事\r\n---\r\n本文です。\r\n".encode("cp932")
    article, _ = decode(data)
    assert encode(article, _text(article)) == data.decode("cp932").encode("utf-8")


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200),
    st.sampled_from(["\n", "\r\n"]),
)
def test_clean_utf8_round_trips(text: str, newline: str) -> None:
    text = text.replace("\r", "").replace("\n", newline)
    data = text.encode("utf-8")
    try:
        article, findings = decode(data)
    except ReadError:
        return  # NUL characters, or front matter opened and never closed
    assume(not findings)
    assert encode(article, _text(article)) == data


# --- front matter ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "style"),
    [
        ("---\ntitle: x\n---\n\nbody\n", "---\ntitle: x\n---\n", "yaml"),
        ("---\ntitle: x\n...\nbody", "---\ntitle: x\n...\n", "yaml"),
        ("--- \ntitle: x\n---  \nbody", "--- \ntitle: x\n---  \n", "yaml"),
        ("---\ntitle: x\n---", "---\ntitle: x\n---", "yaml"),
        ("---\n---\nbody", "---\n---\n", "yaml"),
        ("---\n# a comment\n\ntitle: x\n---\nbody", "---\n# a comment\n\ntitle: x\n---\n", "yaml"),
        ('---\n"quoted key": x\n---\n', '---\n"quoted key": x\n---\n', "yaml"),
        (
            "---\ntitle: [unclosed\n  : : bad yaml\n---\nbody",
            "---\ntitle: [unclosed\n  : : bad yaml\n---\n",
            "yaml",
        ),
        ("+++\ntitle = 'x'\n+++\nbody", "+++\ntitle = 'x'\n+++\n", "toml"),
        ("+++\n[params]\nx = 1\n+++\n", "+++\n[params]\nx = 1\n+++\n", "toml"),
    ],
    ids=[
        "yaml",
        "dots",
        "trailing-spaces",
        "no-final-newline",
        "empty",
        "comment",
        "quoted-key",
        "invalid-yaml",
        "toml",
        "toml-table",
    ],
)
def test_split_front_matter(text: str, raw: str, style: str) -> None:
    front, body = split_front_matter(text)
    assert front == FrontMatter(raw, style)
    assert raw + body == text


@pytest.mark.parametrize(
    "text",
    [
        "本文です。\n---\ntitle: x\n---\n",  # not on the first line
        "\n---\ntitle: x\n---\n",
        "---END---\n本文\n---END---\n",
        "---\n\n本文です。\n\n---\n続き\n",  # thematic breaks around prose
        "---\n本文です。\n",  # a thematic break that opens the body, never closed
        "---",
        "- - -\ntitle: x\n- - -\n",
        "+++\nnot toml\n+++\n",
    ],
)
def test_no_front_matter(text: str) -> None:
    assert split_front_matter(text) == (None, text)


@pytest.mark.parametrize("text", ["---\ntitle: x\ndate: 2025\n\nbody\n", "+++\ntitle = 'x'\nbody\n"])
def test_unclosed_front_matter(text: str) -> None:
    with pytest.raises(ReadError, match=r"^front matter opened on line 1 is never closed$"):
        split_front_matter(text)
    with pytest.raises(ReadError):
        decode(text.encode())


@given(st.text(max_size=300))
def test_split_keeps_every_character(text: str) -> None:
    try:
        front, body = split_front_matter(text)
    except ReadError:
        return
    assert (front.raw if front else "") + body == text


# --- read_field ------------------------------------------------------------------------------------


def _fm(*lines: str, style: str = "yaml") -> FrontMatter:
    fence = "---" if style == "yaml" else "+++"
    return FrontMatter("\n".join([fence, *lines, fence]) + "\n", style)


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ('title: "AIの未来"', "AIの未来"),
        ('title: "say \\"hi\\" \\\\ \\u00e9"', 'say "hi" \\ é'),
        ("title: 'it''s'", "it's"),
        ("title: plain value", "plain value"),
        ("title: plain # comment", "plain"),
        ('title:   "spaced"   # comment', "spaced"),
        ('"title": quoted key', "quoted key"),
        ("title : spaced key", "spaced key"),
        ('title: ""', ""),
        (
            'title: "コンシューマー向けAIチャットボット市場の競争と主要プレ\ufffd',
            "コンシューマー向けAIチャットボット市場の競争と主要プレ\ufffd",
        ),
        ('title: "cut with escape \\"q\\" and more', 'cut with escape "q" and more'),
        ("title: 'single cut", "single cut"),
        ('title: "junk" after', "junk"),
        ("title: AI: the future", "AI: the future"),
        ("title: |\n  line one\n  line two", "line one\nline two\n"),
        ("title: >-\n  folded\n  text", "folded text"),
        ("title: plain\n  continued", "plain continued"),
        ('title: "quoted\n  continued"', "quoted continued"),
    ],
)
def test_read_field(line: str, value: str) -> None:
    assert read_field(_fm("layout: post", line, "date: 2025-09-01"), "title") == value


@pytest.mark.parametrize(
    "line",
    [
        "title:",
        "title: ~",
        "title: null",
        "title: 2025",
        "title: yes",
        "title: 2025-09-01",
        "title: [a, b]",
        "title:\n- a\n- b",
        "other: x",
        "  title: nested",
        "# title: commented",
        "titles: x",
    ],
)
def test_read_field_none(line: str) -> None:
    assert read_field(_fm("layout: post", line), "title") is None


def test_read_field_ignores_invalid_yaml_elsewhere() -> None:
    fm = _fm("tags: [unclosed", 'title: "fine"', "bad: : :")
    assert read_field(fm, "title") == "fine"


def test_read_field_last_duplicate_wins() -> None:
    assert read_field(_fm("title: first", "title: second"), "title") == "second"


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ('title = "basic \\"q\\""', 'basic "q"'),
        ("title = 'literal'", "literal"),
        ("title = 'literal' # comment", "literal"),
        ('title = """\nmulti\nline"""', "multi\nline"),
        ('  title="indented"', "indented"),
        ('title = "cut \ufffd', "cut \ufffd"),
    ],
)
def test_read_field_toml(line: str, value: str) -> None:
    assert read_field(_fm('date = "2025"', line, "draft = false", style="toml"), "title") == value


def test_read_field_toml_top_level_only() -> None:
    fm = _fm('date = "2025"', "[params]", 'title = "in a table"', style="toml")
    assert read_field(fm, "title") is None
    assert read_field(_fm("title = 5", style="toml"), "title") is None


# --- write_field -----------------------------------------------------------------------------------


def _written(line: str, value: str, style: str = "yaml") -> str:
    """The rewritten line, after checking that every other line stayed as it was."""
    other = ("layout: post", "date: 2025-09-01 08:53:35 +0000") if style == "yaml" else ('a = "x"', "b = 1")
    before = _fm(other[0], line, other[1], style=style)
    after = write_field(before, "title", value)
    old, new = before.raw.split("\n"), after.raw.split("\n")
    assert len(old) == len(new)
    assert [o for i, o in enumerate(old) if i != 2] == [n for i, n in enumerate(new) if i != 2]
    assert read_field(after, "title") == value
    return new[2]


@pytest.mark.parametrize(
    ("line", "value", "expected"),
    [
        ('title: "old"', "新しいタイトル", 'title: "新しいタイトル"'),
        ('title: "old"', 'say "hi" \\ now', 'title: "say \\"hi\\" \\\\ now"'),
        ('title: "old"', "two\nlines", 'title: "two\\nlines"'),
        ("title: 'old'", "it's", "title: 'it''s'"),
        ("title: 'old'", "two\nlines", 'title: "two\\nlines"'),
        ("title: old", "new plain", "title: new plain"),
        ("title: old", "yes", 'title: "yes"'),
        ("title: old", "2025", 'title: "2025"'),
        ("title: old", "a: b", 'title: "a: b"'),
        ("title: old", "#x", 'title: "#x"'),
        ("title: old", " padded ", 'title: " padded "'),
        ("title: old", "", 'title: ""'),
        ("title: old", "[x]", 'title: "[x]"'),
        ("title: old # keep me", "new", "title: new # keep me"),
        ('title:   "old"  # keep me', "new", 'title:   "new"  # keep me'),
        ('"title": "old"', "new", '"title": "new"'),
        ('title: "old" junk', "new", 'title: "new"'),  # the junk made the line invalid: it goes
        ("Title: old", "x", "Title: old"),  # a different key: unchanged
        ("title:", "new", "title: new"),
        (
            'title: "コンシューマー向けAIチャットボット市場の競争と主要プレ\ufffd',
            "主要プレイヤー",
            'title: "主要プレイヤー"',
        ),
    ],
)
def test_write_field(line: str, value: str, expected: str) -> None:
    if line.startswith("Title"):
        fm = _fm(line)
        assert write_field(fm, "title", value) is fm
        return
    assert _written(line, value) == expected


@pytest.mark.parametrize(
    ("line", "value", "expected"),
    [
        ('title = "old"', 'new "q"', 'title = "new \\"q\\""'),
        ("title = 'old'", "new", "title = 'new'"),
        ("title = 'old'", "it's", 'title = "it\'s"'),
        ("title = 5 # n", "five", 'title = "five" # n'),
        ('title = "cut \ufffd', "whole", 'title = "whole"'),
    ],
)
def test_write_field_toml(line: str, value: str, expected: str) -> None:
    assert _written(line, value, "toml") == expected


@pytest.mark.parametrize(
    "lines",
    [
        ("title: |", "  block"),
        ("title: >", "  folded"),
        ("title: plain", "  continued"),
        ("title:", "- a", "- b"),
        ("title: &anchor x", "other: *anchor"),
        ("title: !!str 2025",),
        ("absent: x",),
    ],
)
def test_write_field_leaves_what_it_cannot_rewrite(lines: tuple[str, ...]) -> None:
    fm = _fm("layout: post", *lines)
    assert write_field(fm, "title", "new") is fm


def test_write_field_toml_multiline_unchanged() -> None:
    fm = _fm('title = """', "multi", '"""', style="toml")
    assert write_field(fm, "title", "new") is fm


def test_write_field_keeps_a_file_byte_identical_elsewhere() -> None:
    title = "Kuaishou Kling AI 2.5 Turboの可能性\ufffd"
    data = f'---\r\nlayout: post\r\ntitle: "{title}"\r\ntags: ["AI", "投資"]\r\n---\r\n\r\nbody'.encode()
    article, _ = decode(data)
    assert article.front_matter is not None
    front = write_field(article.front_matter, "title", "Kuaishou Kling AI 2.5 Turboの可能性")
    out = encode(article, front.raw + article.body)
    assert out == data.replace(b"\xef\xbf\xbd", b"")


_KEY = st.sampled_from(["layout", "date", "author", "excerpt", "tags", "reading_time"])
_SIMPLE = st.text(alphabet="abcxyz 0123-_.:日本語のカ", min_size=1, max_size=12).map(str.strip).filter(bool)


@st.composite
def _front_matter(draw: st.DrawFn) -> tuple[FrontMatter, int]:
    lines = []
    for key in draw(st.lists(_KEY, max_size=5, unique=True)):
        value = draw(_SIMPLE)
        style = draw(st.sampled_from(["double", "single", "plain"]))
        if style == "double":
            lines.append(f'{key}: "{value}"')
        elif style == "single":
            lines.append(f"{key}: '{value}'")
        else:
            lines.append(f'{key}: "{value}"' if ": " in value or value.endswith(":") else f"{key}: {value}")
    title_style = draw(st.sampled_from(['title: "{}"', "title: '{}'", "title: {}", 'title: "{}', "title:"]))
    position = draw(st.integers(0, len(lines)))
    lines.insert(position, title_style.format(draw(_SIMPLE).replace(":", "")))
    return FrontMatter("---\n" + "\n".join(lines) + "\n---\n", "yaml"), position + 1


@given(_front_matter(), st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_write_then_read_returns_the_value(generated: tuple[FrontMatter, int], value: str) -> None:
    fm, index = generated
    after = write_field(fm, "title", value)
    assert read_field(after, "title") == value
    old, new = fm.raw.split("\n"), after.raw.split("\n")
    assert len(old) == len(new)
    assert old[:index] == new[:index]
    assert old[index + 1 :] == new[index + 1 :]
    assert new[index].startswith("title:")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_write_then_read_toml(value: str) -> None:
    for line in ('title = "old"', "title = 'old'", "title = 1"):
        after = write_field(_fm('a = "x"', line, style="toml"), "title", value)
        assert read_field(after, "title") == value


# --- read_path -------------------------------------------------------------------------------------


def test_read_path(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"x" * 100)
    assert read_path(path, 100) == b"x" * 100
    with pytest.raises(ReadError, match=r"^file is 100 bytes, over the 99 bytes limit \(max_file_bytes\)$"):
        read_path(path, 99)
    with pytest.raises(ReadError, match=r"^cannot read: No such file or directory$"):
        read_path(tmp_path / "missing.md", 100)


def test_read_path_message_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    with path.open("wb") as handle:
        handle.truncate(3 * 2**20)  # sparse: no disk used
    with pytest.raises(ReadError, match=r"^file is 3\.0 MB, over the 1\.0 MB limit \(max_file_bytes\)$"):
        read_path(path, 2**20)
