"""Bad input, faults and no data loss: every case asserts the exit code, the stderr line and the files.

A bad file gets one line on stderr naming it and the problem, and an error finding; the run goes on
with the other files; the exit code is 3; no input changes unless --in-place cleaned it successfully.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import Kind, clean_bytes, clean_text
from cleaner.cli import app

runner = CliRunner()

GOOD = "本文の段落です。\n\n---END---\n本文の段落です。\n"
GOOD_CLEAN = "本文の段落です。\n"
#: Another article: files with the same text are one article, and only one of them would be written.
OTHER = "別の記事の段落です。\n\n---END---\n別の記事の段落です。\n"
OTHER_CLEAN = "別の記事の段落です。\n"


def run_clean(*args: str) -> tuple[int, list[str], str]:
    result = runner.invoke(app, ["clean", *args, "--quiet"])
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    return result.exit_code, errors, result.stdout


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    (root / "good.md").write_text(GOOD, encoding="utf-8")
    return root


def expect_one_bad(folder: Path, tmp_path: Path, name: str, words: str) -> None:
    before = snapshot(folder)
    out = tmp_path / "out"
    code, errors, _ = run_clean(str(folder), "--out", str(out))
    assert code == 3
    assert len(errors) == 1 and name in errors[0] and words in errors[0], errors
    assert "\n" not in errors[0]
    assert (out / "good.md").read_text(encoding="utf-8") == GOOD_CLEAN, "the other files are done"
    assert not (out / name).exists()
    assert snapshot(folder) == before, "no input changed"


# --- encodings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding, prefix",
    [
        ("utf-8-sig", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("cp932", b""),
        ("euc_jp", b""),
    ],
)
def test_other_encodings_are_converted_and_recorded(
    folder: Path, tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    (folder / "enc.md").write_bytes(prefix + OTHER.encode(encoding))
    out = tmp_path / "out"
    log = tmp_path / "log.jsonl"
    code, errors, _ = run_clean(str(folder), "--out", str(out), "--log", str(log))
    assert code == 0 and errors == []
    text = (out / "enc.md").read_bytes()
    assert text.decode("utf-8").lstrip("\ufeff") == OTHER_CLEAN
    if encoding != "utf-8-sig":
        assert '"kind": "encoding"' in log.read_text(encoding="utf-8")


def test_invalid_utf8_in_the_middle(folder: Path, tmp_path: Path) -> None:
    (folder / "broken.md").write_bytes(("日本語の本文です。" * 40).encode() + b"\xff\xfe" + "続き。".encode())
    expect_one_bad(folder, tmp_path, "broken.md", "invalid UTF-8")


def test_binary_with_md_name(folder: Path, tmp_path: Path) -> None:
    (folder / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    expect_one_bad(folder, tmp_path, "image.md", "binary")


def test_nul_bytes(folder: Path, tmp_path: Path) -> None:
    (folder / "nul.md").write_bytes(b"text\x00more text")
    expect_one_bad(folder, tmp_path, "nul.md", "NUL")


# --- shapes --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        '---\ntitle: "x"\n---\n',
        '+++\ntitle = "x"\n+++\n本文。\n',
        "---\ntitle: [unclosed\n---\n本文。\n",
        "no newline at the end",
        "行一。\r\n行二。\r\n",
        "行一。\r\n行二。\n行三。\r",
    ],
    ids=["empty", "only-front-matter", "toml", "invalid-yaml", "no-final-newline", "crlf", "mixed-endings"],
)
def test_shapes_that_need_no_cleaning(text: str) -> None:
    data = text.encode("utf-8")
    out, findings = clean_bytes(data)
    assert clean_bytes(out)[0] == out
    if "\r" not in text or "\n行三" not in text:
        assert out == data
    else:
        assert [f.kind for f in findings] == [Kind.ENCODING], "mixed line ends are normalised and recorded"


def test_front_matter_never_closed(folder: Path, tmp_path: Path) -> None:
    (folder / "open.md").write_text("---\ntitle: x\ndate: 2025-01-01\n本文。\n", encoding="utf-8")
    expect_one_bad(folder, tmp_path, "open.md", "never closed")


@pytest.mark.parametrize(
    "body, expected",
    [
        ("---END---\n---END---\n---END---", ""),
        ("---END---\n本文です。\n", "本文です。\n"),
        ("本文です。\n---END---", "本文です。\n"),
        ("本文です。" + "\n---END---" * 10_000, "本文です。\n"),
    ],
    ids=["only-markers", "marker-first", "marker-last", "10000-markers"],
)
def test_marker_shapes(body: str, expected: str) -> None:
    assert clean_text(body).text == expected


def test_crlf_kept_when_cleaned() -> None:
    out = clean_text(GOOD.replace("\n", "\r\n")).text
    assert out == GOOD_CLEAN.replace("\n", "\r\n")


def test_long_single_line_passes_through() -> None:
    line = ("長い一行の本文。" * 200_000).encode()  # about 5 MB; bench/hostile.py runs 50 MB
    out, findings = clean_bytes(line)
    assert out is line and findings == ()


def test_file_over_the_size_limit(folder: Path, tmp_path: Path) -> None:
    (tmp_path / ".cleaner.toml").write_text("", encoding="utf-8")
    big = folder / "big.md"
    with big.open("wb") as handle:
        handle.truncate(70 * 2**20)  # sparse: 70 MB on paper, nothing on disk
    expect_one_bad(folder, tmp_path, "big.md", "limit")


# --- file system ---------------------------------------------------------------------------------------


def test_unreadable_file(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads any file, so the refusal is simulated where the pipeline opens it."""
    secret = folder / "secret.md"
    secret.write_text(OTHER, encoding="utf-8")
    real_open = Path.open

    def guarded(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == "secret.md":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        patch.setattr(Path, "open", guarded)
        code, errors, _ = run_clean(str(folder), "--out", str(out))
    assert code == 3
    assert len(errors) == 1 and "secret.md" in errors[0] and "Permission denied" in errors[0]
    assert (out / "good.md").read_text(encoding="utf-8") == GOOD_CLEAN
    assert not (out / "secret.md").exists()
    assert secret.read_text(encoding="utf-8") == OTHER


def test_output_folder_cannot_be_written(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be", encoding="utf-8")
    before = snapshot(folder)
    code, errors, _ = run_clean(str(folder), "--out", str(blocker))
    # refused before any work (issue 17): one line naming the output path, not one per input file
    assert code == 2
    assert errors == [f"error: --out {blocker} is a file, not a folder"]
    assert snapshot(folder) == before


def test_output_folder_inside_input_is_skipped(folder: Path) -> None:
    out = folder / "clean"
    for _ in range(2):
        code, errors, _ = run_clean(str(folder), "--out", str(out))
        assert code == 0 and errors == []
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md")) == [
        "clean/good.md",
        "good.md",
    ]


def test_symlink_loop_and_same_file_twice(folder: Path, tmp_path: Path) -> None:
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "alias.md").symlink_to(folder / "good.md")
    out = tmp_path / "out"
    code, errors, _ = run_clean(str(folder), str(folder / "good.md"), "--out", str(out))
    assert code == 0 and errors == []
    written = list(out.rglob("*.md"))
    assert len(written) == 1, "one file reached by three paths is cleaned once"
    assert written[0].read_text(encoding="utf-8") == GOOD_CLEAN


@pytest.mark.parametrize("name", ["with space.md", "日本語の名前.md", "new\nline.md"])
def test_odd_file_names(folder: Path, tmp_path: Path, name: str) -> None:
    (folder / name).write_text(OTHER, encoding="utf-8")
    out = tmp_path / "out"
    code, errors, _ = run_clean(str(folder), "--out", str(out))
    assert code == 0 and errors == []
    assert (out / name).read_text(encoding="utf-8") == OTHER_CLEAN


def _fail_writes_to(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make the disk 'fill up' while the temporary file for ``name`` is written."""
    real_write = os.write
    real_mkstemp = __import__("tempfile").mkstemp
    doomed: set[int] = set()

    def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        fd, path = real_mkstemp(*args, **kwargs)  # type: ignore[call-overload]
        if f".{name}." in os.path.basename(path):
            doomed.add(fd)
        return fd, path

    def write(fd: int, data: object) -> int:
        if fd in doomed:
            real_write(fd, bytes(memoryview(data)[:3]))  # type: ignore[arg-type]
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)  # type: ignore[arg-type]

    monkeypatch.setattr("tempfile.mkstemp", mkstemp)
    monkeypatch.setattr(os, "write", write)


def test_disk_full_leaves_no_partial_output(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "victim.md").write_text(OTHER, encoding="utf-8")
    _fail_writes_to(monkeypatch, "victim.md")
    out = tmp_path / "out"
    code, errors, _ = run_clean(str(folder), "--out", str(out))
    assert code == 3
    assert len(errors) == 1 and "victim.md" in errors[0] and "No space left" in errors[0]
    assert sorted(p.name for p in out.iterdir()) == ["good.md"], "no partial or temporary file"


def test_disk_full_in_place_keeps_the_original(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    victim = folder / "victim.md"
    victim.write_text(OTHER, encoding="utf-8")
    _fail_writes_to(monkeypatch, "victim.md")
    code, errors, _ = run_clean(str(folder), "--in-place")
    assert code == 3 and "victim.md" in errors[0]
    assert victim.read_text(encoding="utf-8") == OTHER
    assert (folder / "good.md").read_text(encoding="utf-8") == GOOD_CLEAN
    assert sorted(p.name for p in folder.iterdir()) == ["good.md", "victim.md"]


# --- hostile text --------------------------------------------------------------------------------------


def test_thousands_of_near_identical_paragraphs() -> None:
    paras = [
        f"同じような段落がここに続きます。番号は{i}番で、内容はほとんど変わりません。" for i in range(2000)
    ]
    result = clean_text("\n\n".join(paras[:1000]) + "\n\n---END---\n\n" + "\n\n".join(paras))
    assert clean_text(result.text).text == result.text
    kept = [line for line in result.text.split("\n") if line]
    dropped = [f for f in result.findings if f.action.value == "dropped" and f.kind is not Kind.MARKER]
    assert len(kept) + len(dropped) == 3000, "every paragraph is kept or recorded"


def test_one_paragraph_of_a_megabyte() -> None:
    para = "".join(f"文{i}は長い。" for i in range(150_000))
    result = clean_text(para + "\n---END---\n" + para[:1000])
    assert result.text.startswith(para[:100]) and result.text.count(para[:1000]) == 1


@pytest.mark.parametrize("text", ["あ" * 200_000, "-" * 100_000 + "END", "。" * 100_000, "a " * 100_000])
def test_long_runs_finish(text: str) -> None:
    result = clean_text(text + "\n---END---\n" + text[:50])
    assert clean_text(result.text).text == result.text


@pytest.mark.parametrize("title", ["\u202eevil\u202c title", "tab\there", "bell\x07", "zero\u200bwidth"])
def test_control_and_bidi_characters_in_titles_never_crash(title: str) -> None:
    text = f'---\ntitle: "{title}"\n---\n本文。\n'
    result = clean_text(text)
    assert clean_text(result.text).text == result.text
