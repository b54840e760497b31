"""Rule codes: each rule pinned on a tiny input, the registry, the schema and the docs agree, and no
finding leaves the package without a code the schema lists."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import Options, clean_bytes, clean_text
from cleaner.cli import app
from cleaner.rules import KEEP_RULES, RULES
from tests.record_baseline import CASES, inputs

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
FINDING = SCHEMA["$defs"]["finding"]

M = "\n\n---END---\n\n"
A = "生成AIは動画制作の現場を大きく変えつつあります。"
B = "特に中小の制作会社にとっては大きな追い風になるでしょう。"
C = "一方で著作権をめぐる議論はまだ決着していません。"
D = "規制当局も新しいルール作りに動き始めています。"
E = "各社は独自の安全基準を公開し始めました。"
S = "価格は三万円から四万円の前後です。"
FULLER_B = "特に中小の制作会社にとっては、これは大きな追い風になるでしょう。"

#: code → (a body that shows the rule, options); the body is cleaned as a whole document
PINS: dict[str, tuple[str, Options]] = {
    "marker.line": ("本文です。\n---END---\n続きの段落です。", Options()),
    "marker.inline": ("本文です。---END---続きの段落です。", Options()),
    "echo.prompt": (A + M + "【既存の記事の最後の部分】\n\n" + A, Options()),
    "chatter.reply": (A + M + "はい、承知いたしました。続きを書きます。\n\n" + B, Options()),
    "seam.overlap": ("導入です。\n\nでは、競合" + M + "競合他社との比較に目を向けてみましょう。", Options()),
    "seam.continuation": (
        "最初の段落です。\n\n結果はKling AIが主張" + M + "する「高性能」は本物だ。",
        Options(),
    ),
    "seam.alternative": (
        "導入です。\n\n結果はKling AIが主張"
        + M
        + "する「高性能」は本物だ。"
        + M
        + "する「高性能」は確かだ。次です。",
        Options(),
    ),
    "fragment.unjoined": (A + M + "する、その後の展開です。" + B, Options()),
    "repeat.exact": (A + "\n\n" + B + M + A, Options()),
    "repeat.structure": ("## 市場の動向について\n\n" + A + M + "## 市場の動向について\n\n" + B, Options()),
    "repeat.short": ("## 今日は晴れ。明日は雨。\n\n" + A + M + "今日は晴れ。明日は雨。", Options()),
    "repeat.covered": (A + "\n\n" + B + M + A + B, Options()),
    "repeat.truncated": (A + B + C + M + A + B, Options()),
    "repeat.restart": (
        A + B + C + "\n\n" + D + "\n\n" + E + "\n\n" + A + B + C + D + E + M + "続きです。",
        Options(),
    ),
    "flattened.copy": (A + "\n\n" + B + "\n\n" + C + M + A + B + C, Options()),
    "repeat.supersede": (A + M + A + B, Options()),
    "repeat.near_longer": (A + B + S + M + A + B + "価格は五万円から六万円の前後でした。", Options()),
    "repeat.near_version": (A + B + S + M + A + B + "価格は五万円から六万円の前後です。", Options()),
    "repeat.fuller_sentence": (A + B + C + M + A + FULLER_B, Options()),
    "repeat.merge": (A + B + C + M + A + "その背景には手頃な価格の登場があります。" + B, Options()),
    "repeat.sentences": (A + E + M + A + B + C + D, Options()),
    "fragment.dropped": (
        "Xは途中で切れた文です。\n\n" + A + "Xは途中で切れた文" + M + B,
        Options(drop_repeated_sentences=False),
    ),
    "fragment.kept": (A + "これは途中" + M + B, Options()),
    "debris.rule": (A + M + B + "\n\n---\n", Options()),
    "boilerplate.line": (A + "\n\nクリックで拡大\n\n" + B, Options()),
    "title.markup": ("---\ntitle: '**AI市場の動向**'\n---\n" + A, Options()),
    "title.trimmed": ("---\ntitle: AI市場の動向と今後の\ufffd\n---\n" + A, Options()),
    "suspect.non_article": ("該当するニュースは見つかりませんでした。\n", Options()),
    "suspect.bracket": (A + "\n\n」と彼は述べた。\n", Options()),
    "seam.refused": (A + "\n\n結果はKling AIが主張\n\nもちろん、課題も残っています。" + M + B, Options()),
    "section.continued_heading": ("## 背景（続き）\n\n" + A + M + B, Options()),
}

#: rules shown by a golden case (their inputs need a front matter or bytes not easily written inline)
CASE_PINS = {
    "title.recovered": "ja_title_cut_recovered",
    "mojibake.title": "ja_title_cp932_mojibake",
    "boilerplate.rejoined": "ja_boilerplate",
    "footer.move": "ja_footer_between_sections",
    "footer.repeat": "ja_footer_between_sections",
    "section.merge": "ja_section_renumbered",
    "section.orphan_heading": "ja_orphan_heading",
    "section.cut_heading": "ja_cut_heading",
    "flattened.heading": "ja_flattened_heading_line",
    "marker.cut": "ja_marker_cut_end",
    "seam.said_otherwise": "ja_seam_cut_said_elsewhere",
    "repeat.reworded": "ja_version_reworded",
    "repeat.rewritten": "ja_version_rewritten",
    "order.closing": "ja_closing_before_continuation",
    "echo.inline": "ja_prompt_quote",
}

#: rules of the structure stage pinned by unit tests of their function (tests/test_structure.py), whose
#: inputs the repeat pass would settle first in a whole document
UNIT_PINS = {
    "repeat.paragraph": "test_rewording_alone_keeps_the_original_words",
    "flattened.paragraph": "test_flattened_copy_of_several_paragraphs_goes",
    "fragment.said": "test_a_cut_fragment_said_in_full_elsewhere_goes",
}


#: rules shown by a file's bytes
BYTE_PINS = {
    "encoding.newlines": (A + "\r\n\r\n" + B + "\n\n" + C + "\r\n").encode("utf-8"),
    "encoding.converted": (A + "\n\n" + B + "\n").encode("cp932"),
}


def rules_of(findings: object) -> list[str]:
    return [f.rule for f in findings]  # type: ignore[attr-defined]


@pytest.mark.parametrize("code", sorted(PINS))
def test_rule_pinned_on_a_tiny_input(code: str) -> None:
    text, options = PINS[code]
    assert code in rules_of(clean_text(text, options).findings)


@pytest.mark.parametrize("code", sorted(CASE_PINS))
def test_rule_shown_by_a_golden_case(code: str) -> None:
    data = (CASES / CASE_PINS[code] / "input.md").read_bytes()
    assert code in rules_of(clean_bytes(data)[1])


@pytest.mark.parametrize("code", sorted(BYTE_PINS))
def test_rule_shown_by_bytes(code: str) -> None:
    assert code in rules_of(clean_bytes(BYTE_PINS[code])[1])


def test_rules_of_a_run(tmp_path: Path) -> None:
    """The codes that only a run over files makes: a converted encoding, a file that cannot be read,
    a path that cannot be listed, and a duplicated article."""
    (tmp_path / "a.md").write_text(A + "\n\n" + B + "\n\n" + C + "\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(A + "\n\n" + B + "\n\n" + C + "\n", encoding="utf-8")
    (tmp_path / "cp932.md").write_bytes((D + "\n\n" + E + "\n").encode("cp932"))
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02binary\x00" * 20)
    (tmp_path / "broken.md").symlink_to(tmp_path / "nowhere.md")
    result = CliRunner().invoke(app, ["report", str(tmp_path), "--format", "jsonl"])
    rules = {json.loads(line).get("rule") for line in result.stdout.splitlines() if line.strip()}
    assert {"encoding.converted", "error.read", "error.discover", "duplicate.file"} <= rules, rules


def test_every_code_is_pinned() -> None:
    pinned = set(PINS) | set(CASE_PINS) | set(BYTE_PINS) | {"error.read", "error.discover", "duplicate.file"}
    assert pinned | set(UNIT_PINS) == set(RULES)
    unit_tests = (ROOT / "tests" / "test_structure.py").read_text(encoding="utf-8")
    for code, test in UNIT_PINS.items():
        assert f"def {test}(" in unit_tests and f'"{code}"' in unit_tests, code


def test_codes_are_dotted_names() -> None:
    for code in (*RULES, *KEEP_RULES):
        area, _, name = code.partition(".")
        assert area and name and code == code.lower() and " " not in code, code
        assert (RULES | KEEP_RULES)[code].strip(), code


def test_schema_requires_a_listed_rule() -> None:
    assert "rule" in FINDING["required"]
    assert set(FINDING["properties"]["rule"]["enum"]) == set(RULES)


def test_docs_list_every_code() -> None:
    documented = (ROOT / "docs" / "report-schema.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in RULES:
        assert f"| `{code}` |" in documented, code
        assert f"- `{code}`" in readme, code


def test_every_finding_call_sets_a_rule() -> None:
    """A ``Finding(...)`` built anywhere in the package names its rule (``_finding`` requires one)."""
    missing = []
    for path in sorted((ROOT / "cleaner").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "Finding"
                and not any(k.arg == "rule" for k in node.keywords)
                and len(node.args) < 11
            ):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not missing, missing


def _emitted(shared: Path | None) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for name, path in inputs(shared):
        for finding in clean_bytes(path.read_bytes())[1]:
            out.setdefault(finding.rule, set()).add(name)
    return out


def test_golden_cases_emit_only_listed_codes() -> None:
    emitted = _emitted(None)
    listed = set(FINDING["properties"]["rule"]["enum"])
    assert "" not in emitted, f"findings without a rule in {sorted(emitted.get('', ()))}"
    assert set(emitted) <= listed, set(emitted) - listed


def test_samples_emit_only_listed_codes(shared: Path) -> None:
    emitted = _emitted(shared)
    listed = set(FINDING["properties"]["rule"]["enum"])
    assert "" not in emitted and set(emitted) <= listed, set(emitted) - listed


def test_a_cut_said_otherwise_still_joins_a_line_that_cannot_start_a_sentence() -> None:
    """``seam.said_otherwise`` weighs only a next line that may start a sentence: ``する…`` continues."""
    text = (
        "結果について、同社が主張\n\n---END---\n\nする「高性能」は、他社の製品に匹敵するとされます。\n\n"
        "結果について、同社が主張している内容は、まだ確かめられていません。\n"
    )
    result = clean_text(text)
    assert "同社が主張する「高性能」は" in result.text
    assert "seam.said_otherwise" not in {f.rule for f in result.findings}


def test_a_cut_said_otherwise_is_not_joined_to_unrelated_text() -> None:
    text = (
        "給食の新しい献立について。栄養士が考えた今回の献立の狙いは\n\n---END---\n\n"
        "子どもたちの感想も集められています。\n\n"
        "栄養士が考えた今回の献立の狙いは、野菜が苦手な子にも食べやすい味にすることです。\n"
    )
    result = clean_text(text)
    assert "狙いは子ども" not in result.text
    assert "seam.said_otherwise" in {f.rule for f in result.findings}
