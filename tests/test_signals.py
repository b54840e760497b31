"""Interruption with a real subprocess and a real signal: no partial file, no damaged original, and a
second run completes the work."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import clean_bytes

from .factory import article

SCRIPT = Path(sys.executable).parent / "cleaner"


def make_corpus(root: Path, count: int = 400) -> dict[str, bytes]:
    root.mkdir()
    expected = {}
    for i in range(count):
        text = article(i, lang="ja" if i % 2 else "en", topic=i % 5, paragraphs=40)
        paras = text.split("\n\n")
        text = text.rstrip("\n") + "\n\n---END---\n\n" + "\n\n".join(paras[3:9]) + "\n---END---"
        path = root / f"post{i:04d}.md"
        path.write_text(text, encoding="utf-8")
        expected[path.name] = clean_bytes(path.read_bytes())[0]
    return expected


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:  # between the rename of a temporary file and our read
        return None


def interrupt(args: list[str], watch: Path, sig: int) -> int:
    process = subprocess.Popen([str(SCRIPT), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if sum(1 for _ in watch.glob("*.md")) >= 20:
            break
        time.sleep(0.01)
    process.send_signal(sig)
    process.communicate(timeout=120)
    return process.returncode


@pytest.mark.skipif(not SCRIPT.exists(), reason="the cleaner script is not installed next to this Python")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_out_run_leaves_only_complete_files(tmp_path: Path, sig: int) -> None:
    expected = make_corpus(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    code = interrupt(
        ["clean", str(tmp_path / "in"), "--out", str(out), "-j", "2", "-q", "--keep-duplicates"], out, sig
    )
    written = {p.name: p.read_bytes() for p in out.iterdir()}
    assert not [name for name in written if name.endswith(".tmp")], "no temporary file is left"
    assert all(written[name] == expected[name] for name in written), "every written file is complete"
    if code != 0:
        assert code == 130
        assert len(written) < len(expected), "the run stopped early"
    again = subprocess.run(
        [str(SCRIPT), "clean", str(tmp_path / "in"), "--out", str(out), "-q", "--keep-duplicates"],
        capture_output=True,
    )
    assert again.returncode == 0, again.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == expected


@pytest.mark.skipif(not SCRIPT.exists(), reason="the cleaner script is not installed next to this Python")
def test_interrupted_in_place_run_damages_nothing(tmp_path: Path) -> None:
    expected = make_corpus(tmp_path / "in")
    originals = {p.name: p.read_bytes() for p in (tmp_path / "in").iterdir()}
    process = subprocess.Popen(
        [str(SCRIPT), "clean", str(tmp_path / "in"), "--in-place", "-j", "2", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        done = sum(1 for name, data in originals.items() if _read(tmp_path / "in" / name) != data)
        if done >= 20:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=120)
    now = {p.name: p.read_bytes() for p in (tmp_path / "in").iterdir()}
    assert sorted(now) == sorted(originals), "no file lost or added (no temporary file left)"
    assert all(now[n] in (originals[n], expected[n]) for n in now), "each file is its old or its new self"
    rerun = subprocess.run(
        [str(SCRIPT), "clean", str(tmp_path / "in"), "--in-place", "-q"], capture_output=True
    )
    assert rerun.returncode == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "in").iterdir()} == expected


def test_sigterm_handler_is_installed_by_main(monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner import cli

    installed = {}
    monkeypatch.setattr(signal, "signal", lambda sig, handler: installed.setdefault(sig, handler))
    monkeypatch.setattr(cli, "app", lambda: None)
    cli.main()
    assert installed[signal.SIGTERM] is cli._terminate
