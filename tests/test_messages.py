"""Issue 17's messages and exit codes: destinations refused before any work, a missing path, what
report says on stderr, --version and the usage lines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cleaner
from cleaner.cli import app

runner = CliRunner()

DIRTY = "本文の段落です。\n\n---END---\n本文の段落です。\n\n新しい段落です。\n"
CLEAN = "本文の段落です。\n"


@pytest.fixture()
def posts(tmp_path: Path) -> Path:
    root = tmp_path / "posts"
    root.mkdir()
    (root / "a.md").write_text(DIRTY, encoding="utf-8")
    (root / "b.md").write_text(CLEAN, encoding="utf-8")
    return root


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_a_file_as_out_is_refused_before_any_work(posts: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "out.md"
    blocker.write_text("not a folder", encoding="utf-8")
    before = _files(tmp_path)
    result = runner.invoke(app, ["clean", str(posts), "--out", str(blocker)])
    assert result.exit_code == 2
    assert result.stderr == f"error: --out {blocker} is a file, not a folder\n"
    assert _files(tmp_path) == before and blocker.read_text(encoding="utf-8") == "not a folder"


def test_an_out_folder_under_a_file_names_the_file(posts: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "out.md"
    blocker.write_text("not a folder", encoding="utf-8")
    result = runner.invoke(app, ["clean", str(posts), "--out", str(blocker / "sub")])
    assert result.exit_code == 2
    assert (
        result.stderr == f"error: cannot create --out {blocker / 'sub'}: {blocker} is a file, not a folder\n"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any folder")
def test_an_out_folder_that_cannot_be_written_is_refused(posts: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = runner.invoke(app, ["clean", str(posts), "--out", str(locked / "out")])
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot create --out {locked / 'out'}: {locked} is not writable\n"


def test_an_input_inside_the_output_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "old").mkdir(parents=True)
    (out / "old" / "a.md").write_text(DIRTY, encoding="utf-8")
    before = _files(tmp_path)
    result = runner.invoke(app, ["clean", str(out / "old"), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: input {out / 'old'} is inside the output folder {out}; choose another --out\n"
    )
    assert _files(tmp_path) == before


def test_a_missing_path_is_one_error_line_and_no_summary(tmp_path: Path) -> None:
    missing = tmp_path / "missing.md"
    result = runner.invoke(app, ["clean", str(missing), "--check"])
    assert result.exit_code == 3
    assert result.stderr == f"error: {missing}: no such file or folder\n"


def test_report_says_which_format_it_chose(posts: Path) -> None:
    chosen = runner.invoke(app, ["report", str(posts)])
    assert chosen.exit_code == 0
    assert chosen.stderr == (
        "cleaner report: stdout is not a terminal, writing JSON Lines (use --format to choose)\n"
    )
    assert runner.invoke(app, ["report", str(posts), "--format", "jsonl"]).stderr == ""


def test_fail_on_says_what_it_found(posts: Path) -> None:
    result = runner.invoke(app, ["report", str(posts), "--format", "jsonl", "--fail-on", "duplicates"])
    assert result.exit_code == 1
    assert result.stderr == (
        "cleaner report: --fail-on duplicates: 1 file with repeated or dropped passages\n"
    )
    changes = runner.invoke(app, ["report", str(posts), "--format", "json", "--fail-on", "changes"])
    assert changes.exit_code == 1
    assert changes.stderr == "cleaner report: --fail-on changes: 1 file would change\n"
    quiet = runner.invoke(app, ["report", str(posts / "b.md"), "--format", "jsonl", "--fail-on", "changes"])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"cleaner {cleaner.__version__}\n"


@pytest.mark.parametrize(
    ("command", "argument"), [("clean", "PATH..."), ("report", "PATH..."), ("hook", "FILE...")]
)
def test_usage_lines_read_plainly(command: str, argument: str) -> None:
    text = runner.invoke(app, [command, "--help"], prog_name="cleaner").stdout
    assert f"Usage: cleaner {command} [OPTIONS] {argument}\n" in text
    assert "{" not in text and "<list" not in text


def test_two_destinations_are_refused_by_the_run(posts: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["clean", str(posts), "--check", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr == "cleaner clean: choose one of --out, --in-place and --check\n"
    assert not (tmp_path / "out").exists()
