"""report: JSON validated against the documented schema, JSON Lines, a table readable at 80 columns,
deterministic bytes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cleaner.cli import app

from .test_dedup import build_corpus

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
runner = CliRunner()


def report(*args: str, columns: int = 80) -> str:
    result = runner.invoke(app, ["report", *args], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    build_corpus(root)
    caption = "一つ目の記事です。\n\nクリックで拡大\n\nSNSで共有する\n"
    (root / "caption1.md").write_text(caption, encoding="utf-8")
    (root / "caption2.md").write_text("二つ目の記事です。\n\nSNSで共有する\n", encoding="utf-8")
    (root / "caption3.md").write_text("三つ目の記事です。\n\nSNSで共有する\n", encoding="utf-8")
    return root


def test_json_validates_and_lists_duplicates_and_candidates(corpus: Path) -> None:
    doc = json.loads(report(str(corpus), "--format", "json"))
    jsonschema.validate(doc, SCHEMA)
    assert doc["duplicates"] and all(g["members"] for g in doc["duplicates"])
    assert {"line": "SNSで共有する", "files": 3} in doc["boilerplate_candidates"]


def test_output_is_deterministic(corpus: Path) -> None:
    one = report(str(corpus), "--format", "json", "-j", "1")
    assert one == report(str(corpus), "--format", "json", "-j", "2")


def test_jsonl_lines_are_findings(corpus: Path) -> None:
    finding = {"$defs": SCHEMA["$defs"], **SCHEMA["$defs"]["finding"]}
    lines = report(str(corpus), "--format", "jsonl").splitlines()
    assert lines
    for line in lines:
        jsonschema.validate(json.loads(line), finding)
    assert any('"cross_file_duplicate"' in line for line in lines)


def test_table_fits_80_columns(corpus: Path) -> None:
    text = report(str(corpus), "--format", "table")
    assert "duplicate articles across files" in text and "boilerplate candidates" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_fail_on_duplicates_sees_files(corpus: Path) -> None:
    result = runner.invoke(app, ["report", str(corpus), "--format", "jsonl", "--fail-on", "duplicates"])
    assert result.exit_code == 1


@pytest.mark.parametrize("folder", ["seeds", "corpus-sample"])
def test_report_over_shared(shared: Path, folder: str) -> None:
    doc = json.loads(report(str(shared / folder), "--format", "json"))
    jsonschema.validate(doc, SCHEMA)
    assert doc["summary"]["errors"] == 0
    assert doc["duplicates"] == [], "distinct posts on one topic are not grouped"
    text = report(str(shared / folder), "--format", "table")
    assert max(len(line) for line in text.splitlines()) <= 80


def test_every_kind_is_in_the_schema_and_the_documentation() -> None:
    from cleaner.model import Kind

    kinds = SCHEMA["$defs"]["finding"]["properties"]["kind"]["enum"]
    documented = (ROOT / "docs" / "report-schema.md").read_text(encoding="utf-8")
    for kind in Kind:
        assert kind.value in kinds, kind
        assert f"| `{kind.value}` |" in documented, kind
