"""Pathological inputs: how long ``cleaner.clean_bytes`` takes on each, and whether it stays in bounds.

    python bench/hostile.py [--big] [--only NAME[,NAME]] [--timeout S] [--json FILE]

Each case is built in memory and cleaned in a fresh subprocess (so that a runaway case can be stopped
at ``--timeout`` and its peak memory measured alone). Printed: input size, seconds, seconds per MB,
peak RSS, output size, findings, and OVER when a case exceeds its bound. This is a benchmark, not a
test: nothing here fails the suite, but an OVER line is a defect to report.

Cases (``--big`` adds the slow ones):

* ``blocks_10k``: 10,000 continuation blocks, each a short new paragraph (bound 5 s);
* ``near_identical_3k``: 3,000 paragraphs that differ by one word each, spread over 10 blocks (bound 5 s);
* ``paragraph_1mb``: one paragraph (one line) of 1 MB of distinct sentences, then a marker;
* ``run_1mb``: one line of 1 MB of the same character (``あ``), then a marker;
* ``markers_10k``: 10,000 marker lines and nothing else of note;
* ``inline_markers_10k``: one line with 10,000 inline markers between short phrases;
* ``short_lines_100k``: 100,000 identical short lines (legitimate repetition) around a marker;
* ``single_line_50mb`` (``--big``): one 50 MB line of distinct sentences, no marker.

Cases without an explicit bound are held to ``--per-mb`` seconds per MB of input (default 5).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import generate

FRONT = '---\nlayout: post\ntitle: "hostile input"\ndate: 2025-01-01 00:00:00 +0000\n---\n\n'
MARKER = "---END---"
MB = 1024 * 1024


def _language(code: str = "ja") -> generate.Language:
    return generate.build_language(code)


def _sentences(rng: random.Random, lang: generate.Language, count: int) -> list[str]:
    stems, tails = lang.stems, lang.tails
    return [
        stems[int(rng.random() * len(stems))] + tails[int(rng.random() * len(tails))] for _ in range(count)
    ]


def build_blocks_10k() -> str:
    rng = random.Random(1)
    lang = _language()
    parts = [f"{s}\n\n{MARKER}\n" for s in _sentences(rng, lang, 10_000)]
    return FRONT + "\n".join(parts)


def build_near_identical_3k() -> str:
    rng = random.Random(2)
    lang = _language()
    base = "".join(_sentences(rng, lang, 5))
    words = sorted({w for w in generate.JA_WORDS if w not in base})
    paragraphs = []
    for i in range(3000):
        at = 10 + (i * 37) % (len(base) - 20)
        word = words[i % len(words)] + str(i)  # one changed word, different in each paragraph
        paragraphs.append(base[:at] + word + base[at + 2 :])
    blocks = ["\n\n".join(paragraphs[b : b + 300]) for b in range(0, 3000, 300)]
    return FRONT + f"\n\n{MARKER}\n\n".join(blocks) + f"\n\n{MARKER}"


def _distinct_text(rng: random.Random, size_bytes: int) -> str:
    lang = _language()
    out: list[str] = []
    total = 0
    while total < size_bytes:
        chunk = "".join(_sentences(rng, lang, 200))
        out.append(chunk)
        total += len(chunk.encode("utf-8"))
    return "".join(out)


def build_paragraph_1mb() -> str:
    return FRONT + _distinct_text(random.Random(3), MB) + f"\n\n{MARKER}"


def build_run_1mb() -> str:
    return FRONT + "あ" * (MB // 3) + f"\n\n{MARKER}"


def build_markers_10k() -> str:
    return FRONT + "はじめに。\n\n" + f"{MARKER}\n" * 10_000 + "おわりに。\n"


def build_inline_markers_10k() -> str:
    rng = random.Random(4)
    lang = _language()
    phrases = [s[:12] for s in _sentences(rng, lang, 10_001)]
    return FRONT + f" {MARKER} ".join(phrases) + "\n"


def build_short_lines_100k() -> str:
    return FRONT + "はい。\n" * 50_000 + f"\n{MARKER}\n\n" + "はい。\n" * 50_000


def build_single_line_50mb() -> str:
    return FRONT + _distinct_text(random.Random(5), 50 * MB) + "\n"


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    build: Callable[[], str]
    bound: float | None  # seconds; None: held to --per-mb
    big: bool = False


CASES = [
    Case("blocks_10k", build_blocks_10k, 5.0),
    Case("near_identical_3k", build_near_identical_3k, 5.0),
    Case("paragraph_1mb", build_paragraph_1mb, None),
    Case("run_1mb", build_run_1mb, None),
    Case("markers_10k", build_markers_10k, None),
    Case("inline_markers_10k", build_inline_markers_10k, None),
    Case("short_lines_100k", build_short_lines_100k, None),
    Case("single_line_50mb", build_single_line_50mb, None, big=True),
]


def child(name: str) -> int:
    """Build the case, clean it once, print one JSON line."""
    from cleaner import clean_bytes

    case = next(c for c in CASES if c.name == name)
    data = case.build().encode("utf-8")
    clean_bytes(b"---\ntitle: warm\n---\n\nwarm up.\n\n---END---\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    out, findings = clean_bytes(data)
    seconds = time.perf_counter() - start
    result = {
        "seconds": seconds,
        "bytes": len(data),
        "out_bytes": len(out),
        "findings": len(findings),
        "rss_before_kb": before,
        "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    print(json.dumps(result))
    return 0


def run_case(case: Case, timeout: float) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", case.name]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"timeout": True}
    if done.returncode != 0:
        return {
            "error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"rc {done.returncode}"
        }
    line = [x for x in done.stdout.splitlines() if x.startswith("{")][-1]
    result: dict[str, Any] = json.loads(line)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cleaner on pathological inputs")
    parser.add_argument("--big", action="store_true", help="include the slow cases (50 MB line)")
    parser.add_argument("--only", help="comma-separated case names")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a case is stopped (300)")
    parser.add_argument("--per-mb", type=float, default=5.0, help="bound in s/MB for cases without one (5)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)
    chosen = [c for c in CASES if args.big or not c.big]
    if args.only:
        names = set(args.only.split(","))
        unknown = names - {c.name for c in CASES}
        if unknown:
            parser.error(f"unknown case(s): {', '.join(sorted(unknown))}")
        chosen = [c for c in CASES if c.name in names]
    header = (
        f"{'case':20} {'MB in':>7} {'seconds':>9} {'s/MB':>8} {'bound':>9} {'RSS MB':>8} {'MB out':>7} "
        f"{'findings':>9}"
    )
    print(header)
    print("-" * len(header))
    results: dict[str, dict[str, Any]] = {}
    over = 0
    for case in chosen:
        r = run_case(case, args.timeout)
        results[case.name] = r
        if "seconds" not in r:
            what = "TIMEOUT" if r.get("timeout") else f"ERROR {r.get('error')}"
            print(
                f"{case.name:20} {'':>7} {what}  (> {args.timeout:.0f} s)"
                if r.get("timeout")
                else f"{case.name:20} {what}"
            )
            over += 1
            continue
        mb = r["bytes"] / MB
        bound = case.bound if case.bound is not None else args.per_mb * max(mb, 0.2)
        flag = "OVER" if r["seconds"] > bound else ""
        over += bool(flag)
        r["bound"] = bound
        print(
            f"{case.name:20} {mb:7.2f} {r['seconds']:9.3f} {r['seconds'] / mb:8.3f} {bound:8.1f}s "
            f"{r['rss_kb'] / 1024:8.0f} {r['out_bytes'] / MB:7.2f} {r['findings']:9,} {flag}"
        )
    print()
    print(f"{over} case(s) over their bound" if over else "all cases within their bounds")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
