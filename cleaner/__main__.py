"""The ``cleaner`` console script and ``python -m cleaner``: hands the command line to :mod:`cleaner.cli`.

Two exceptions, for speed: ``cleaner --version`` is answered here, and ``cleaner hook FILE...`` goes to
:mod:`cleaner.hook`, both before typer and click are imported (they are most of the 0.1-0.2 s a start
costs). The ``--version`` text is the same as ``cleaner.cli``'s option prints (a test compares them);
the hook is the same function the ``hook`` command calls.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from cleaner import __version__

        sys.stdout.write(f"cleaner {__version__}\n")
        return
    if sys.argv[1:2] == ["hook"]:
        code = _hook(sys.argv[2:])
        if code is not None:
            sys.exit(code)
    from cleaner.cli import main as run_cli

    run_cli()


def _hook(argv: list[str]) -> int | None:
    """``cleaner hook FILE...`` without typer and click (a hook runs on every commit); None for
    arguments the full command line must handle."""
    import signal

    from cleaner.hook import main as hook

    def terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        return hook(argv)
    except KeyboardInterrupt:
        sys.stderr.write("cleaner: interrupted; files already written are complete, run again to finish\n")
        return 130


if __name__ == "__main__":
    main()
