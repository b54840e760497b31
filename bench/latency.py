"""How fast the command line starts, and what it costs per post over the library.

    python bench/latency.py [--cleaner .venv/bin/cleaner] [--runs 5] [--corpus ../shared/corpus-sample]

* ``cleaner --version`` and ``cleaner hook FILE`` (one clean post, as a pre-commit hook sees most
  files): the median wall time of ``--runs`` runs after one warm-up, each a whole process. Targets:
  0.15 s and 0.3 s (issue 17).
* the CLI's cost per post over ``cleaner.clean_bytes`` (CPU seconds of this process, best of ``--runs``;
  steadier than wall time on a shared machine): ``cleaner.run.execute`` as ``cleaner clean CORPUS --out
  DIR -j1`` runs it, once the engine is loaded, against ``clean_bytes`` on the same posts already in
  memory. Target: at most 1.2x. The run's figure holds reading, the cross-file duplicate fingerprints
  and the atomic writes. Also printed: the whole ``cleaner clean`` process, its start (the
  ``--version`` median) taken off, which adds loading the engine once.

A shared machine is noisy: the script also prints each figure's CPU time (user + system) of the child
processes, steadier than the wall time. Skips the ratio with a message when the corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus-sample"
DEFAULT_CLEANER = Path(sys.executable).with_name("cleaner")
TARGET_VERSION = 0.15
TARGET_HOOK = 0.3
TARGET_RATIO = 1.2
SUFFIXES = (".md", ".markdown", ".txt")


def timed(command: Sequence[str], runs: int, cwd: Path) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``command`` over ``runs`` runs, after one warm-up."""
    walls, cpus = [], []
    for i in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if i:
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def library_per_post(files: Sequence[Path], runs: int) -> float:
    from cleaner import clean_bytes

    posts = [f.read_bytes() for f in files]
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        for data in posts:
            clean_bytes(data)
        best = min(best, time.process_time() - start)
    return best / len(posts)


def run_per_post(corpus: Path, out: Path, runs: int, files: int) -> float:
    """What ``cleaner clean CORPUS --out OUT -j1`` costs a post once the process has started and loaded
    the engine: :func:`cleaner.run.execute` in this process, best of ``runs``."""
    from cleaner.dedup import bands
    from cleaner.options import Options
    from cleaner.run import Request, execute

    bands(Options().duplicate_jaccard)  # computed once a process, like the imports
    best = float("inf")
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        start = time.process_time()
        execute(Request("clean", (corpus,), out_dir=out, jobs=1))
        best = min(best, time.process_time() - start)
    return best / files


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cleaner start-up latency and CLI cost per post")
    parser.add_argument("--cleaner", type=Path, default=DEFAULT_CLEANER, help="the console script")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command (5)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"(default {DEFAULT_CORPUS})")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    cleaner = str(args.cleaner)
    figures: dict[str, float | int | str] = {}
    with tempfile.TemporaryDirectory(prefix="cleaner-latency-") as temp:
        work = Path(temp)
        post = work / "post.md"
        post.write_bytes((ROOT / "fixtures" / "cases" / "clean_ja" / "expected.md").read_bytes())
        version, version_cpu = timed([cleaner, "--version"], args.runs, work)
        hook, hook_cpu = timed([cleaner, "hook", "post.md"], args.runs, work)
        figures |= {
            "version_s": version,
            "version_cpu_s": version_cpu,
            "hook_s": hook,
            "hook_cpu_s": hook_cpu,
        }
        print(
            f"cleaner --version      {version:6.3f} s  (cpu {version_cpu:.3f} s)  target <= {TARGET_VERSION}"
        )
        print(f"cleaner hook FILE      {hook:6.3f} s  (cpu {hook_cpu:.3f} s)  target <= {TARGET_HOOK}")
        if not args.corpus.is_dir():
            print(f"CLI/library ratio: skipped, no corpus at {args.corpus}")
        else:
            files = sorted(p for p in args.corpus.rglob("*") if p.suffix in SUFFIXES and p.is_file())
            out = work / "out"
            command = [cleaner, "clean", str(args.corpus), "--out", str(out), "-j1", "-q"]
            walls, cpus = [], []
            for _ in range(args.runs):
                shutil.rmtree(out, ignore_errors=True)
                wall, cpu = timed(command, 1, work)
                walls.append(wall)
                cpus.append(cpu)
            cli = (statistics.median(walls) - version) / len(files)
            cli_cpu = (statistics.median(cpus) - version_cpu) / len(files)
            library = library_per_post(files, args.runs)
            in_process = run_per_post(args.corpus, out, args.runs, len(files))
            figures |= {
                "run_ms_per_post": in_process * 1000,
                "run_ratio": in_process / library,
                "posts": len(files),
                "cli_ms_per_post": cli * 1000,
                "cli_cpu_ms_per_post": cli_cpu * 1000,
                "library_ms_per_post": library * 1000,
                "ratio": cli / library,
                "ratio_cpu": cli_cpu / library,
            }
            print(f"posts                  {len(files)} ({args.corpus})")
            print(f"clean_bytes            {library * 1000:6.2f} ms a post (cpu, best of {args.runs})")
            cpu_ms = cli_cpu * 1000
            print(
                f"cleaner clean -j1      {cli * 1000:6.2f} ms a post (cpu {cpu_ms:.2f} ms), start taken off"
            )
            ratio, ratio_cpu = cli / library, cli_cpu / library
            print(f"CLI / library          {ratio:6.2f}x (cpu {ratio_cpu:.2f}x)")
            print(f"run, engine loaded     {in_process * 1000:6.2f} ms a post (cpu, best of {args.runs})")
            print(f"run / library          {in_process / library:6.2f}x  target <= {TARGET_RATIO}")
    figures["machine"] = f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
