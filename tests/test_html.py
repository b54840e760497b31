"""The review page without a browser: character diffs, where findings are anchored, escaping, the
review list, and the CLI glue. ``test_html_browser.py`` opens the page in Chromium."""

from __future__ import annotations

import base64
import json
import re
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.html import render_page
from cleaner.html.diff import ADDED, GONE, SAME, char_diff, new_text, old_text, text_diff
from cleaner.html.page import script_json
from cleaner.html.payload import file_payload, review_category
from cleaner.model import Action, FileResult, Finding, Kind
from cleaner.pipeline import clean_text

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]

HOSTILE = (
    "---\ntitle: \"</script><script>document.title='pwned'</script>\"\n---\n"
    "本文です。<script>window.__pwned = 1</script>\n\n</html><!-- コメント --> \u2028 &amp;\n\n"
    "---END---\n本文です。<script>window.__pwned = 1</script>\n"
)

texts = st.text(alphabet="あいうえお。、\nab-", max_size=60)


@given(texts, texts)
def test_text_diff_rebuilds_both_versions(old: str, new: str) -> None:
    segments = text_diff(old, new)
    assert old_text(segments) == old
    assert new_text(segments) == new
    assert all(text for _, text in segments)


def test_char_diff_marks_the_changed_characters_of_japanese() -> None:
    assert char_diff("毎週日曜日の朝、生徒たちが歩く。", "毎週土曜日の朝、生徒たちが歩く。") == [
        (SAME, "毎週"),
        (GONE, "日"),
        (ADDED, "土"),
        (SAME, "曜日の朝、生徒たちが歩く。"),
    ]


def test_a_marker_finding_is_anchored_at_the_removed_marker() -> None:
    original = "---\ntitle: t\n---\n一段落目です。\n\n---END---\n二段落目です。\n"
    result = clean_text(original)
    findings = tuple(f for f in result.findings)
    data, anchors = file_payload(original, result.text, findings)
    marker = next(i for i, f in enumerate(findings) if f.kind is Kind.MARKER)
    op, text = data["s"][anchors[marker]]
    assert op == GONE and "---END---" in text
    assert data["fm"] == len("---\ntitle: t\n---\n")


def test_title_repairs_are_reviewed_only_when_more_than_the_last_character_changed() -> None:
    def title(old: str, new: str) -> Finding:
        return Finding(Kind.TITLE, Action.CHANGED, passage=old, matched=new)

    assert review_category(title("観光列車が\ufffd", "観光列車が")) is None
    assert review_category(title("観光列車が\ufffd", "観光列車が町にもたらした変化")) is not None
    assert review_category(Finding(Kind.DUPLICATE, Action.DROPPED)) is None
    assert review_category(Finding(Kind.OVERLAP, Action.CHANGED)) == 0


def test_script_json_cannot_close_its_script_block() -> None:
    text = script_json({"a": "</script><!-- <script> & \u2028\u2029"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!-- <script> & \u2028\u2029"}


def _page_of(text: str, path: str = "post.md") -> str:
    result = clean_text(text)
    return render_page([(FileResult(path, result.changed, result.findings), (text, result.text))])


def test_hostile_text_never_reaches_the_page_as_markup() -> None:
    page = _page_of(HOSTILE, path="</script><b>x.md")
    # the page's own tags only: its data blocks and its script, one </html> at the very end
    assert page.count("</html>") == 1 and page.rstrip().endswith("</html>")
    assert "<b>x.md" not in page and "pwned" not in page and "__pwned" not in page
    scripts = re.findall(r"<script([^>]*)>", page)
    own = [' type="application/json" id="index"', ' type="application/x-cleaner-file" id="d0"', ""]
    assert scripts == own
    # the file's data block is base64 of its compressed JSON and holds the text as it was
    blob = re.search(r'id="d0">([A-Za-z0-9+/=]*)</script>', page)
    assert blob is not None
    data = json.loads(zlib.decompress(base64.b64decode(blob.group(1))))
    assert old_text([(op, text) for op, text in data["s"]]) == HOSTILE


def test_report_writes_one_self_contained_page(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("一段落目です。\n\n---END---\n一段落目です。\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("きれいな記事です。\n", encoding="utf-8")
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()
    posts = [str(tmp_path / "a.md"), str(tmp_path / "b.md")]
    result = runner.invoke(app, ["report", *posts, "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    index = json.loads(re.search(r'id="index">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert index["summary"]["files"] == 2 and index["summary"]["changed"] == 1
    assert dict(index["labels"]) == {"repeat.exact": 1, "marker.line": 1}
    # nothing to fetch: no src or href pointing anywhere, no @import, no url()
    assert not re.search(r"\b(src|href)=\"(?!#)", page)
    assert "@import" not in page and "url(" not in page
    assert list(out.parent.iterdir()) == [out]  # no temporary file left behind


def test_report_html_needs_an_output_file(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("本文です。\n", encoding="utf-8")
    assert runner.invoke(app, ["report", str(tmp_path), "-f", "html"]).exit_code == 2
    assert runner.invoke(app, ["report", str(tmp_path), "-f", "json", "-o", "x.html"]).exit_code == 2


def test_clean_html_writes_the_page_of_the_run(tmp_path: Path) -> None:
    post = tmp_path / "in" / "a.md"
    post.parent.mkdir()
    original = "一段落目です。\n\n---END---\n一段落目です。\n"
    post.write_text(original, encoding="utf-8")
    page = tmp_path / "page.html"
    result = runner.invoke(app, ["clean", str(post), "--in-place", "--html", str(page), "-q"])
    assert result.exit_code == 0, result.output
    assert post.read_text(encoding="utf-8") == "一段落目です。\n"
    blob = re.search(r'id="d0">([A-Za-z0-9+/=]*)</script>', page.read_text(encoding="utf-8"))
    assert blob is not None
    data = json.loads(zlib.decompress(base64.b64decode(blob.group(1))))
    # the original is the file as it was before --in-place rewrote it
    assert old_text([(op, t) for op, t in data["s"]]) == original
    assert [f[1] for f in data["f"]] == ["marker", "duplicate"]


@pytest.mark.parametrize("name", ["page.html", "page.css", "page.js"])
def test_assets_are_package_data(name: str) -> None:
    from importlib import resources

    assert resources.files("cleaner.html").joinpath("assets", name).is_file()


def test_a_repeated_paragraph_is_removed_where_the_cleaner_removed_it() -> None:
    # the first copy is kept: the diff must show the later copy removed, not the first one
    original = (ROOT / "fixtures" / "cases" / "ja_regenerated" / "input.md").read_text(encoding="utf-8")
    result = clean_text(original)
    data, anchors = file_payload(original, result.text, result.findings)
    segments = [(op, text) for op, text in data["s"]]
    duplicates = [i for i, f in enumerate(result.findings) if f.kind is Kind.DUPLICATE]
    assert len(duplicates) >= 2
    for index in duplicates:
        op, _ = segments[anchors[index]]
        first_line = original[: len(old_text(segments[: anchors[index]]))].count("\n") + 1
        assert op == GONE and first_line == result.findings[index].line


def test_each_text_of_a_finding_is_sent_once() -> None:
    from cleaner.html.payload import _row

    near = Finding(Kind.NEAR_DUPLICATE, Action.DROPPED, passage="町の清掃活動。", matched="町の美化活動。")
    row = _row(near, 0)
    assert row[5] is None and row[6] is None  # both are in the diff
    assert old_text(row[10]) == near.passage and new_text(row[10]) == near.matched
    same = Finding(Kind.DUPLICATE, Action.DROPPED, passage="同じです。", matched="同じです。")
    assert _row(same, 0)[5:7] == ["同じです。", None]
    cut = Finding(Kind.TRUNCATED, Action.DROPPED, passage="長い段落の最初の部分と残り", matched="長い段落の…")
    assert _row(cut, 0)[5:7] == ["長い段落の最初の部分と残り", "長い段落の…"]  # the diff holds neither whole


def test_a_file_that_cannot_be_read_is_on_the_page_with_its_error(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text("本文です。\n", encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(b"\x00\x01binary\x00")
    out = tmp_path / "page.html"
    result = runner.invoke(
        app, ["report", str(tmp_path / "good.md"), str(tmp_path / "bad.md"), "-f", "html", "-o", str(out)]
    )
    assert result.exit_code == 3  # file errors, as for every format
    index = json.loads(
        re.search(r'id="index">(.*?)</script>', out.read_text(encoding="utf-8"), re.S).group(1)
    )  # type: ignore[union-attr]
    errors = {f["p"].rsplit("/", 1)[-1]: f["e"] for f in index["files"]}
    assert errors["good.md"] is None and errors["bad.md"]
