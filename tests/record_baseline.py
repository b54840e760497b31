"""Record (or check) the byte-identical baseline: sha256 of every output and of its findings.

For every golden case input, every seed and every file of ``../shared/corpus-sample`` and
``../shared/corpus-sample-v2`` this runs :func:`cleaner.clean_bytes` and writes one line
``<sha256 of output> <sha256 of findings> <name>`` to ``tests/data/baseline.sha256``. The findings are
serialised in order, each as its ``to_dict()`` *without* the ``rule`` key, so that naming the rules does
not change the checksum. Only checksums are stored, never text from ``../shared``.

    python tests/record_baseline.py          # re-record from the code as it is now
    python tests/record_baseline.py --check  # compare, print the names that differ
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BASELINE = ROOT / "tests" / "data" / "baseline.sha256"
CASES = ROOT / "fixtures" / "cases"
#: the folders of ../shared that are recorded, each under its own name
SHARED_PARTS = ("seeds", "corpus-sample", "corpus-sample-v2")


def inputs(shared: Path | None = SHARED) -> Iterator[tuple[str, Path]]:
    """``(name, path)`` of every recorded input; ../shared parts only when ``shared`` holds them."""
    for case in sorted(CASES.iterdir()):
        if (case / "input.md").is_file():
            yield f"cases/{case.name}", case / "input.md"
    if shared is None:
        return
    for part in SHARED_PARTS:
        folder = shared / part
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                yield f"{part}/{path.relative_to(folder).as_posix()}", path


def checksums(data: bytes) -> tuple[str, str]:
    """sha256 of the cleaned bytes and of the findings (without ``rule``), in order."""
    from cleaner import clean_bytes

    output, findings = clean_bytes(data)
    rows = []
    for finding in findings:
        row = finding.to_dict()
        row.pop("rule", None)
        rows.append(row)
    serial = json.dumps(rows, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(output).hexdigest(), hashlib.sha256(serial).hexdigest()


def load(path: Path = BASELINE) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out_sum, find_sum, name = line.split(" ", 2)
            out[name] = (out_sum, find_sum)
    return out


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    table = {name: checksums(path.read_bytes()) for name, path in inputs()}
    if "--check" in argv:
        recorded = load()
        bad = [name for name, sums in table.items() if recorded.get(name) != sums]
        for name in bad:
            print(f"differs: {name}")
        print(f"{len(table) - len(bad)}/{len(table)} identical")
        return 1 if bad else 0
    BASELINE.parent.mkdir(parents=True, exist_ok=True)
    BASELINE.write_text("".join(f"{o} {f} {n}\n" for n, (o, f) in table.items()), encoding="utf-8")
    print(f"recorded {len(table)} inputs in {BASELINE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
