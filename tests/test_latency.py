"""A fast start (issue 17): what ``cleaner --version``, ``--help`` and ``hook`` load, never how fast."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.repair import mojibake
from cleaner.repeats import said


def _loaded(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


_CJK_OR_ASCII = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0, max_codepoint=0x7F),
        st.characters(min_codepoint=0x3000, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),
    )
)


HEAVY = {"numpy", "datasketch", "scipy", "dask", "rapidfuzz", "ftfy", "yaml", "rich", "pydantic"}


def test_the_command_line_module_loads_no_engine() -> None:
    assert _loaded("import cleaner.cli") & HEAVY == set()


def test_version_and_help_load_no_engine() -> None:
    for argv in (["cleaner", "--version"], ["cleaner", "clean", "--help"]):
        code = (
            f"sys.argv = {argv!r}\nfrom cleaner.cli import main\n"
            + "try:\n    main()\nexcept SystemExit:\n    pass"
        )
        assert _loaded(code) & (HEAVY - {"rich"}) == set(), argv


def test_the_library_entry_points_still_load_on_use() -> None:
    assert "rapidfuzz" in _loaded("from cleaner import clean_text")


def test_a_hook_run_on_japanese_text_loads_no_cross_file_machinery() -> None:
    code = (
        "import pathlib, tempfile\n"
        "p = pathlib.Path(tempfile.mkdtemp()) / 'a.md'\n"
        "p.write_text('---\\ntitle: \"題名\"\\n---\\n本文です。\\n', encoding='utf-8')\n"
        "sys.argv = ['cleaner', 'hook', str(p)]\n"
        "from cleaner.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert _loaded(code) & {"numpy", "datasketch", "scipy", "ftfy", "rich", "pydantic"} == set()


@settings(deadline=None)  # the first example loads numpy
@given(_CJK_OR_ASCII, st.integers(min_value=1, max_value=8))
def test_both_ways_of_hashing_n_grams_give_the_same_values(text: str, size: int) -> None:
    # the hook hashes in plain Python and a long run in numpy: the values must not depend on which
    assert said.python_hashes(text, size) == said.numpy_hashes(text, size)


def test_a_process_switches_to_numpy_once_it_has_hashed_enough() -> None:
    code = "from cleaner import clean_text\nclean_text('今日は晴れです。' * 20)"
    assert "numpy" not in _loaded(code)
    hashing = said.Hashing(python_chars=said.PYTHON_BUDGET)
    assert hashing.hashes("今日は晴れです", 5) == said.python_hashes("今日は晴れです", 5)
    assert hashing.python_chars == said.PYTHON_BUDGET  # numpy did this one


@settings(deadline=None)  # the first example loads ftfy
@given(_CJK_OR_ASCII)
def test_text_that_skips_ftfy_is_text_ftfy_leaves_alone(text: str) -> None:
    import ftfy

    assert mojibake._NOTHING_FOR_FTFY.fullmatch(text)
    assert ftfy.fix_text(text, mojibake._ftfy_encoding_only()) == text


def test_the_entry_point_answers_version_without_typer() -> None:
    from typer.testing import CliRunner

    from cleaner.cli import app

    code = "sys.argv = ['cleaner', '--version']\nfrom cleaner.__main__ import main\nmain()"
    assert _loaded(code) & (HEAVY | {"typer", "click"}) == set()
    done = subprocess.run([sys.executable, "-m", "cleaner", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == CliRunner().invoke(app, ["--version"]).stdout


def test_the_entry_point_hands_everything_else_to_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0 and "Usage:" in done.stdout and "--out" in done.stdout


def test_the_entry_point_runs_the_hook_without_typer(tmp_path: Path) -> None:
    dirty = tmp_path / "dirty.md"
    dirty.write_text("本文です。\n\n---END---\n\n続きです。\n", encoding="utf-8")
    code = (
        f"sys.argv = ['cleaner', 'hook', '--check', {str(dirty)!r}]\n"
        "from cleaner.__main__ import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert _loaded(code) & {"typer", "click", "rich", "numpy", "datasketch", "scipy"} == set()
    # the same lines and exit codes as the hook command of the full command line
    fast = subprocess.run(
        [sys.executable, "-m", "cleaner", "hook", "--check", str(dirty)], capture_output=True, text=True
    )
    full = CliRunner().invoke(app, ["hook", "--check", str(dirty)])
    assert fast.returncode == full.exit_code == 1 and fast.stdout == full.stdout
    assert f"{dirty}: would be fixed" in fast.stdout
    fixed = subprocess.run(
        [sys.executable, "-m", "cleaner", "hook", str(dirty)], capture_output=True, text=True
    )
    assert fixed.returncode == 1 and fixed.stdout == f"Fixing {dirty}\n"
    again = subprocess.run(
        [sys.executable, "-m", "cleaner", "hook", str(dirty)], capture_output=True, text=True
    )
    assert again.returncode == 0 and again.stdout == ""
    missing = subprocess.run(
        [sys.executable, "-m", "cleaner", "hook", str(tmp_path / "nowhere.md")],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 3 and "nowhere.md" in missing.stderr


def test_hook_arguments_it_does_not_know_go_to_the_full_command_line() -> None:
    from cleaner.hook import main as hook

    assert hook(["--help"]) is None and hook([]) is None and hook(["--config"]) is None
    done = subprocess.run([sys.executable, "-m", "cleaner", "hook", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "Usage:" in done.stdout
