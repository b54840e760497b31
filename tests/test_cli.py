"""The command line: exit-code table, --check/--diff/--in-place/--out, logs, and help for everything."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from cleaner.cli import app

runner = CliRunner()

DIRTY = (
    '---\ntitle: "テスト"\n---\n本文の段落です。\n\n---END---\n'
    "本文の段落です。\n\n新しい段落です。\n---END---"
)
CLEAN = '---\ntitle: "テスト"\n---\n本文の段落です。\n'


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "posts"
    (root / "sub").mkdir(parents=True)
    (root / "a.md").write_text(DIRTY, encoding="utf-8")
    (root / "sub" / "b.md").write_text(CLEAN, encoding="utf-8")
    (root / "notes.bin").write_bytes(b"\x00\x01")
    return root


def test_clean_out_mirrors_and_leaves_input(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = (corpus / "a.md").read_bytes()
    result = runner.invoke(app, ["clean", str(corpus), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert (corpus / "a.md").read_bytes() == before
    cleaned = (out / "a.md").read_text(encoding="utf-8")
    assert "---END---" not in cleaned and cleaned.count("本文の段落です。") == 1
    assert (out / "sub" / "b.md").read_bytes() == CLEAN.encode()
    assert not (out / "notes.bin").exists()


def test_clean_refuses_without_destination(corpus: Path) -> None:
    result = runner.invoke(app, ["clean", str(corpus)])
    assert result.exit_code == 2
    assert "--out" in result.stderr


def test_check_lists_and_exits_1_writing_nothing(corpus: Path) -> None:
    before = (corpus / "a.md").read_bytes()
    result = runner.invoke(app, ["clean", str(corpus), "--check", "--quiet"])
    assert result.exit_code == 1
    assert "would clean" in result.stderr and "a.md" in result.stderr
    assert (corpus / "a.md").read_bytes() == before


def test_check_exits_0_on_clean_input(tmp_path: Path) -> None:
    (tmp_path / "ok.md").write_text(CLEAN, encoding="utf-8")
    assert runner.invoke(app, ["clean", str(tmp_path), "--check", "--quiet"]).exit_code == 0


def test_diff_goes_to_stdout(corpus: Path) -> None:
    result = runner.invoke(app, ["clean", str(corpus / "a.md"), "--diff", "--quiet"])
    assert result.exit_code == 0
    assert result.stdout.startswith("--- a/") and "----END---" in result.stdout


def test_in_place_rewrites_and_keeps_mode(corpus: Path) -> None:
    target = corpus / "a.md"
    os.chmod(target, 0o640)
    result = runner.invoke(app, ["clean", str(target), "--in-place", "--quiet"])
    assert result.exit_code == 0
    assert "---END---" not in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    again = runner.invoke(app, ["clean", str(target), "--check", "--quiet"])
    assert again.exit_code == 0, "a second run has nothing to do"


def test_bad_file_exits_3_and_the_rest_is_done(corpus: Path, tmp_path: Path) -> None:
    (corpus / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(corpus), "--out", str(out), "--quiet"])
    assert result.exit_code == 3
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "image.md" in errors[0]
    assert (out / "a.md").exists() and not (out / "image.md").exists()


def test_log_is_json_lines(corpus: Path, tmp_path: Path) -> None:
    log = tmp_path / "findings.jsonl"
    runner.invoke(app, ["clean", str(corpus), "--check", "--quiet", "--log", str(log)])
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert rows and {
        "file",
        "kind",
        "action",
        "block",
        "paragraph",
        "similarity",
        "passage",
        "matched",
    } <= set(rows[0])
    assert {"marker", "duplicate"} <= {r["kind"] for r in rows}


def test_report_json_and_jsonl(corpus: Path) -> None:
    result = runner.invoke(app, ["report", str(corpus), "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1 and doc["summary"]["files"] == 2
    lines = runner.invoke(app, ["report", str(corpus), "--format", "jsonl"]).stdout.splitlines()
    assert all(json.loads(line)["file"] for line in lines)


def test_report_fail_on_duplicates(corpus: Path) -> None:
    assert (
        runner.invoke(app, ["report", str(corpus), "--format", "jsonl", "--fail-on", "duplicates"]).exit_code
        == 1
    )
    assert (
        runner.invoke(
            app, ["report", str(corpus / "sub"), "--format", "jsonl", "--fail-on", "duplicates"]
        ).exit_code
        == 0
    )


def test_jobs_give_identical_output(corpus: Path, tmp_path: Path) -> None:
    for i in range(6):
        (corpus / f"copy{i}.md").write_text(DIRTY.replace("新しい", f"新しい{i}"), encoding="utf-8")
    one, two = tmp_path / "one", tmp_path / "two"
    log1, log2 = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    for jobs, out, log in (("1", one, log1), ("2", two, log2)):
        args = ["clean", str(corpus), "--out", str(out), "-j", jobs, "-q", "--log", str(log)]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert len(files) >= 6 and log1.stat().st_size > 0
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
    assert log1.read_bytes().replace(bytes(one), b"") == log2.read_bytes().replace(bytes(two), b"")


def _commands() -> list[tuple[str, Any]]:
    group = typer.main.get_command(app)
    return sorted(group.commands.items())  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", [name for name, _ in _commands()])
def test_every_command_and_option_has_help(name: str) -> None:
    command = dict(_commands())[name]
    assert command.help, f"{name} has no help text"
    for param in command.params:
        if getattr(param, "param_type_name", "") == "option":
            assert param.help, f"{name} {param.opts} has no help text"
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0


def test_exit_codes_are_documented() -> None:
    result = runner.invoke(app, ["--help"])
    text = " ".join(result.stdout.split())
    assert "Exit codes" in text and "3 some files could not be processed" in text


def test_two_named_files_with_one_output_path(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.md").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "b" / "x.md").write_text(DIRTY, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["clean", str(tmp_path / "a" / "x.md"), str(tmp_path / "b" / "x.md"), "-o", str(out)]
    )
    assert result.exit_code == 3
    assert "same output path" in result.stderr
    assert (out / "x.md").read_bytes() == CLEAN.encode()
    # the summary counts what was written, and nothing of what the failed file would have had done
    rows = {" ".join(line.replace("│", " ").split()) for line in result.stderr.splitlines()}
    assert {"written 1", "errors 1", "markers removed 0"} <= rows, result.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl", "table"])
def test_report_names_bad_files_and_exits_3(corpus: Path, fmt: str) -> None:
    (corpus / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = runner.invoke(app, ["report", str(corpus), "--format", fmt])
    assert result.exit_code == 3
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "image.md" in errors[0] and "binary" in errors[0]


EMOJI_POST = '---\ntitle: "x"\n---\n\nA :fire: [bold]b[/bold].\n\n---END---\n\nA :fire: [bold]b[/bold].\n'


def test_machine_output_is_written_verbatim(tmp_path: Path) -> None:
    # rich would turn :fire: into an emoji and [bold] into style: JSON, diffs and hook lines bypass it
    post = tmp_path / "emoji :fire:.md"
    post.write_text(EMOJI_POST, encoding="utf-8")
    lines = runner.invoke(app, ["report", str(post), "--format", "jsonl"]).stdout.splitlines()
    duplicate = next(json.loads(line) for line in lines if '"duplicate"' in line)
    assert duplicate["passage"] == "A :fire: [bold]b[/bold]." and duplicate["file"] == str(post)
    diff = runner.invoke(app, ["clean", str(post), "--diff"]).stdout
    assert "-A :fire: [bold]b[/bold]." in diff
    fixed = runner.invoke(app, ["hook", "--check", str(post)]).stdout
    assert f"{post}: would be fixed" in fixed and "duplicate: A :fire: [bold]b[/bold]." in fixed
