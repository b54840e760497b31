"""Weight and opening time of the review page (issue 16).

(Not ``bench/html.py``: a script in ``bench/`` named ``html`` would shadow the standard library's
``html`` module for every other script run from this folder.)

    python bench/review_page.py [--corpus ../shared/corpus-sample] [-n 2000] [-j 2] [--chromium PATH]

1. The 100 real posts of ``../shared/corpus-sample`` (skipped when absent): ``cleaner report --format
   html`` builds the page; prints its size (target < 5 MB) and its load event in headless Chromium
   (target < 1 s).
2. ``-n`` generated posts (``bench/generate.py``, default 2,000): the same, with the time until the
   page is ready to use (overview, file list and review list drawn; target < 2 s) and the time to open
   the first review item's file (rendered when opened).

Times are the best of ``--repeat`` page loads in a fresh tab, measured with the Navigation Timing API
(``loadEventEnd``) and the page's own ready flag (``performance.now()`` when ``body[data-ready]`` is
set). Building the page is timed too, as ``cleaner report`` wall time.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def build(posts: Path, out: Path, jobs: int) -> float:
    start = time.perf_counter()
    command = [sys.executable, "-c", "from cleaner.cli import main; main()", "report", str(posts)]
    subprocess.run([*command, "-f", "html", "-o", str(out), "-j", str(jobs)], check=True, cwd=ROOT)
    return time.perf_counter() - start


def measure(browser: Any, page_file: Path, repeat: int) -> dict[str, float]:
    best: dict[str, float] = {}
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready]")
        timing = page.evaluate(
            "(() => { const n = performance.getEntriesByType('navigation')[0];"
            " return {load: n.loadEventEnd, dom: n.domContentLoadedEventEnd}; })()"
        )
        start = time.perf_counter()
        page.keyboard.press("j")
        page.wait_for_selector("#detail[data-ready]")
        opened = time.perf_counter() - start
        figures = {"load": timing["load"] / 1000, "dom": timing["dom"] / 1000, "open_file": opened}
        for key, value in figures.items():
            best[key] = min(best.get(key, value), value)
        page.close()
    return best


def report(name: str, page_file: Path, built: float, figures: dict[str, float], limit: float) -> None:
    size = page_file.stat().st_size / 1e6
    verdict = "met" if figures["load"] < limit else "MISSED"
    print(
        f"{name}: page {size:.2f} MB, built in {built:.1f} s; load event {figures['load'] * 1000:.0f} ms "
        f"(target < {limit:.0f} s: {verdict}), DOM ready {figures['dom'] * 1000:.0f} ms, "
        f"first review item's file opened in {figures['open_file'] * 1000:.0f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus-sample")
    parser.add_argument("-n", type=int, default=2000, help="generated posts (default 2000)")
    parser.add_argument("-j", type=int, default=2, help="worker processes to build the pages")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        work = Path(tmp)
        browser = p.chromium.launch(executable_path=args.chromium, headless=True)
        if args.corpus.is_dir():
            page_file = work / "sample.html"
            built = build(args.corpus, page_file, args.j)
            figures = measure(browser, page_file, args.repeat)
            report("corpus-sample (100 real posts)", page_file, built, figures, 1)
        else:
            print(f"{args.corpus} is absent: the real posts are skipped")
        posts = work / "posts"
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(posts), "-n", str(args.n)], check=True)
        page_file = work / "generated.html"
        built = build(posts, page_file, args.j)
        report(f"{args.n} generated posts", page_file, built, measure(browser, page_file, args.repeat), 2)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
