"""The review page in real headless Chromium (Debian's ``chromium``, driven by Playwright).

The page is built from the golden cases' inputs and one hostile post. The tests check what a reader
sees (overview, review list, marks in a file), that filters hide what they should, that keys move
between review items, that nothing logs an error, that no request leaves the page, and that text from
a file cannot run. A screenshot goes to ``artifacts/report.png`` (CI keeps it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

from .test_html import HOSTILE

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must have it (.ci/run installs Debian's chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("posts")
    for case in sorted((ROOT / "fixtures" / "cases").iterdir()):
        if (case / "input.md").is_file():
            shutil.copyfile(case / "input.md", root / f"{case.name}.md")
    (root / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path_factory.mktemp("page") / "report.html"
    result = CliRunner().invoke(app, ["report", str(root), "--format", "html", "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (pip install -e '.[test]')")
    if CHROMIUM is None:
        _missing("no chromium executable on PATH (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


class Session:
    """A page with every request, console message and page error recorded."""

    def __init__(self, browser: Any, url: str) -> None:
        self.url = url
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)
        self.page.wait_for_selector("body[data-ready]")

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(message.text)

    def _route(self, route: Any) -> None:
        self.requests.append(route.request.url)
        if route.request.url.split("#")[0] == self.url:
            route.continue_()
        else:
            route.abort()

    def open(self, selector: str) -> None:
        self.page.click(selector)
        self.page.wait_for_selector("#detail[data-ready]")


@pytest.fixture()
def session(browser: Any, page_file: Path) -> Iterator[Session]:
    s = Session(browser, page_file.as_uri())
    yield s
    assert s.errors == [], "console errors"
    assert s.dialogs == []
    assert [u for u in s.requests if u.split("#")[0] != s.url] == [], "a request left the page"
    s.page.close()


def test_overview_review_list_and_marks(session: Session) -> None:
    page = session.page
    assert page.inner_text("#stats").count("files read") == 1
    assert page.locator("#chart .bar").count() >= 10
    assert page.locator("#review-list li").count() >= 5
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"))
    # the first review item opens its file at its mark, the mark highlighted
    rule = page.locator("#review-list li").first.get_attribute("data-rule")
    session.open("#review-list li a >> nth=0")
    mark = page.locator(".current-mark")
    assert mark.count() == 1 and mark.get_attribute("data-rule") == rule
    assert mark.is_visible()
    page.screenshot(path=str(ARTIFACTS / "report-file.png"))


def test_a_file_shows_drops_seams_and_its_title_in_place(session: Session) -> None:
    page = session.page
    page.fill("#q", "ja_continuation")
    session.open("#file-list li:not([hidden])")
    assert page.locator(".article .mark.cat-seam").count() >= 1
    drop = page.locator(".article details.drop").first
    assert "dropped" in (drop.text_content() or "")
    page.goto(session.url + "#")
    page.fill("#q", "ja_title_cut_recovered")
    session.open("#file-list li:not([hidden])")
    title = page.locator(".title-change")
    assert title.count() == 1 and "→" in title.inner_text()
    assert page.locator(".title-change ins").count() >= 1  # what the repair added, highlighted
    # the original, with the same marks
    cleaned_marks = page.locator(".article .mark").count()
    page.click("button[data-mode=original]")
    page.wait_for_selector(".article.mode-original")
    assert page.locator(".article .mark").count() == cleaned_marks
    assert "\ufffd" in page.inner_text(".article") or "…" in page.inner_text(".article")


def test_filters_hide_what_they_should(session: Session) -> None:
    page = session.page
    total = page.locator("#file-list li").count()
    page.click('#chart .bar[data-rule="seam.overlap"]')
    shown = page.locator("#file-list li:not([hidden])")
    assert 0 < shown.count() < total
    names = shown.all_inner_texts()
    assert any("overlap" in n for n in names) and not any("clean_ja" in n for n in names)
    rules = {li.get_attribute("data-rule") for li in page.locator("#review-list li").all()}
    assert rules == {"seam.overlap"}
    page.click('#rule-filter button[data-rule="seam.overlap"]')  # the chip removes the filter
    assert page.locator("#file-list li:not([hidden])").count() == total
    page.check("#only-review")
    reviewed = page.locator("#file-list li:not([hidden])")
    assert 0 < reviewed.count() < total
    assert reviewed.locator(".badge.rv").count() == reviewed.count()
    page.uncheck("#only-review")
    page.fill("#q", "ja_overlap")
    assert page.locator("#file-list li:not([hidden])").all_inner_texts()[0].startswith("ja_overlap")
    assert page.locator("#file-list li:not([hidden])").count() == 1


def test_keys_move_between_review_items(session: Session) -> None:
    page = session.page
    page.keyboard.press("j")
    page.wait_for_selector("#detail[data-ready]")
    first = page.evaluate("location.hash")
    page.keyboard.press("j")
    page.wait_for_function(f"location.hash !== {first!r}")
    second = page.evaluate("location.hash")
    page.keyboard.press("k")
    page.wait_for_function(f"location.hash === {first!r}")
    assert first.startswith("#f") and second.startswith("#f") and first != second
    page.keyboard.press("Escape")
    page.wait_for_selector("#home:not([hidden])")


def test_a_hostile_post_is_shown_as_text_and_runs_nothing(session: Session) -> None:
    page = session.page
    page.fill("#q", "hostile")
    session.open("#file-list li:not([hidden])")
    assert page.evaluate("window.__pwned") is None
    assert page.title() == "cleaner review"
    text = page.inner_text(".article")
    assert "<script>window.__pwned = 1</script>" in text and "</html><!-- コメント -->" in text
    page.click("button[data-mode=original]")
    page.wait_for_selector(".article.mode-original")
    assert "document.title='pwned'" in page.inner_text(".article")
    # the page's own script is the only one that can run
    assert page.evaluate("document.querySelectorAll('script:not([type])').length") == 1
