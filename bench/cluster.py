"""Throughput and client memory of ``cleaner clean --scheduler`` on a LocalCluster, against a local run.

    python bench/cluster.py [--posts 10000] [--corpus DIR] [--memory 10000,100000] [--small]
                            [--workdir DIR] [--json OUT] [--skip-throughput]

Throughput: a corpus of ``--posts`` posts (``bench/generate.py``, 20 to 40 KB each) is cleaned into an
empty folder three ways, each in a fresh child process: locally with ``-j 2`` (``cleaner.run.execute``,
the command line's path), and on a LocalCluster of one and of two worker processes (one thread each)
that this script starts beforehand, so that the timed run is the client's alone (as with a cluster
that is already up; starting one costs about 2 s, printed apart). Printed: seconds, posts/s, the
speedup of two workers over one (target at least 1.7) and the cluster's time per post over the local
run's (target at most 1.25).

Client memory: for each size in ``--memory``, a corpus of that many posts goes through a two-worker
cluster; the child's peak RSS (``ru_maxrss``: the client only, the workers are the cluster's
processes) is printed with its ratio to the smallest size's (target at most 1.2). ``--small`` makes
these corpora of short posts (``bench/generate.py --scale 0.1``: 2 to 4 KB), so that 100,000 posts
take minutes, not an hour: what the client holds per file does not depend on the size of the post.

The machine is shared: note the load average printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: ``--small``: posts a tenth of the usual length (2 to 4 KB).
SMALL_SCALE = 0.1
Json = dict[str, Any]


def child(args: Json) -> Json:
    """One timed run in this (fresh) process: local when ``scheduler`` is None."""
    from cleaner.run import Request, execute

    started = time.perf_counter()
    report = execute(
        Request(
            "clean",
            (Path(args["corpus"]),),
            out_dir=Path(args["out"]),
            jobs=args["jobs"],
            scheduler=args["scheduler"],
        )
    )
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": seconds,
        "files": report.summary.files,
        "duplicates": len(report.duplicates),
        "exit_code": report.exit_code,
        "peak_rss_mb": usage.ru_maxrss / 1024,
    }


def measure(corpus: Path, workdir: Path, *, jobs: int, scheduler: str | None) -> Json:
    out = workdir / "out"
    shutil.rmtree(out, ignore_errors=True)
    os.sync()
    spec = json.dumps({"corpus": str(corpus), "out": str(out), "jobs": jobs, "scheduler": scheduler})
    done = subprocess.run(
        [sys.executable, __file__, "--child", spec], capture_output=True, text=True, check=True, cwd=ROOT
    )
    shutil.rmtree(out, ignore_errors=True)
    result: Json = json.loads(done.stdout.strip().splitlines()[-1])
    return result


class Cluster:
    """A LocalCluster of ``workers`` processes of one thread, started before the timed run."""

    def __init__(self, workers: int) -> None:
        from distributed import Client, LocalCluster

        started = time.perf_counter()
        self.cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        )
        with Client(self.cluster) as client:
            client.wait_for_workers(workers)
        self.startup = time.perf_counter() - started
        self.address: str = self.cluster.scheduler_address

    def close(self) -> None:
        self.cluster.close()


def make_corpus(folder: Path, posts: int, small: bool) -> Path:
    if folder.is_dir():
        return folder
    scale = ["--scale", str(SMALL_SCALE)] if small else []
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), str(folder), "-n", str(posts), *scale],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return folder


def throughput(corpus: Path, workdir: Path) -> Json:
    runs: Json = {"local -j 2": measure(corpus, workdir, jobs=2, scheduler=None)}
    for workers in (1, 2):
        cluster = Cluster(workers)
        try:
            run = measure(corpus, workdir, jobs=workers, scheduler=cluster.address)
            run["cluster_startup_s"] = cluster.startup
            runs[f"cluster, {workers} worker{'s' if workers > 1 else ''}"] = run
        finally:
            cluster.close()
    one, two, local = runs["cluster, 1 worker"], runs["cluster, 2 workers"], runs["local -j 2"]
    files = local["files"]
    print(f"\nthroughput, {files} posts ({corpus}), load average {os.getloadavg()[0]:.2f} at the end")
    print(f"{'run':<20} {'seconds':>9} {'posts/s':>9} {'ms/post':>9} {'client MB':>10}")
    for name, run in runs.items():
        print(
            f"{name:<20} {run['seconds']:9.1f} {files / run['seconds']:9.1f} "
            f"{1000 * run['seconds'] / files:9.2f} {run['peak_rss_mb']:10.0f}"
        )
    speedup = one["seconds"] / two["seconds"]
    versus = two["seconds"] / local["seconds"]
    print(f"2 workers over 1: {speedup:.2f}x (target >= 1.7)")
    print(f"cluster (2 workers) time per post over local -j 2: {versus:.2f} (target <= 1.25)")
    assert one["duplicates"] == two["duplicates"] == local["duplicates"]
    return {"runs": runs, "speedup_2_over_1": speedup, "cluster_over_local": versus}


def memory(sizes: list[int], workdir: Path, small: bool) -> Json:
    cluster = Cluster(2)
    runs: Json = {}
    try:
        for size in sizes:
            corpus = make_corpus(workdir / f"{'small' if small else 'posts'}-{size}", size, small)
            runs[str(size)] = measure(corpus, workdir, jobs=2, scheduler=cluster.address)
    finally:
        cluster.close()
    base = runs[str(sizes[0])]["peak_rss_mb"]
    print(f"\nclient peak memory, 2 workers, load average {os.getloadavg()[0]:.2f} at the end")
    print(f"{'posts':>8} {'seconds':>9} {'client MB':>10} {'ratio':>7}")
    for size, run in runs.items():
        print(f"{size:>8} {run['seconds']:9.1f} {run['peak_rss_mb']:10.0f} {run['peak_rss_mb'] / base:7.2f}")
    return {"runs": runs, "ratio": runs[str(sizes[-1])]["peak_rss_mb"] / base}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, help="an existing corpus for the throughput runs")
    parser.add_argument("--memory", default="10000,100000", help="sizes for client memory ('' to skip)")
    parser.add_argument("--small", action="store_true", help="short posts for the memory runs")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="cleaner-cluster-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results: Json = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    if not args.skip_throughput:
        corpus = args.corpus or make_corpus(workdir / f"posts-{args.posts}", args.posts, small=False)
        results["throughput"] = throughput(corpus, workdir)
    if args.memory:
        sizes = [int(size) for size in args.memory.split(",")]
        results["memory"] = memory(sizes, workdir, args.small)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
