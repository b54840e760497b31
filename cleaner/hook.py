"""The pre-commit hook: ``cleaner hook [--check] [--config FILE] FILE...``, as pre-commit-hooks write one.

:func:`main` takes the arguments and returns the exit code: 0 nothing to change, 1 files changed (with
``--check``: would change), 2 a bad configuration, 3 a file could not be read or written. The console
script calls it before typer and click are imported (a hook runs on every commit, and they are a
third of its start); anything it does not parse (``--help``, an unknown flag) goes to :mod:`cleaner.cli`,
whose ``hook`` command calls :func:`run_hook` too. Like ``cli.py``, this module talks to the terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleaner.model import FileResult

#: How many findings ``hook --check`` lists per file before pointing at ``cleaner report``.
HOOK_FINDINGS_SHOWN = 8


def main(argv: list[str]) -> int | None:
    """Run the hook on ``argv`` (the arguments after ``hook``); None when they are not plain hook
    arguments, for the full command line to handle (and explain)."""
    check, config_file = False, None
    files: list[Path] = []
    args = iter(argv)
    for arg in args:
        if arg == "--check":
            check = True
        elif arg == "--config":
            value = next(args, None)
            if value is None:
                return None
            config_file = Path(value)
        elif arg.startswith("--config="):
            config_file = Path(arg.partition("=")[2])
        elif arg == "--":
            files.extend(Path(a) for a in args)
        elif arg.startswith("-"):
            return None
        else:
            files.append(Path(arg))
    if not files:
        return None
    return run_hook(files, check=check, config_file=config_file)


def run_hook(files: list[Path], *, check: bool, config_file: Path | None) -> int:
    """Clean ``files`` in place (or only check them), print a line per file changed, return the exit code."""
    from cleaner.run import FileDone, Request, execute

    results: list[FileResult] = []

    def collect(event: object) -> None:
        if isinstance(event, FileDone):
            results.append(event.result)

    flags = {"marker_pattern": None, "include": None, "exclude": None, "duplicates": None}
    request = Request(
        "hook",
        tuple(files),
        flags=flags,
        config_file=config_file,
        in_place=not check,
        check=check,
        record=True,
    )
    done = execute(request, collect)
    for result in sorted(results, key=lambda r: r.path):
        if result.error is not None:
            sys.stderr.write(f"error: {result.path}: {result.error}\n")
        elif result.changed and check:
            sys.stdout.write(f"{result.path}: would be fixed\n")
            _print_findings(result)
        elif result.changed:
            sys.stdout.write(f"Fixing {result.path}\n")
    if done.refused is not None:
        sys.stderr.write(done.refused + "\n")
    return done.exit_code


def _print_findings(result: FileResult) -> None:
    from cleaner.report import GROUPS

    shown = result.findings[:HOOK_FINDINGS_SHOWN]
    for f in shown:
        text = clip(f.passage or f.detail, 60)
        if f.matched and f.kind in GROUPS["titles repaired"]:
            text += " → " + clip(f.matched, 60)
        sys.stdout.write(f"  {f.kind.value}: {text}\n")
    if len(result.findings) > len(shown):
        more = len(result.findings) - len(shown)
        sys.stdout.write(f"  … {more} more (cleaner report {result.path})\n")


def clip(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
