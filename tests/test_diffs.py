"""--diff: a dropped sentence inside a long Japanese line reads as a dropped sentence; colour on request
(or on a terminal, unless NO_COLOR); plain output stays a unified diff that patch applies."""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import _render_diff, app
from cleaner.diffs import changed_lines, inline_spans

runner = CliRunner()

S1 = "この町の川沿いには古い桜並木が続いており、春になると多くの人が訪れます。"
S2 = "地元の人々は毎朝この道を散歩し、季節の移ろいを楽しんでいます。"
S3 = "近年は観光客の増加に伴って、ごみの問題が深刻になってきました。"
S4 = "そこで町は地元の高校生と協力して清掃活動を始めました。"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _highlighted(text: str) -> list[str]:
    """The spans between a highlight style and the next reset."""
    return re.findall(r"\x1b\[1;3[07];4[12]m(.*?)\x1b\[0m", text)


def test_a_dropped_sentence_is_one_span() -> None:
    old, new = inline_spans(S1 + S2 + S3 + S4, S1 + S2 + S4)
    assert [s.text for s in old if s.changed] == [S3]
    assert [s.text for s in new if s.changed] == []
    assert "".join(s.text for s in old) == S1 + S2 + S3 + S4 and "".join(s.text for s in new) == S1 + S2 + S4


def test_a_rewritten_sentence_is_compared_by_character() -> None:
    old, new = inline_spans(S1 + S2, S1 + S2.replace("毎朝", "毎晩"))
    assert [s.text for s in old if s.changed] == ["朝"] and [s.text for s in new if s.changed] == ["晩"]


def test_unrelated_lines_are_not_paired() -> None:
    diff = "".join(difflib.unified_diff(["abc\n"], ["全く別の行です。\n"], "a/x", "b/x"))
    kinds = [(line.kind, bool(line.spans)) for line in changed_lines(diff)]
    assert ("removed", False) in kinds and ("added", False) in kinds


def test_coloured_diff_highlights_exactly_the_dropped_sentence() -> None:
    old, new = [S1 + S2 + S3 + S4 + "\n", "\n"], [S1 + S2 + S4 + "\n", "\n"]
    diff = "".join(difflib.unified_diff(old, new, "a/post.md", "b/post.md"))
    coloured = _render_diff(diff, colour=True)
    assert _highlighted(coloured) == [S3]
    assert ANSI.sub("", coloured) == diff  # colour is laid over the diff, nothing else changes


def _dirty(tmp_path: Path) -> Path:
    post = tmp_path / "post.md"
    post.write_text(f"{S1}{S2}\n\n---END---\n\n{S1}{S2}{S3}\n", encoding="utf-8")
    return post


def test_color_never_is_a_plain_diff_that_patch_applies(tmp_path: Path) -> None:
    post = _dirty(tmp_path)
    result = runner.invoke(app, ["clean", str(post), "--diff", "--color", "never", "-q"])
    assert result.exit_code == 0 and result.stdout.startswith("--- a/")
    assert "\x1b[" not in result.stdout
    if shutil.which("patch") is None:
        pytest.skip("patch is not installed")
    clean = tmp_path / "clean.md"
    runner.invoke(app, ["clean", str(post), "--out", str(tmp_path / "out"), "-q"])
    shutil.copy(post, clean)
    applied = subprocess.run(
        ["patch", "--silent", str(clean)], input=result.stdout, text=True, capture_output=True, check=False
    )
    assert applied.returncode == 0, applied.stderr
    assert clean.read_bytes() == (tmp_path / "out" / "post.md").read_bytes()


def test_color_always_colours_and_no_color_is_honoured(tmp_path: Path) -> None:
    post = _dirty(tmp_path)
    coloured = runner.invoke(app, ["clean", str(post), "--diff", "--color", "always", "-q"]).stdout
    assert ("\x1b[31m" in coloured and "\x1b[32m" not in coloured) or _highlighted(coloured)
    # auto: the test runner's stdout is not a terminal, and NO_COLOR would win anyway
    auto = runner.invoke(app, ["clean", str(post), "--diff", "-q"], env={"NO_COLOR": "1"}).stdout
    assert "\x1b[" not in auto and auto == ANSI.sub("", coloured)


def test_color_rejects_other_values(tmp_path: Path) -> None:
    result = runner.invoke(app, ["clean", str(_dirty(tmp_path)), "--diff", "--color", "sometimes"])
    assert result.exit_code == 2
