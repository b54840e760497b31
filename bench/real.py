"""Speed of ``cleaner`` on real posts, against the I/O floor and the naive baseline.

    python bench/real.py [--corpus ../shared/corpus-sample] [--repeat 3] [--baseline-sample 10]

* cleaner: ``cleaner.clean_bytes`` over every post, already in memory, on one core; the best of
  ``--repeat`` runs. Also read + clean + write end to end.
* the I/O floor: a plain read and write of the same files into an empty folder (best of the runs).
* a bare Python 5-gram pass: every character 5-gram of every line hashed into a set, nothing else;
  the least any n-gram engine written in Python pays, to set the 10x-floor target against.
* the naive baseline: all pairs of paragraphs (non-blank lines of 30+ characters) of each post's
  body compared with ``rapidfuzz.fuzz.partial_ratio``, as a first script would. It is slow, so it runs
  on ``--baseline-sample`` posts spread over the corpus; the per-post figure for the whole corpus is
  extrapolated from the time per pair on the sample and the number of pairs of every post (the sample
  mean is printed too).

Targets printed beside the numbers: at least 50x (issue 2) and 100x (issue 6) faster than the
baseline, and at most 10x the I/O floor. Skips with a message when the corpus folder is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus-sample"
SUFFIXES = (".md", ".markdown", ".txt")
MIN_PARAGRAPH = 30
TARGET_SPEEDUP_ISSUE_2 = 50.0
TARGET_SPEEDUP_ISSUE_6 = 100.0
TARGET_FLOOR_RATIO = 10.0


def corpus_files(src: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(folder) / f for f in sorted(files) if not f.startswith(".") and f.endswith(SUFFIXES)]
    return found


def body_of(data: bytes) -> str:
    """The body without YAML front matter, as the baseline sees it."""
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5 :]
    return text


def paragraphs_of(data: bytes) -> list[str]:
    return [line.strip() for line in body_of(data).split("\n") if len(line.strip()) >= MIN_PARAGRAPH]


def baseline_post(paragraphs: Sequence[str]) -> int:
    """The naive detector: every pair of paragraphs through ``partial_ratio``. Returns pairs >= 90."""
    hits = 0
    for i, a in enumerate(paragraphs):
        for b in paragraphs[i + 1 :]:
            if fuzz.partial_ratio(a, b) >= 90:
                hits += 1
    return hits


def ngram_pass(bodies: Sequence[str], size: int = 5) -> int:
    """The least a Python n-gram engine does: every character ``size``-gram of every line, hashed into a
    set per line. No comparison, no decision; ``cleaner`` does this and much more."""
    total = 0
    for text in bodies:
        for line in text.split("\n"):
            total += len({hash(line[i : i + size]) for i in range(len(line) - size + 1)})
    return total


def best_of(repeat: int, run: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cleaner on real posts vs the I/O floor and the baseline")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"(default {DEFAULT_CORPUS})")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing; the best counts (3)")
    parser.add_argument(
        "--baseline-sample", type=int, default=0, help="posts timed for the baseline (0: all, the default)"
    )
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    if not args.corpus.is_dir():
        print(f"real.py: no corpus at {args.corpus}; skipped (pass --corpus DIR)")
        return 0
    files = corpus_files(args.corpus)
    if not files:
        print(f"real.py: no posts under {args.corpus}; skipped")
        return 0

    from cleaner import clean_bytes

    datas = [path.read_bytes() for path in files]
    n, size = len(datas), sum(map(len, datas))
    for data in datas[:3]:
        clean_bytes(data)  # warm imports and regex caches

    def engine() -> None:
        for data in datas:
            clean_bytes(data)

    scratch = Path(tempfile.mkdtemp(prefix="cleaner-real-", dir=args.workdir))
    try:
        counter = iter(range(1_000_000))

        def floor() -> None:
            out = scratch / f"floor-{next(counter)}"
            out.mkdir()
            for i, path in enumerate(files):
                (out / f"{i}.md").write_bytes(path.read_bytes())

        def end_to_end() -> None:
            out = scratch / f"e2e-{next(counter)}"
            out.mkdir()
            for i, path in enumerate(files):
                (out / f"{i}.md").write_bytes(clean_bytes(path.read_bytes())[0])

        engine_s = best_of(args.repeat, engine)
        floor_s = best_of(max(5, args.repeat), floor)  # cheap and noisy: a few more runs
        e2e_s = best_of(args.repeat, end_to_end)
        bodies = [body_of(data) for data in datas]

        def ngrams() -> None:
            ngram_pass(bodies)

        ngram_s = best_of(args.repeat, ngrams)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    # the baseline, on a sample spread over the corpus
    paragraphs = [paragraphs_of(data) for data in datas]
    pairs = [len(p) * (len(p) - 1) // 2 for p in paragraphs]
    want = args.baseline_sample if 0 < args.baseline_sample < n else n
    sample = list(range(0, n, max(1, n // want)))[:want]
    sample_times = []
    for i in sample:
        start = time.perf_counter()
        baseline_post(paragraphs[i])
        sample_times.append(time.perf_counter() - start)
    sample_pairs = sum(pairs[i] for i in sample)
    per_pair = sum(sample_times) / sample_pairs if sample_pairs else 0.0
    baseline_ms = 1000 * per_pair * statistics.mean(pairs)  # extrapolated to every post of the corpus
    baseline_sample_ms = 1000 * statistics.mean(sample_times)

    engine_ms = 1000 * engine_s / n
    floor_ms = 1000 * floor_s / n
    e2e_ms = 1000 * e2e_s / n
    ngram_ms = 1000 * ngram_s / n
    speedup = baseline_ms / engine_ms if engine_ms else float("inf")

    def mark(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(f"real posts: {n} files, {size / 1e6:.1f} MB from {args.corpus}")
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPU, load {os.getloadavg()[0]:.2f}")
    print()
    rows = [
        ("cleaner, clean_bytes, 1 core", f"{engine_ms:8.2f} ms/post", f"{n / engine_s:8.1f} posts/s", ""),
        ("read + clean + write", f"{e2e_ms:8.2f} ms/post", f"{n / e2e_s:8.1f} posts/s", ""),
        ("I/O floor, read + write", f"{floor_ms:8.2f} ms/post", f"{n / floor_s:8.1f} posts/s", ""),
        (
            "bare Python 5-gram pass",
            f"{ngram_ms:8.2f} ms/post",
            f"{n / ngram_s:8.1f} posts/s",
            f"({ngram_ms / floor_ms if floor_ms else 0:.1f}x the floor: hashing alone, no decision)",
        ),
        (
            "baseline, partial_ratio pairs",
            f"{baseline_ms:8.1f} ms/post",
            f"{1000 / baseline_ms if baseline_ms else 0:8.2f} posts/s",
            f"(sample of {len(sample)}: {baseline_sample_ms:.1f} ms/post, {per_pair * 1e6:.0f} µs/pair, "
            f"{statistics.mean(pairs):.0f} pairs/post over the corpus)",
        ),
    ]
    for name, a, b, c in rows:
        print(f"{name:32} {a}  {b}  {c}")
    print()
    floor_ratio = engine_ms / floor_ms if floor_ms else float("inf")
    e2e_ratio = e2e_ms / floor_ms if floor_ms else float("inf")
    print(
        f"speedup over the baseline  {speedup:8.1f}x   target >= {TARGET_SPEEDUP_ISSUE_2:.0f}x (issue 2): "
        f"{mark(speedup >= TARGET_SPEEDUP_ISSUE_2)};  >= {TARGET_SPEEDUP_ISSUE_6:.0f}x (issue 6): "
        f"{mark(speedup >= TARGET_SPEEDUP_ISSUE_6)}"
    )
    print(
        f"cleaner / I/O floor        {floor_ratio:8.1f}x   target <= {TARGET_FLOOR_RATIO:.0f}x: "
        f"{mark(floor_ratio <= TARGET_FLOOR_RATIO)}   (read + clean + write / floor: {e2e_ratio:.1f}x)"
    )
    if args.json is not None:
        figures = {
            "posts": n,
            "bytes": size,
            "cleaner_ms_per_post": engine_ms,
            "end_to_end_ms_per_post": e2e_ms,
            "floor_ms_per_post": floor_ms,
            "ngram_pass_ms_per_post": ngram_ms,
            "baseline_ms_per_post": baseline_ms,
            "baseline_sample_ms_per_post": baseline_sample_ms,
            "baseline_us_per_pair": per_pair * 1e6,
            "speedup": speedup,
            "floor_ratio": floor_ratio,
            "end_to_end_floor_ratio": e2e_ratio,
            "load": os.getloadavg()[0],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
