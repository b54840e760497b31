"""cleaner.discover: which files a run reads, in which order, and what it reports instead."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from cleaner.discover import Problem, Source, iter_files, matches_glob
from cleaner.options import Options

DEFAULT = Options()


def _tree(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name, encoding="utf-8")


def _run(
    paths: Sequence[Path], options: Options = DEFAULT, skip: Sequence[Path] = ()
) -> tuple[list[str], list[tuple[str, str]]]:
    """The rel paths of the sources (posix) and the problems as (path, message)."""
    sources: list[str] = []
    problems: list[tuple[str, str]] = []
    for item in iter_files(paths, options, skip):
        if isinstance(item, Problem):
            problems.append((str(item.path), item.message))
        else:
            assert isinstance(item, Source)
            assert item.path.is_file()
            sources.append(item.rel.as_posix())
    return sources, problems


def test_walks_folders_recursively_in_sorted_order(tmp_path: Path) -> None:
    _tree(tmp_path, "b.md", "a.md", "sub/z.markdown", "sub/deeper/y.txt", "a-b/x.md", "img.png", "notes.MD")
    sources, problems = _run([tmp_path])
    assert sources == ["a-b/x.md", "a.md", "b.md", "sub/deeper/y.txt", "sub/z.markdown"]
    assert problems == []


def test_source_paths_keep_the_root_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, "posts/2025/a.md")
    monkeypatch.chdir(tmp_path)
    [source] = iter_files([Path("posts")], DEFAULT)
    assert source == Source(Path("posts/2025/a.md"), Path("2025/a.md"))


def test_order_does_not_depend_on_argument_order(tmp_path: Path) -> None:
    _tree(tmp_path, "x/1.md", "y/2.md", "z.md")
    paths = [tmp_path / "z.md", tmp_path / "y", tmp_path / "x"]
    first = list(iter_files(paths, DEFAULT))
    assert first == list(iter_files(paths[::-1], DEFAULT))
    expected = [tmp_path / "x" / "1.md", tmp_path / "y" / "2.md", tmp_path / "z.md"]
    assert [s.path for s in first if isinstance(s, Source)] == expected


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    _tree(tmp_path, "a.md", ".hidden.md", ".git/config.md", "sub/.cache/x.md", "sub/b.md")
    assert _run([tmp_path])[0] == ["a.md", "sub/b.md"]


def test_named_hidden_paths_are_taken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ".drafts/a.md", ".b.md")
    monkeypatch.chdir(tmp_path / ".drafts")
    assert _run([Path(".")])[0] == ["a.md"]
    assert _run([tmp_path / ".drafts", tmp_path / ".b.md"])[0] == [".b.md", "a.md"]


def test_include_globs_on_the_name(tmp_path: Path) -> None:
    _tree(tmp_path, "a.md", "b.txt", "sub/c.rst")
    assert _run([tmp_path], Options(include=("*.rst", "a.*")))[0] == ["a.md", "sub/c.rst"]


def test_a_named_file_is_taken_even_if_not_included(tmp_path: Path) -> None:
    _tree(tmp_path, "notes.rst")
    assert _run([tmp_path / "notes.rst"])[0] == ["notes.rst"]


@pytest.mark.parametrize(
    ("exclude", "expected"),
    [
        (("drafts",), ["a.md", "posts/b.md", "x.bak.md"]),
        (("*.bak.md",), ["a.md", "drafts/c.md", "posts/b.md", "posts/drafts/d.md"]),
        (("drafts/**",), ["a.md", "posts/b.md", "posts/drafts/d.md", "x.bak.md"]),
        (("/drafts",), ["a.md", "posts/b.md", "posts/drafts/d.md", "x.bak.md"]),
        (("**/drafts/*.md",), ["a.md", "posts/b.md", "x.bak.md"]),
        (("posts/*",), ["a.md", "drafts/c.md", "x.bak.md"]),
        (("?.md",), ["x.bak.md"]),  # no "/": matches a name at any depth
        (("[ab].md",), ["drafts/c.md", "posts/drafts/d.md", "x.bak.md"]),
        (("[!ab].md",), ["a.md", "posts/b.md", "x.bak.md"]),
    ],
)
def test_exclude_globs_on_the_relative_path(
    tmp_path: Path, exclude: tuple[str, ...], expected: list[str]
) -> None:
    _tree(tmp_path, "a.md", "x.bak.md", "drafts/c.md", "posts/b.md", "posts/drafts/d.md")
    assert _run([tmp_path], Options(exclude=exclude))[0] == expected


def test_exclude_applies_to_named_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, "drafts/a.md", "posts/b.md")
    monkeypatch.chdir(tmp_path)
    options = Options(exclude=("drafts/**",))
    assert _run([Path("drafts/a.md"), Path("posts/b.md")], options)[0] == ["b.md"]
    assert _run([tmp_path / "drafts/a.md"], options)[0] == []  # absolute, inside the working folder


@pytest.mark.parametrize(
    ("pattern", "path", "matched"),
    [
        ("drafts", "drafts", True),
        ("drafts", "a/drafts/b.md", True),
        ("drafts", "drafts2/b.md", False),
        ("a/*.md", "a/b.md", True),
        ("a/*.md", "x/a/b.md", False),
        ("a/**/b.md", "a/b.md", True),
        ("a/**/b.md", "a/x/y/b.md", True),
        ("**", "anything/at/all", True),
        ("*.md", "dir.md/x.txt", True),  # a folder named like the glob goes with its contents
        ("記事*", "記事 1.md", True),
        ("a[.md", "a[.md", True),
        ("*", "line\nbreak.md", True),
    ],
)
def test_matches_glob(pattern: str, path: str, matched: bool) -> None:
    assert matches_glob(pattern, path) is matched


def test_output_folder_inside_the_input_is_skipped(tmp_path: Path) -> None:
    _tree(tmp_path, "a.md", "out/a.md", "out/sub/b.md", "outer/c.md")
    assert _run([tmp_path], skip=[tmp_path / "out"])[0] == ["a.md", "outer/c.md"]


def test_output_folder_given_with_another_spelling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, "in/a.md", "in/out/a.md")
    monkeypatch.chdir(tmp_path / "in")
    assert _run([tmp_path / "in"], skip=[Path("./out/../out/")])[0] == ["a.md"]


def test_a_path_inside_the_output_folder_is_a_problem(tmp_path: Path) -> None:
    _tree(tmp_path, "out/a.md")
    assert _run([tmp_path / "out" / "a.md"], skip=[tmp_path / "out"]) == (
        [],
        [(str(tmp_path / "out" / "a.md"), "inside the output folder; not read")],
    )


def test_output_folder_that_does_not_exist_yet(tmp_path: Path) -> None:
    _tree(tmp_path, "a.md")
    assert _run([tmp_path], skip=[tmp_path / "new" / "out"])[0] == ["a.md"]


def test_symlink_loop(tmp_path: Path) -> None:
    _tree(tmp_path, "a/x.md", "a/b/y.md")
    os.symlink(tmp_path / "a", tmp_path / "a" / "b" / "loop")
    os.symlink("..", tmp_path / "a" / "up")
    sources, problems = _run([tmp_path / "a"])
    assert sources == ["b/y.md", "x.md"]
    assert problems == []


def test_symlinks_are_followed_and_files_yielded_once(tmp_path: Path) -> None:
    _tree(tmp_path, "elsewhere/e.md", "root/a.md")
    os.symlink(tmp_path / "elsewhere", tmp_path / "root" / "linked")
    os.symlink(tmp_path / "root" / "a.md", tmp_path / "root" / "z-link.md")
    assert _run([tmp_path / "root"])[0] == ["a.md", "linked/e.md"]


def test_two_links_to_one_folder_walk_it_once(tmp_path: Path) -> None:
    _tree(tmp_path, "shared/s.md")
    (tmp_path / "root").mkdir()
    os.symlink(tmp_path / "shared", tmp_path / "root" / "one")
    os.symlink(tmp_path / "shared", tmp_path / "root" / "two")
    assert _run([tmp_path / "root"])[0] == ["one/s.md"]


def test_same_file_named_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, "sub/a.md")
    monkeypatch.chdir(tmp_path)
    paths = [Path("sub/a.md"), tmp_path / "sub" / "a.md", Path("sub/../sub/./a.md"), Path("sub")]
    sources = [item for item in iter_files(paths, DEFAULT) if isinstance(item, Source)]
    assert len(sources) == 1


def test_hard_links_are_two_files(tmp_path: Path) -> None:
    _tree(tmp_path, "a.md")
    os.link(tmp_path / "a.md", tmp_path / "b.md")
    assert _run([tmp_path])[0] == ["a.md", "b.md"]


def test_missing_paths_are_problems(tmp_path: Path) -> None:
    _tree(tmp_path, "a.md")
    missing = tmp_path / "missing.md"
    sources, problems = _run([missing, tmp_path / "a.md"])
    assert sources == ["a.md"]
    assert problems == [(str(missing), "no such file or folder")]


def test_broken_symlinks_are_problems(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    os.symlink(tmp_path / "gone.md", tmp_path / "root" / "broken.md")
    os.symlink(tmp_path / "gone.png", tmp_path / "root" / "broken.png")  # not included: ignored
    os.symlink(tmp_path / "gone.md", tmp_path / "named.md")
    sources, problems = _run([tmp_path / "root", tmp_path / "named.md"])
    assert sources == []
    assert problems == [
        (str(tmp_path / "named.md"), "broken symbolic link"),
        (str(tmp_path / "root" / "broken.md"), "broken symbolic link"),
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_fifo_is_never_opened(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    os.mkfifo(tmp_path / "root" / "pipe.md")
    os.mkfifo(tmp_path / "named.md")
    assert _run([tmp_path / "root", tmp_path / "named.md"]) == (
        [],
        [
            (str(tmp_path / "named.md"), "not a regular file"),
            (str(tmp_path / "root" / "pipe.md"), "not a regular file"),
        ],
    )


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads any folder")
def test_unreadable_folder_is_a_problem(tmp_path: Path) -> None:
    _tree(tmp_path, "a.md", "locked/b.md")
    (tmp_path / "locked").chmod(0)
    try:
        sources, problems = _run([tmp_path])
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert sources == ["a.md"]
    assert problems == [(str(tmp_path / "locked"), "cannot list folder: Permission denied")]


def test_unreadable_folder_is_a_problem_injected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, "a.md", "locked/b.md")
    real_scandir = os.scandir

    def scandir(path: Path) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert _run([tmp_path]) == (
        ["a.md"],
        [(str(tmp_path / "locked"), "cannot list folder: Permission denied")],
    )


def test_unusual_names(tmp_path: Path) -> None:
    names = ["with space.md", "日本語の記事.md", "line\nbreak.md", "tab\there.md", "émoji 🎉.md", "-dash.md"]
    _tree(tmp_path, *names)
    sources, problems = _run([tmp_path])
    assert sorted(sources) == sorted(names)
    assert sources == sorted(names)
    assert problems == []
    named = [tmp_path / name for name in names]
    assert sorted(_run(named)[0]) == sorted(names)


def test_empty_input(tmp_path: Path) -> None:
    assert _run([]) == ([], [])
    assert _run([tmp_path]) == ([], [])
