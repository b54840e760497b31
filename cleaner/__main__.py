"""The ``cleaner`` console script and ``python -m cleaner``: hands the command line to :mod:`cleaner.cli`.

One exception, for speed: ``cleaner --version`` is answered here, before typer and click are imported
(they are most of the 0.1-0.2 s a start costs; this answer costs a bare interpreter start). The text is
the same as ``cleaner.cli``'s ``--version`` option prints (a test compares them).
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from cleaner import __version__

        sys.stdout.write(f"cleaner {__version__}\n")
        return
    from cleaner.cli import main as run_cli

    run_cli()


if __name__ == "__main__":
    main()
