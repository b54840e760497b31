"""A/B speed of ``clean_bytes`` between two commits, interleaved in one process.

    python bench/ab.py OLD_REV NEW_REV [--rounds 8] [--corpus DIR ...]

Both commits' ``cleaner`` packages are extracted from git (``git archive``) into a temporary folder
under other names (``cleaner_a``, ``cleaner_b``: the imports inside are renamed) and loaded side by
side. Each round cleans every post with both, the order alternating post by post, and adds up the CPU
time of each: whatever the machine does meanwhile (other processes, frequency changes) hits both
alike, so the ratio holds to about 1% where whole runs drift by 30%. Prints each round's ms/post and
the median ratio B/A (below 1: B is faster), and on how many posts the outputs and the findings differ.

``compare_key``'s cache is emptied before each post, so a post is never cleaned with keys a previous
round left behind (a real run sees each post once).
"""

from __future__ import annotations

import argparse
import importlib
import io
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_CORPORA = (SHARED / "corpus-sample", SHARED / "corpus-sample-v2")
_IMPORT = re.compile(r"\b(from|import) cleaner(\.|\b)")


def extract(rev: str, name: str, into: Path) -> None:
    """``rev``'s ``cleaner/`` as the package ``name`` under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, "cleaner"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into / "src", filter="data")
    (into / "src" / "cleaner").rename(into / name)
    for path in (into / name).rglob("*.py"):
        path.write_text(_IMPORT.sub(rf"\1 {name}\2", path.read_text(encoding="utf-8")), encoding="utf-8")


def _clearer(package: str) -> Callable[[], None]:
    patterns = sys.modules.get(f"{package}.patterns")
    cached = getattr(patterns, "_cached_key", None)
    clear = getattr(cached, "cache_clear", None)
    return clear if callable(clear) else (lambda: None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", help="commit A (e.g. main)")
    parser.add_argument("new", help="commit B (e.g. HEAD)")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--corpus", type=Path, action="append", help="a folder of posts (repeatable)")
    args = parser.parse_args(argv)
    corpora = args.corpus or [c for c in DEFAULT_CORPORA if c.is_dir()]
    files = sorted(p for corpus in corpora for p in corpus.glob("*.md"))
    if not files:
        print("no posts found: pass --corpus DIR (the default is ../shared/corpus-sample*)")
        return 0
    datas = [p.read_bytes() for p in files]
    with tempfile.TemporaryDirectory() as tmp:
        for rev, name in ((args.old, "cleaner_a"), (args.new, "cleaner_b")):
            extract(rev, name, Path(tmp))
        sys.path.insert(0, tmp)
        a: ModuleType = importlib.import_module("cleaner_a.pipeline")
        b: ModuleType = importlib.import_module("cleaner_b.pipeline")
        clear = {a: _clearer("cleaner_a"), b: _clearer("cleaner_b")}
        # (also warms both up) findings compared by repr: the two packages' classes are not the same
        pairs = [(a.clean_bytes(d), b.clean_bytes(d)) for d in datas]
        outputs = sum(x[0] != y[0] for x, y in pairs)
        findings = sum(repr(x[1]) != repr(y[1]) for x, y in pairs)
        print(f"{len(datas)} posts; outputs differ on {outputs}, findings on {findings}")
        ratios = []
        for r in range(args.rounds):
            spent = {a: 0.0, b: 0.0}
            for i, data in enumerate(datas):
                for engine in (a, b) if (i + r) % 2 == 0 else (b, a):
                    clear[engine]()
                    start = time.process_time()
                    engine.clean_bytes(data)
                    spent[engine] += time.process_time() - start
            ratios.append(spent[b] / spent[a])
            per = {k: v / len(datas) * 1000 for k, v in spent.items()}
            print(f"round {r}: A {per[a]:.2f} ms/post, B {per[b]:.2f} ms/post, B/A {ratios[-1]:.3f}")
    print(f"median B/A over {args.rounds} rounds: {statistics.median(ratios):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
