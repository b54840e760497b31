"""cleaner.run: one run function for clean, report and hook; the report object owns counts and exit
codes; events in stage order; the report's --rule/--kind filters; the summary by rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.model import Action, FileResult, Finding, Kind
from cleaner.report import Summary
from cleaner.run import (
    EXIT_FILE_ERRORS,
    EXIT_FOUND,
    EXIT_OK,
    EXIT_USAGE,
    STAGES,
    Event,
    FileDone,
    Progressed,
    Request,
    RunReport,
    Started,
    execute,
)

from .test_cli import CLEAN, DIRTY

runner = CliRunner()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "posts"
    root.mkdir()
    (root / "a.md").write_text(DIRTY, encoding="utf-8")
    (root / "b.md").write_text(CLEAN, encoding="utf-8")
    return root


def test_stages_are_announced_in_the_documented_order(corpus: Path) -> None:
    events: list[Event] = []
    report = execute(Request("report", (corpus,), cwd=corpus), events.append)
    started = [e.stage for e in events if isinstance(e, Started)]
    assert list(dict.fromkeys(started)) == list(STAGES)
    assert [e.done for e in events if isinstance(e, Progressed) and e.stage == "cleaning"] == [1, 2]
    assert sorted(e.result.path for e in events if isinstance(e, FileDone)) == [
        str(corpus / "a.md"),
        str(corpus / "b.md"),
    ]
    assert report.exit_code == EXIT_OK and report.summary.changed == 1


@pytest.mark.parametrize(
    ("request_", "changed", "errors", "code"),
    [
        (Request("clean", (), check=True), 1, 0, EXIT_FOUND),
        (Request("clean", (), check=True), 0, 0, EXIT_OK),
        (Request("clean", (), in_place=True), 1, 0, EXIT_OK),
        (Request("clean", (), check=True), 1, 1, EXIT_FILE_ERRORS),
        (Request("hook", ()), 1, 0, EXIT_FOUND),
        (Request("report", ()), 1, 0, EXIT_OK),
        (Request("report", (), fail_on="changes"), 1, 0, EXIT_FOUND),
    ],
)
def test_the_report_decides_the_exit_code(request_: Request, changed: int, errors: int, code: int) -> None:
    report = RunReport(request_)
    for i in range(changed):
        report.add(FileResult(f"c{i}.md", changed=True))
    for i in range(errors):
        report.add(FileResult(f"e{i}.md", error="unreadable"))
    assert report.exit_code == code


def test_a_refused_run_exits_2_and_reads_nothing(corpus: Path) -> None:
    blocker = corpus.parent / "out"
    blocker.write_text("x", encoding="utf-8")
    events: list[Event] = []
    report = execute(Request("clean", (corpus,), out_dir=blocker, cwd=corpus), events.append)
    assert report.exit_code == EXIT_USAGE and report.refused and str(blocker) in report.refused
    assert not any(isinstance(e, FileDone) for e in events)


def test_summary_counts_by_rule_falling_back_to_kind() -> None:
    summary = Summary()
    summary.add(
        FileResult(
            "a.md",
            changed=True,
            findings=(
                Finding(Kind.DUPLICATE, Action.DROPPED, rule="repeat.exact"),
                Finding(Kind.DUPLICATE, Action.DROPPED, rule="repeat.exact"),
                Finding(Kind.MARKER, Action.DROPPED),
            ),
        )
    )
    summary.add(FileResult("b.md", changed=True, counts={"overlap": 2}, rules={"seam.overlap": 2}))
    assert summary.rules == {"repeat.exact": 2, "marker": 1, "seam.overlap": 2}
    assert summary.kinds == {"duplicate": 2, "marker": 1, "overlap": 2}


def test_summary_table_lists_rules(corpus: Path) -> None:
    result = runner.invoke(app, ["clean", str(corpus), "--check"])
    assert result.exit_code == 1
    rows = {" ".join(line.replace("│", " ").split()) for line in result.stderr.splitlines()}
    assert "marker.line 2" in rows and "repeat.exact 1" in rows, result.stderr


def test_report_filters_by_kind_and_rule(corpus: Path) -> None:
    every = runner.invoke(app, ["report", str(corpus), "--format", "jsonl"]).stdout.splitlines()
    kinds = {json.loads(line)["kind"] for line in every}
    assert {"marker", "duplicate"} <= kinds
    only = runner.invoke(app, ["report", str(corpus), "--format", "jsonl", "--kind", "marker"])
    assert only.exit_code == 0
    rows = [json.loads(line) for line in only.stdout.splitlines()]
    assert rows and {r["kind"] for r in rows} == {"marker"}
    # --rule takes a code or a prefix of codes (``repeat`` selects every ``repeat.*``)
    by_rule = runner.invoke(app, ["report", str(corpus), "--format", "json", "--rule", "repeat"])
    doc = json.loads(by_rule.stdout)
    found = [f["rule"] for file in doc["files"] for f in file["findings"]]
    assert found and all(rule.startswith("repeat.") for rule in found)
    exact = runner.invoke(app, ["report", str(corpus), "--format", "jsonl", "--rule", "marker.line"])
    assert {json.loads(line)["rule"] for line in exact.stdout.splitlines()} == {"marker.line"}
    table = runner.invoke(app, ["report", str(corpus), "--format", "table", "--kind", "duplicate"]).stdout
    assert "duplicate" in table and "---END---" not in table


def test_report_refuses_an_unknown_kind(corpus: Path) -> None:
    result = runner.invoke(app, ["report", str(corpus), "--kind", "nonsense"])
    assert result.exit_code == 2 and "nonsense" in result.stderr


def test_the_progress_bar_shows_every_stage(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    from cleaner import cli

    screen = io.StringIO()
    monkeypatch.setattr(cli._Consoles, "_err", Console(file=screen, force_terminal=True, width=100))
    bar = cli._ProgressBar(enabled=True)
    try:
        execute(Request("report", (corpus,), cwd=corpus), bar)
    finally:
        bar.stop()
    shown = screen.getvalue()
    places = [shown.find(stage) for stage in STAGES]
    assert all(p >= 0 for p in places) and places == sorted(places), shown
    assert "0/2" in shown  # the cleaning stage knows its total from the start
