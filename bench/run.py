"""Throughput, memory, stage split and linear growth of ``cleaner`` on synthetic corpora.

    python bench/run.py [--sizes 1000,10000] [--corpus DIR] [--jobs 1,2] [--json bench/results/latest.json]
                        [--compare OLD.json] [--workdir DIR] [--keep] [--no-cli] [--no-dedup]
                        [--no-report]

For each size N a corpus is generated (``bench/generate.py``) into a temporary folder, or reused with
``--corpus``. Every measurement then runs in a fresh subprocess (``run.py --child KIND``), so that
imports, caches and peak memory of one run never leak into the next; the child reports its own peak
RSS and that of its children (``resource.getrusage``). Between measurements the page cache is flushed
to disk (``os.sync``) and output folders are removed, untimed.

Measured, per N:

* the I/O floor: walk the corpus, read each file's bytes and write them into an empty folder;
* ``cleaner.pipeline.run`` into an empty out folder with each ``--jobs`` value: posts/s, MB/s, the
  ratio of its time to the floor's, and the speedup of the largest ``--jobs`` over ``--jobs 1``;
* the CLI, ``cleaner clean CORPUS --out DIR -j J -q`` (J the largest ``--jobs``), end to end;
* ``cleaner report CORPUS --format jsonl -j J``, end to end, its output discarded;
* the cross-file duplicate pass on its own (fingerprints, then LSH candidates verified; ``clean``
  runs it too): time, and the copies it finds against the copies the generator planted;
* the stage split: cProfile over a sample of posts, self time charged to the stage module it ran in
  (time in helpers, the standard library and C extensions goes to the stage that called it).

Then the per-post time of the single-process run at the largest N over the smallest (the linear
growth check, target at most 1.3). Everything is printed as tables and written as JSON, with machine
information, so that ``--compare OLD.json`` can print new/old ratios later.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import json
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import generate

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JSON = ROOT / "bench" / "results" / "latest.json"
SCHEMA = 1
GROWTH_TARGET = 1.3
SUFFIXES = (".md", ".markdown", ".txt")  # cleaner's default --include

# Stage of each module of the package; helpers (patterns, model, options) pass their time to the caller.
STAGE_OF_MODULE = {
    "read.py": "read",
    "decoding.py": "read",
    "frontmatter.py": "read",
    "errors.py": "read",
    "split.py": "split",
    "classify.py": "classify",
    "plan.py": "classify",
    "seams.py": "classify",
    "fragments.py": "classify",
    "stitch.py": "stitch",
    "write.py": "write",
    "pipeline.py": "pipeline",
    "dedup.py": "dedup",
    "discover.py": "discover",
    "report.py": "report",
    "evaluate.py": "evaluate",
    "cli.py": "cli",
}
PASS_THROUGH = {"patterns.py", "model.py", "options.py", "__init__.py"}
STAGE_ORDER = ["read", "split", "classify", "stitch", "repair", "write", "pipeline", "dedup", "other"]

Json = dict[str, Any]


# --- children: one measurement each ----------------------------------------------------------------------


def _rusage() -> Json:
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "rss_self_kb": me.ru_maxrss,  # KB on Linux
        "rss_children_kb": children.ru_maxrss,
        "cpu_self_s": round(me.ru_utime + me.ru_stime, 3),
        "cpu_children_s": round(children.ru_utime + children.ru_stime, 3),
    }


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (workers)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _corpus_files(src: Path) -> Iterator[tuple[Path, Path]]:
    """(path, path relative to ``src``) of every file cleaner would read: the same walk for everyone."""
    for folder, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(folder)
        for name in sorted(files):
            if not name.startswith(".") and name.endswith(SUFFIXES):
                path = base / name
                yield path, path.relative_to(src)


def child_floor(src: Path, dst: Path) -> Json:
    """Plain read and write of every file: what any tool that rewrites the corpus must pay."""
    files = size = 0
    cpu, start = _cpu(), time.perf_counter()
    made: set[Path] = set()
    for path, rel in _corpus_files(src):
        data = path.read_bytes()
        target = dst / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)
        files += 1
        size += len(data)
    return {"seconds": time.perf_counter() - start, "cpu_s": _cpu() - cpu, "files": files, "bytes": size}


def child_floor_atomic(src: Path, dst: Path) -> Json:
    """Read, then write with cleaner's own ``atomic_write`` (temporary file, fsync, rename, folder
    fsync): the floor for a tool that must never leave a half-written file."""
    from cleaner.write import atomic_write

    files = size = 0
    cpu, start = _cpu(), time.perf_counter()
    for path, rel in _corpus_files(src):
        data = path.read_bytes()
        atomic_write(dst / rel, data)
        files += 1
        size += len(data)
    return {"seconds": time.perf_counter() - start, "cpu_s": _cpu() - cpu, "files": files, "bytes": size}


def child_clean(src: Path, dst: Path, jobs: int) -> Json:
    """``cleaner.pipeline.run`` over the corpus into ``dst``, as the CLI drives it (without the CLI)."""
    from cleaner.discover import Source, iter_files
    from cleaner.options import Options
    from cleaner.pipeline import Destination, run

    options = Options()
    cpu, start = _cpu(), time.perf_counter()
    sources = [s for s in iter_files([src], options, [dst]) if isinstance(s, Source)]
    listed = time.perf_counter() - start
    changed = errors = findings = 0
    # as ``cleaner clean --out`` without ``--log``: findings are counted, their text stays in the worker
    for outcome in run(sources, options, Destination(out_dir=dst, record=False), jobs=jobs):
        result = outcome.result
        changed += result.changed
        errors += result.error is not None
        findings += len(result.findings)
    return {
        "seconds": time.perf_counter() - start,
        "cpu_s": _cpu() - cpu,
        "list_seconds": listed,
        "files": len(sources),
        "changed": changed,
        "errors": errors,
        "findings": findings,
    }


def child_cli(src: Path, dst: Path, jobs: int) -> Json:
    """``cleaner clean SRC --out DST -j JOBS -q`` as a user runs it; its peak RSS is our children's."""
    command = [*_cleaner_command(), "clean", str(src), "--out", str(dst), "-j", str(jobs), "-q"]
    cpu, start = _cpu(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return {
        "seconds": time.perf_counter() - start,
        "cpu_s": _cpu() - cpu,
        "returncode": done.returncode,
        "stderr": done.stderr[-2000:],
        "files": sum(1 for _ in _corpus_files(dst)),
    }


def child_report(src: Path, jobs: int) -> Json:
    """``cleaner report SRC --format jsonl -j JOBS`` as a user runs it, its output thrown away."""
    command = [*_cleaner_command(), "report", str(src), "--format", "jsonl", "-j", str(jobs)]
    cpu, start = _cpu(), time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    return {
        "seconds": time.perf_counter() - start,
        "cpu_s": _cpu() - cpu,
        "returncode": done.returncode,
        "stderr": done.stderr[-2000:],
    }


def _cleaner_command() -> list[str]:
    script = Path(sys.executable).with_name("cleaner")
    if script.exists():
        return [str(script)]
    found = shutil.which("cleaner")
    if found:
        return [found]
    return [sys.executable, "-c", "from cleaner.cli import main; main()"]


def child_dedup(src: Path, jobs: int) -> Json:
    """The cross-file duplicate pass: fingerprints while cleaning (no output), then grouping."""
    from cleaner.run import DUPLICATES, Event, Request, Started, execute

    cpu, start = _cpu(), time.perf_counter()
    marks: list[float] = []

    def mark(event: Event) -> None:
        if isinstance(event, Started) and event.stage == DUPLICATES and not marks:
            marks.append(time.perf_counter() - start)

    # clean --check keeps one file per article: fingerprints while cleaning, nothing written
    report = execute(Request("clean", (src,), check=True, jobs=jobs), mark)
    groups, findings = report.groups, report.duplicates
    first = marks[0] if marks else time.perf_counter() - start
    second = time.perf_counter() - start - first
    return {
        "seconds": first + second,
        "cpu_s": _cpu() - cpu,
        "pass1_seconds": first,
        "pass2_seconds": second,
        "files": report.sources,
        "groups": len(groups),
        "members": len(findings),
    }


def child_profile(src: Path, dst: Path, sample: int) -> Json:
    """cProfile over ``sample`` posts spread evenly over the corpus; self time charged to stages."""
    import cleaner
    from cleaner.discover import Source, iter_files
    from cleaner.options import Options
    from cleaner.pipeline import Destination, process

    options = Options()
    sources = [s for s in iter_files([src], options, [dst]) if isinstance(s, Source)]
    step = max(1, len(sources) // max(1, sample))
    chosen = sources[::step][:sample]
    destination = Destination(out_dir=dst)
    for source in chosen[:3]:  # warm up imports and regex caches outside the profile
        process(source, options, destination)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for source in chosen:
        process(source, options, destination)
    profiler.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    package = Path(cleaner.__file__).resolve().parent
    stages, top = attribute_stages(stats, package)
    return {"posts": len(chosen), "seconds": wall, "stages": stages, "top": top}


# --- stage attribution -----------------------------------------------------------------------------------

FuncKey = tuple[str, int, str]


def stage_of(filename: str, package: Path) -> str | None:
    """The stage a source file belongs to, or None for code outside the stages (helpers included)."""
    if filename.startswith(("~", "<")):
        return None
    try:
        rel = Path(filename).resolve().relative_to(package)
    except ValueError:
        return None
    if rel.parts[0] == "repair":
        return "repair"
    if rel.parts[0] == "repeats":
        return "classify"
    if rel.name in PASS_THROUGH:
        return None
    return STAGE_OF_MODULE.get(rel.name, rel.stem)


def attribute_stages(stats: dict[FuncKey, Any], package: Path) -> tuple[dict[str, float], list[Json]]:
    """Seconds per stage, and the functions with the most self time.

    Self time of a function in a stage module counts for that stage. Self time elsewhere (regex,
    rapidfuzz, str methods, helpers) is split over its callers in proportion to the time each caller
    spent in it, and so on up the call graph until a stage function is reached.
    """
    memo: dict[FuncKey, dict[str, float]] = {}

    def shares(func: FuncKey) -> dict[str, float]:
        stage = stage_of(func[0], package)
        if stage is not None:
            return {stage: 1.0}
        if func in memo:
            return memo[func]
        memo[func] = {"other": 1.0}  # guards recursion; replaced below
        callers = stats[func][4] if func in stats else {}
        total = sum(edge[3] for edge in callers.values())
        if total <= 0:
            return memo[func]
        result: dict[str, float] = defaultdict(float)
        for caller, edge in callers.items():
            for name, share in shares(caller).items():
                result[name] += share * edge[3] / total
        memo[func] = dict(result)
        return memo[func]

    seconds: dict[str, float] = defaultdict(float)
    for func, (_cc, _nc, tt, _ct, callers) in stats.items():
        if tt <= 0:
            continue
        stage = stage_of(func[0], package)
        if stage is not None:
            seconds[stage] += tt
            continue
        total = sum(edge[2] for edge in callers.values())
        if total <= 0:
            seconds["other"] += tt
            continue
        for caller, edge in callers.items():
            for name, share in shares(caller).items():
                seconds[name] += tt * share * edge[2] / total
    everything = sum(seconds.values()) or 1.0
    ranked = sorted(stats.items(), key=lambda item: -item[1][2])[:12]
    top = [
        {
            "function": f"{_short(func[0], package)}:{func[1]}({func[2]})",
            "self_s": round(values[2], 4),
            "percent": round(100 * values[2] / everything, 1),
            "calls": values[1],
        }
        for func, values in ranked
    ]
    return dict(seconds), top


def _short(filename: str, package: Path) -> str:
    with contextlib.suppress(ValueError):
        return "cleaner/" + Path(filename).resolve().relative_to(package).as_posix()
    if filename.startswith(("~", "<")):
        return filename
    return Path(filename).name


def child_main(args: argparse.Namespace) -> int:
    src, dst = Path(args.src), Path(args.dst) if args.dst else None
    kind = args.child
    if kind == "floor" and dst is not None:
        result = child_floor(src, dst)
    elif kind == "floor_atomic" and dst is not None:
        result = child_floor_atomic(src, dst)
    elif kind == "clean" and dst is not None:
        result = child_clean(src, dst, args.jobs_n)
    elif kind == "cli" and dst is not None:
        result = child_cli(src, dst, args.jobs_n)
    elif kind == "dedup":
        result = child_dedup(src, args.jobs_n)
    elif kind == "report":
        result = child_report(src, args.jobs_n)
    elif kind == "profile" and dst is not None:
        result = child_profile(src, dst, args.sample)
    else:
        print(f"unknown child measurement {kind!r} or missing --dst", file=sys.stderr)
        return 2
    result.update(_rusage())
    print(json.dumps(result))
    return 0


# --- the parent: orchestration ---------------------------------------------------------------------------


def spawn(kind: str, src: Path, dst: Path | None, *, jobs: int = 1, sample: int = 0) -> Json:
    """Run one measurement in a fresh interpreter and return what it reported."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--src", str(src)]
    if dst is not None:
        command += ["--dst", str(dst)]
    command += ["--jobs-n", str(jobs), "--sample", str(sample)]
    load = os.getloadavg()[0]
    busy, start = _machine_busy(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    wall, busy = time.perf_counter() - start, _machine_busy() - busy
    if done.returncode != 0:
        raise RuntimeError(f"child {kind} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    result: Json = json.loads(lines[-1])
    result["load_before"] = load
    # CPU the rest of the machine used meanwhile, as a share of all CPUs: other work skews timings
    ours = result["cpu_self_s"] + result["cpu_children_s"]
    result["others_cpu_percent"] = max(0.0, 100 * (busy - ours) / (wall * (os.cpu_count() or 1)))
    return result


def _machine_busy() -> float:
    """CPU seconds all processes of the machine have used since boot (from /proc/stat; 0 elsewhere)."""
    with contextlib.suppress(OSError, ValueError, IndexError), open("/proc/stat", encoding="ascii") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")
    return 0.0


def settle(*folders: Path) -> None:
    """Remove output folders and flush dirty pages, so that the next timing starts from the same state."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    os.sync()


def machine_info(workdir: Path) -> Json:
    commit = dirty = None
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
    import cleaner

    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": _cpu_model(),
        "memory_gb": _memory_gb(),
        "git_commit": commit,
        "git_dirty": dirty,
        "cleaner_version": getattr(cleaner, "__version__", None),
        "workdir": str(workdir),
        "workdir_fs": _filesystem(workdir),
    }


def _cpu_model() -> str | None:
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or None


def _memory_gb() -> float | None:
    with contextlib.suppress(OSError, ValueError), open("/proc/meminfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return None


def _filesystem(path: Path) -> str | None:
    """The file system type of ``path`` (from /proc/mounts), e.g. ext4 or tmpfs."""
    best, kind = "", None
    real = str(path.resolve())
    with contextlib.suppress(OSError), open("/proc/mounts", encoding="utf-8") as mounts:
        for line in mounts:
            parts = line.split()
            inside = len(parts) >= 3 and (real == parts[1] or real.startswith(parts[1].rstrip("/") + "/"))
            if inside and len(parts[1]) > len(best):
                best, kind = parts[1], parts[2]
    return kind


def corpus_size(src: Path) -> tuple[int, int]:
    files = size = 0
    for path, _ in _corpus_files(src):
        files += 1
        size += path.stat().st_size
    return files, size


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_size(
    n: int | None, corpus: Path | None, scratch: Path, args: argparse.Namespace, jobs_list: list[int]
) -> Json:
    """Every measurement for one corpus; generates it first unless it exists."""
    entry: Json = {}
    if corpus is not None and any(_corpus_files(corpus)):
        src = corpus
        entry["generated"] = None
        entry["corpus_info"] = generate.read_info(corpus)
        log(f"reusing corpus {corpus}")
    else:
        src = corpus if corpus is not None else scratch / f"corpus-{n}"
        log(f"generating {n} posts into {src} …")
        info = generate.generate(src, n or 0, seed=args.seed, lang=args.lang)
        entry["generated"] = {"seconds": info["seconds"], "posts_per_s": info["posts_per_s"]}
        entry["corpus_info"] = generate.read_info(src)
    files, size = corpus_size(src)
    entry.update({"n": files, "bytes": size, "corpus": str(src)})
    out = scratch / "out"
    settle(out)
    log(f"  [{files} posts, {size / 1e6:.1f} MB] I/O floor …")
    entry["floor"] = spawn("floor", src, out)
    settle(out)
    log("  I/O floor with atomic writes …")
    entry["floor_atomic"] = spawn("floor_atomic", src, out)
    settle(out)
    entry["clean"] = {}
    for jobs in jobs_list:
        log(f"  clean, pipeline.run jobs={jobs} …")
        entry["clean"][str(jobs)] = spawn("clean", src, out, jobs=jobs)
        settle(out)
    top_jobs = max(jobs_list)
    if not args.no_cli:
        log(f"  cleaner clean -j {top_jobs} (CLI) …")
        entry["cli"] = spawn("cli", src, out, jobs=top_jobs)
        entry["cli"]["jobs"] = top_jobs
        settle(out)
    if not args.no_report:
        log(f"  cleaner report -j {top_jobs} (CLI) …")
        entry["report"] = spawn("report", src, None, jobs=top_jobs)
        entry["report"]["jobs"] = top_jobs
        settle(out)
    if not args.no_dedup:
        log(f"  duplicate pass, jobs={top_jobs} …")
        entry["dedup"] = spawn("dedup", src, None, jobs=top_jobs)
        entry["dedup"]["jobs"] = top_jobs
        os.sync()
    return entry


def derive(entry: Json) -> None:
    """Rates and ratios from the raw seconds, stored beside them."""
    n, size = entry["n"], entry["bytes"]
    floor = entry["floor"]
    atomic = entry.get("floor_atomic")
    for f in (floor, atomic):
        if f is not None:
            f["posts_per_s"] = n / f["seconds"]
            f["ms_per_post"] = 1000 * f["seconds"] / n
    for run in entry["clean"].values():
        run["posts_per_s"] = n / run["seconds"]
        run["mb_per_s"] = size / 1e6 / run["seconds"]
        run["ms_per_post"] = 1000 * run["seconds"] / n
        run["cpu_ms_per_post"] = 1000 * run["cpu_s"] / n
        run["x_floor"] = run["seconds"] / floor["seconds"]
        if atomic is not None:
            run["x_atomic_floor"] = run["seconds"] / atomic["seconds"]
        run["rss_mb"] = run["rss_self_kb"] / 1024
        run["rss_workers_mb"] = run["rss_children_kb"] / 1024
    runs = entry["clean"]
    if "1" in runs and len(runs) > 1:
        top = max(runs, key=int)
        entry["speedup"] = {"jobs": int(top), "x": runs["1"]["seconds"] / runs[top]["seconds"]}
    if "cli" in entry:
        cli = entry["cli"]
        cli["posts_per_s"] = n / cli["seconds"]
        cli["x_floor"] = cli["seconds"] / floor["seconds"]
        cli["cpu_ms_per_post"] = 1000 * cli["cpu_s"] / n  # includes the CLI's start-up
        cli["rss_mb"] = cli["rss_children_kb"] / 1024
    if "report" in entry:
        rep = entry["report"]
        rep["posts_per_s"] = n / rep["seconds"]
        rep["ms_per_post"] = 1000 * rep["seconds"] / n
        rep["x_floor"] = rep["seconds"] / floor["seconds"]
        rep["cpu_ms_per_post"] = 1000 * rep["cpu_s"] / n
        rep["rss_mb"] = rep["rss_children_kb"] / 1024
    if "dedup" in entry:
        info = entry.get("corpus_info") or {}
        stats = info.get("stats", {}) if isinstance(info, dict) else {}
        planted = int(stats.get("duplicate_exact", 0)) + int(stats.get("duplicate_edited", 0))
        entry["dedup"]["planted_copies"] = planted if info else None


# --- printing --------------------------------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([line, rule, *body])


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def report(results: Json) -> str:
    sizes: list[Json] = results["sizes"]
    out: list[str] = []
    m = results["machine"]
    out.append(
        f"cleaner {m['cleaner_version']} @ {str(m['git_commit'])[:10]}{' (dirty)' if m['git_dirty'] else ''}"
        f" | Python {m['python']} | {m['cpu_count']} CPU ({m['cpu_model']}) | {m['memory_gb']} GB"
        f" | workdir {m['workdir']} ({m['workdir_fs']}) | {m['date']}"
    )
    out.append("")
    rows = []
    for e in sizes:
        gen = e.get("generated") or {}
        atomic = e.get("floor_atomic") or {}
        rows.append(
            [
                f"{e['n']:,}",
                fmt(e["bytes"] / 1e6),
                fmt(gen.get("posts_per_s")),
                fmt(e["floor"]["posts_per_s"]),
                fmt(e["floor"]["ms_per_post"], 2),
                fmt(atomic.get("posts_per_s")),
                fmt(atomic.get("ms_per_post"), 2),
            ]
        )
    out.append(
        "corpus and I/O floor (plain read + write of the same files; atomic: with cleaner's atomic_write)"
    )
    out.append(
        table(
            [
                "posts",
                "MB",
                "generated/s",
                "floor posts/s",
                "floor ms/post",
                "atomic posts/s",
                "atomic ms/post",
            ],
            rows,
        )
    )
    out.append("")
    rows = []
    for e in sizes:
        for jobs, r in sorted(e["clean"].items(), key=lambda kv: int(kv[0])):
            rows.append(
                [
                    f"{e['n']:,}",
                    f"pipeline.run -j{jobs}",
                    fmt(r["posts_per_s"]),
                    fmt(r["mb_per_s"], 2),
                    fmt(r["ms_per_post"], 2),
                    fmt(r.get("cpu_ms_per_post"), 2),
                    fmt(r["x_floor"]),
                    fmt(r.get("x_atomic_floor")),
                    fmt(r["rss_mb"]),
                    fmt(r["rss_workers_mb"]) if int(jobs) > 1 else "-",
                    f"{100 * r['changed'] / max(1, r['files']):.0f}%",
                    str(r["errors"]),
                    fmt(r.get("others_cpu_percent"), 0) + "%",
                ]
            )
        if "cli" in e:
            c = e["cli"]
            rows.append(
                [
                    f"{e['n']:,}",
                    f"cleaner clean -j{c['jobs']}",
                    fmt(c["posts_per_s"]),
                    fmt(e["bytes"] / 1e6 / c["seconds"], 2),
                    fmt(1000 * c["seconds"] / e["n"], 2),
                    fmt(c.get("cpu_ms_per_post"), 2),
                    fmt(c["x_floor"]),
                    "",
                    fmt(c["rss_mb"]),
                    "",
                    "",
                    f"rc={c['returncode']}",
                    fmt(c.get("others_cpu_percent"), 0) + "%",
                ]
            )
        if "report" in e:
            c = e["report"]
            rows.append(
                [
                    f"{e['n']:,}",
                    f"cleaner report -j{c['jobs']}",
                    fmt(c["posts_per_s"]),
                    fmt(e["bytes"] / 1e6 / c["seconds"], 2),
                    fmt(c["ms_per_post"], 2),
                    fmt(c.get("cpu_ms_per_post"), 2),
                    fmt(c["x_floor"]),
                    "",
                    fmt(c["rss_mb"]),
                    "",
                    "",
                    f"rc={c['returncode']}",
                    fmt(c.get("others_cpu_percent"), 0) + "%",
                ]
            )
    out.append(
        "cleaning: ms/post is wall time, cpu ms/post all processes' CPU time; x floor = time / floor time;\n"
        "RSS = peak of the main process and of the largest worker (CLI: its largest process); others = CPU\n"
        "the rest of the machine used meanwhile, as a share of all CPUs (above a few % skews the timing)"
    )
    out.append(
        table(
            [
                "posts",
                "run",
                "posts/s",
                "MB/s",
                "ms/post",
                "cpu ms/post",
                "x floor",
                "x atomic",
                "RSS MB",
                "worker MB",
                "changed",
                "errors",
                "others",
            ],
            rows,
        )
    )
    speed = [
        f"{e['n']:,}: x{e['speedup']['x']:.2f} (-j{e['speedup']['jobs']} vs -j1)"
        for e in sizes
        if "speedup" in e
    ]
    if speed:
        out.append("speedup  " + "   ".join(speed))
    dedup = [e for e in sizes if "dedup" in e]
    if dedup:
        out.append("")
        out.append(
            "cross-file duplicates alone (fingerprints while cleaning, no output, then LSH + rapidfuzz)"
        )
        out.append(
            table(
                [
                    "posts",
                    "jobs",
                    "pass 1 s",
                    "pass 2 s",
                    "posts/s",
                    "groups",
                    "copies found",
                    "copies planted",
                ],
                [
                    [
                        f"{e['n']:,}",
                        str(e["dedup"]["jobs"]),
                        fmt(e["dedup"]["pass1_seconds"], 2),
                        fmt(e["dedup"]["pass2_seconds"], 2),
                        fmt(e["n"] / e["dedup"]["seconds"]),
                        str(e["dedup"]["groups"]),
                        str(e["dedup"]["members"]),
                        str(e["dedup"].get("planted_copies", "-")),
                    ]
                    for e in dedup
                ],
            )
        )
    growth = results.get("growth")
    if growth:
        out.append("")
        per = "   ".join(f"{int(n):,}: {ms:.2f} ms" for n, ms in growth["ms_per_post"].items())
        verdict = "ok" if growth["ratio"] <= GROWTH_TARGET else "OVER TARGET"
        out.append(
            f"linear growth (-j{growth.get('jobs', 1)} wall time per post)  {per}"
            f"   largest/smallest {growth['ratio']:.2f}"
            f"  (target <= {GROWTH_TARGET}: {verdict})"
        )
        if "cpu_ratio" in growth:
            out.append(f"  the same in CPU time per post: {growth['cpu_ratio']:.2f}")
    prof = results.get("profile")
    if prof:
        out.append("")
        total = sum(prof["stages"].values()) or 1.0
        names = [s for s in STAGE_ORDER if s in prof["stages"]]
        names += sorted(s for s in prof["stages"] if s not in STAGE_ORDER)
        out.append(
            f"time by stage (cProfile, {prof['posts']} posts of the {prof['corpus_n']:,}-post corpus, "
            f"{1000 * prof['seconds'] / max(1, prof['posts']):.1f} ms/post under the profiler)"
        )
        out.append(
            table(
                ["stage", "seconds", "percent"],
                [[s, fmt(prof["stages"][s], 3), f"{100 * prof['stages'][s] / total:.1f}%"] for s in names],
            )
        )
        out.append("")
        out.append("functions with the most self time")
        out.append(
            table(
                ["function", "self s", "percent", "calls"],
                [
                    [t["function"][-70:], fmt(t["self_s"], 3), f"{t['percent']}%", f"{t['calls']:,}"]
                    for t in prof["top"]
                ],
            )
        )
    return "\n".join(out)


# --- comparison ------------------------------------------------------------------------------------------

COMPARED: list[tuple[str, Callable[[Json], float | None], bool]] = [
    ("floor posts/s", lambda e: e["floor"].get("posts_per_s"), True),
    ("clean -j1 posts/s", lambda e: e["clean"].get("1", {}).get("posts_per_s"), True),
    ("clean -j1 ms/post", lambda e: e["clean"].get("1", {}).get("ms_per_post"), False),
    ("clean -j1 cpu ms/post", lambda e: e["clean"].get("1", {}).get("cpu_ms_per_post"), False),
    ("clean -j1 x floor", lambda e: e["clean"].get("1", {}).get("x_floor"), False),
    ("clean -j1 RSS MB", lambda e: e["clean"].get("1", {}).get("rss_mb"), False),
    ("clean -j2 posts/s", lambda e: e["clean"].get("2", {}).get("posts_per_s"), True),
    ("speedup", lambda e: e.get("speedup", {}).get("x"), True),
    ("cli posts/s", lambda e: e.get("cli", {}).get("posts_per_s"), True),
    ("cli RSS MB", lambda e: e.get("cli", {}).get("rss_mb"), False),
]


def compare(new: Json, old: Json) -> str:
    old_by_n = {e["n"]: e for e in old.get("sizes", [])}
    rows = []
    for e in new["sizes"]:
        before = old_by_n.get(e["n"])
        if before is None:
            continue
        for name, get, higher_better in COMPARED:
            try:
                a, b = get(e), get(before)
            except (KeyError, TypeError):
                continue
            if a is None or b is None or not b:
                continue
            ratio = a / b
            better = ratio > 1.05 if higher_better else ratio < 0.95
            worse = ratio < 0.95 if higher_better else ratio > 1.05
            rows.append(
                [
                    f"{e['n']:,}",
                    name,
                    fmt(b, 2),
                    fmt(a, 2),
                    f"{ratio:.2f}",
                    "better" if better else ("WORSE" if worse else ""),
                ]
            )
    if not rows:
        return "compare: no corpus size in common with the old results"
    head = (
        f"compared with {old.get('machine', {}).get('git_commit', '?')!s:.10} of "
        f"{old.get('machine', {}).get('date', '?')} (timings vary ±30% from run to run)"
    )
    return head + "\n" + table(["posts", "metric", "old", "new", "new/old", ""], rows)


# --- main ------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark cleaner on synthetic corpora.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sizes", default="1000,10000", help="corpus sizes, comma-separated (default 1000,10000)"
    )
    parser.add_argument("--corpus", type=Path, help="reuse this corpus (generated there first if empty)")
    parser.add_argument("--jobs", default="1,2", help="--jobs values of the library run (default 1,2)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lang", choices=("mix", "ja", "en"), default="mix")
    parser.add_argument("--sample", type=int, default=200, help="posts profiled for the stage split (200)")
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"results file (default {DEFAULT_JSON})"
    )
    parser.add_argument("--compare", type=Path, help="print new/old ratios against an earlier results file")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()), help="where corpora go")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI run")
    parser.add_argument("--no-dedup", action="store_true", help="skip the duplicate pass")
    parser.add_argument("--no-report", action="store_true", help="skip cleaner report (the CLI)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--src", help=argparse.SUPPRESS)
    parser.add_argument("--dst", help=argparse.SUPPRESS)
    parser.add_argument("--jobs-n", type=int, default=1, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child_main(args)
    sizes = [int(x) for x in args.sizes.replace("_", "").split(",") if x.strip()]
    jobs_list = sorted({int(x) for x in args.jobs.split(",") if x.strip()})
    if args.corpus is not None:
        sizes = sizes[:1]
    old = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    args.workdir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="cleaner-bench-", dir=args.workdir))
    results: Json = {"schema": SCHEMA, "machine": machine_info(scratch), "sizes": []}
    results["settings"] = {"sizes": sizes, "jobs": jobs_list, "seed": args.seed, "lang": args.lang}
    try:
        for n in sizes:
            corpus = args.corpus.resolve() if args.corpus is not None else None
            entry = measure_size(n, corpus, scratch, args, jobs_list)
            derive(entry)
            results["sizes"].append(entry)
            if "profile" not in results and args.sample > 0:
                log(f"  profile of {args.sample} posts …")
                prof = spawn("profile", Path(entry["corpus"]), scratch / "out", sample=args.sample)
                prof["corpus_n"] = entry["n"]
                results["profile"] = prof
                settle(scratch / "out")
            if not args.keep and corpus is None:
                settle(Path(entry["corpus"]))
    finally:
        if args.keep:
            log(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    # growth at the smallest --jobs value measured at every size (-j1 unless a run left it out)
    common = set.intersection(*(set(e["clean"]) for e in results["sizes"])) if results["sizes"] else set()
    growth_jobs = min(common, key=int) if common else None
    singles = [e for e in results["sizes"] if growth_jobs in e["clean"]]
    per_post = {str(e["n"]): e["clean"][growth_jobs]["ms_per_post"] for e in singles}
    cpu_per_post = {str(e["n"]): e["clean"][growth_jobs]["cpu_ms_per_post"] for e in singles}
    if len(per_post) >= 2:
        ns = sorted(per_post, key=int)
        results["growth"] = {
            "jobs": int(growth_jobs) if growth_jobs else None,
            "ms_per_post": per_post,
            "cpu_ms_per_post": cpu_per_post,
            "ratio": per_post[ns[-1]] / per_post[ns[0]],
            "cpu_ratio": cpu_per_post[ns[-1]] / cpu_per_post[ns[0]],
            "target": GROWTH_TARGET,
        }
    print(report(results))
    if old is not None:
        print()
        print(compare(results, old))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    temp = args.json.with_name(args.json.name + ".tmp")
    temp.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    temp.replace(args.json)
    print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
