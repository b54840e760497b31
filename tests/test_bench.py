"""The benchmark scripts still run: a tiny corpus through each of them, checking what they write, never
how fast (speed is only printed, by bench/ itself)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

pytestmark = pytest.mark.skipif(not BENCH.is_dir(), reason="bench/ is not in this checkout")


def _run(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generator_is_deterministic_and_a_prefix_of_a_larger_corpus(tmp_path: Path) -> None:
    _run(BENCH / "generate.py", tmp_path / "a", "-n", "12")
    _run(BENCH / "generate.py", tmp_path / "b", "-n", "12")
    _run(BENCH / "generate.py", tmp_path / "c", "-n", "20")
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    posts = {name: data for name, data in a.items() if not name.endswith(".bench-corpus.json")}
    assert len(posts) == 12
    assert a == b
    assert all(c[name] == data for name, data in posts.items())
    info = json.loads((tmp_path / "a" / ".bench-corpus.json").read_text(encoding="utf-8"))
    assert info["n"] == 12
    assert all(10_000 <= len(data) <= 60_000 for data in posts.values())


def test_real_py_reports_its_figures(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _run(BENCH / "generate.py", corpus, "-n", "6")
    out = tmp_path / "real.json"
    args: list[str | Path] = ["--corpus", corpus, "--repeat", "1", "--baseline-sample", "1"]
    args += ["--workdir", tmp_path, "--json", out]
    result = _run(BENCH / "real.py", *args)
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["posts"] == 6
    for key in ("cleaner_ms_per_post", "floor_ms_per_post", "ngram_pass_ms_per_post", "baseline_ms_per_post"):
        assert figures[key] > 0, key
    assert "speedup over the baseline" in result.stdout


def test_real_py_skips_without_a_corpus(tmp_path: Path) -> None:
    result = _run(BENCH / "real.py", "--corpus", tmp_path / "absent")
    assert "skipped" in result.stdout


def test_run_py_measures_a_small_corpus(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    _run(
        BENCH / "run.py",
        "--sizes", "6,12",
        "--jobs", "1,2",
        "--sample", "4",
        "--workdir", tmp_path,
        "--json", out,
        "--no-cli",
    )  # fmt: skip
    results = json.loads(out.read_text(encoding="utf-8"))
    assert [size["clean"]["1"]["files"] for size in results["sizes"]] == [6, 12]
    assert all(size["clean"]["2"]["errors"] == 0 for size in results["sizes"])
    assert results["growth"]["jobs"] == 1
    assert set(results["profile"]["stages"]) >= {"read", "split", "classify", "write"}
    assert not any(p.name.startswith("corpus-") for p in tmp_path.rglob("*"))  # corpora are removed


def test_hostile_py_runs_one_case(tmp_path: Path) -> None:
    result = _run(BENCH / "hostile.py", "--only", "markers_10k", "--json", tmp_path / "h.json")
    figures = json.loads((tmp_path / "h.json").read_text(encoding="utf-8"))
    assert figures["markers_10k"]["findings"] > 0
    assert "markers_10k" in result.stdout


def test_latency_py_prints_every_figure(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a.md", "b.md"):
        (corpus / name).write_text("本文です。\n\n---END---\n本文です。\n", encoding="utf-8")
    figures = tmp_path / "latency.json"
    out = _run(BENCH / "latency.py", "--runs", "1", "--corpus", corpus, "--json", figures).stdout
    assert "cleaner --version" in out and "cleaner hook FILE" in out and "CLI / library" in out
    data = json.loads(figures.read_text(encoding="utf-8"))
    assert data["posts"] == 2 and data["version_s"] > 0 and data["hook_s"] > 0 and data["ratio"] != 0


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="bench/ab.py reads commits from git")
def test_ab_py_compares_a_commit_with_itself(tmp_path: Path) -> None:
    corpus = tmp_path / "posts"
    corpus.mkdir()
    for case in sorted((ROOT / "fixtures" / "cases").iterdir())[:3]:
        (corpus / f"{case.name}.md").write_bytes((case / "input.md").read_bytes())
    out = _run(BENCH / "ab.py", "HEAD", "HEAD", "--rounds", "2", "--corpus", corpus).stdout
    assert "3 posts; outputs differ on 0, findings on 0" in out
    assert out.count("round ") == 2
    assert "median B/A over 2 rounds:" in out
