"""The command line: flags → one Options and one Destination → the library. The only module that
imports typer or rich, and the only one that talks to the terminal.

Exit codes: 0 done; 1 ``--check`` (or ``report --fail-on``) found something, or ``hook`` changed a
file; 2 usage error or bad configuration; 3 some files could not be processed while all the others
were.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cleaner import config as configuration
from cleaner import report as reporting
from cleaner.dedup import Group
from cleaner.discover import Problem, Source, iter_files
from cleaner.html import PageWriter, write_page
from cleaner.model import Action, FileResult, Finding, Kind
from cleaner.options import Options
from cleaner.pipeline import Destination, Outcome, RunState, attach, run

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_USAGE = 2
EXIT_FILE_ERRORS = 3

EXIT_CODES_HELP = (
    "Exit codes: 0 done; 1 --check found files to change (hook: files changed); "
    "2 usage error or bad configuration; 3 some files could not be processed (all others were)."
)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn scraped and LLM-generated article folders into clean, canonical articles.\n\n"
    + EXIT_CODES_HELP,
    rich_markup_mode=None,
)

# emoji=False: rich would turn ``:fire:`` in a passage or a file name into 🔥
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
out = Console(highlight=False, soft_wrap=True, emoji=False)


def emit(text: str, end: str = "\n") -> None:
    """Write machine-readable output (JSON, JSON Lines, diffs, hook lines) to stdout as it is: not
    through rich, which renders every line as rich text (most of the time of a large report)."""
    sys.stdout.write(text + end)


PathsArg = Annotated[
    list[Path],
    typer.Argument(
        help="Files or folders to read (folders recursively).", show_default=False, metavar="PATH"
    ),
]
MarkerOpt = Annotated[
    str | None,
    typer.Option(
        "--marker", help="Regex for a continuation marker line.", show_default=False, metavar="REGEX"
    ),
]
IncludeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--include", help="File name glob to read (repeatable).", show_default=False, metavar="GLOB"
    ),
]
ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude", help="Relative path glob to skip (repeatable).", show_default=False, metavar="GLOB"
    ),
]
JobsOpt = Annotated[
    int, typer.Option("--jobs", "-j", help="Worker processes (0: all cores).", min=0, metavar="N")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Read settings from FILE (TOML; [tool.cleaner] in a pyproject.toml) instead of looking for "
        ".cleaner.toml or pyproject.toml from the working folder up.",
        show_default=False,
        metavar="FILE",
    ),
]
LogOpt = Annotated[
    Path | None,
    typer.Option(
        "--log", help="Write every finding to FILE as JSON Lines.", show_default=False, metavar="FILE"
    ),
]


def _flags(
    marker: str | None, include: list[str] | None, exclude: list[str] | None, keep_duplicates: bool = False
) -> dict[str, Any]:
    """The settings flags give, by Options field name; None for a flag not given."""
    return {
        "marker_pattern": marker or None,
        "include": include or None,
        "exclude": exclude or None,
        "duplicates": "keep-all" if keep_duplicates else None,
    }


def _settings(
    config_file: Path | None,
    marker: str | None,
    include: list[str] | None,
    exclude: list[str] | None,
    keep_duplicates: bool = False,
) -> tuple[Options, dict[str, str]]:
    """Defaults ← configuration file ← flags; a bad configuration ends the run with exit code 2."""
    try:
        flags = _flags(marker, include, exclude, keep_duplicates)
        return configuration.resolve(Path.cwd(), config_file, flags)
    except configuration.ConfigError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(EXIT_USAGE) from None


def _options(
    config_file: Path | None,
    marker: str | None,
    include: list[str] | None,
    exclude: list[str] | None,
    keep_duplicates: bool = False,
) -> Options:
    return _settings(config_file, marker, include, exclude, keep_duplicates)[0]


def _jobs(jobs: int) -> int:
    return jobs or os.cpu_count() or 1


def _sources(
    paths: list[Path],
    options: Options,
    skip: tuple[Path, ...],
    problems: list[Problem],
    *,
    mirrored: bool = False,
) -> list[Source]:
    """The files to read; with ``mirrored``, two files that would write one output path are a problem."""
    sources: list[Source] = []
    claimed: dict[Path, Path] = {}
    for item in iter_files(paths, options, skip):
        if isinstance(item, Problem):
            problems.append(item)
        elif mirrored and item.rel in claimed:
            problems.append(
                Problem(item.path, f"same output path {item.rel} as {claimed[item.rel]}; not written")
            )
        else:
            claimed[item.rel] = item.path
            sources.append(item)
    return sources


def _progress(outcomes: Iterable[Outcome], total: int, quiet: bool) -> Iterator[Outcome]:
    """Show a progress bar on a terminal once a run has taken more than a second."""
    if quiet or not err.is_terminal:
        yield from outcomes
        return
    start = time.monotonic()
    progress: Progress | None = None
    try:
        for done, outcome in enumerate(outcomes, start=1):
            if progress is None and time.monotonic() - start > 1.0:
                progress = Progress(
                    TextColumn("cleaning"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=err,
                    transient=True,
                )
                progress.start()
                task = progress.add_task("clean", total=total, completed=done - 1)
            if progress is not None:
                progress.update(task, completed=done)
            yield outcome
    finally:
        if progress is not None:
            progress.stop()


def _problem_results(problems: list[Problem]) -> list[FileResult]:
    return [
        FileResult(
            str(p.path),
            error=p.message,
            findings=(Finding(Kind.ERROR, Action.REPORTED, detail=p.message, file=str(p.path)),),
        )
        for p in problems
    ]


def _summary_table(summary: reporting.Summary, title: str) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("files read", str(summary.files))
    table.add_row("changed", str(summary.changed))
    table.add_row("unchanged", str(summary.unchanged))
    for name, count in summary.groups().items():
        table.add_row(name, str(count))
    table.add_row("errors", str(summary.errors))
    return table


@app.command()
def clean(
    paths: PathsArg,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write clean files here, mirroring relative paths.",
            show_default=False,
            metavar="DIR",
        ),
    ] = None,
    in_place: Annotated[bool, typer.Option("--in-place", help="Rewrite the input files atomically.")] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; list files that would change; exit 1 if any.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print unified diffs of the changes to stdout.")
    ] = False,
    log: LogOpt = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", help="Also write a review page of the run here.", show_default=False, metavar="FILE"
        ),
    ] = None,
    keep_duplicates: Annotated[
        bool,
        typer.Option(
            "--keep-duplicates", help="Write every file, even when another file holds the same article."
        ),
    ] = False,
    config_file: ConfigOpt = None,
    marker: MarkerOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    jobs: JobsOpt = 0,
    quiet: QuietOpt = False,
) -> None:
    """Clean articles: remove continuation markers and repeats, stitch cut sentences, repair titles.

    Needs --out DIR, --in-place, --check or --diff: the input is never written by surprise.
    """
    if sum(bool(x) for x in (out_dir, in_place, check)) > 1:
        raise typer.BadParameter("choose one of --out, --in-place and --check")
    if not (out_dir or in_place or check or diff):
        err.print(
            "cleaner clean: say where the clean files go: --out DIR, or --in-place; or use --check / --diff"
        )
        raise typer.Exit(EXIT_USAGE)
    options = _options(config_file, marker, include, exclude, keep_duplicates)
    problems: list[Problem] = []
    skip = (out_dir,) if out_dir else ()
    sources = _sources(paths, options, skip, problems, mirrored=out_dir is not None)
    one_per_article = options.duplicates == "keep-one"
    destination = Destination(
        out_dir=out_dir,
        in_place=in_place,
        diff=diff,
        fingerprints=one_per_article,
        record=log is not None or html is not None,
        texts=html is not None,
    )
    page = PageWriter() if html is not None else None
    results = _problem_results(problems)
    if page is not None:
        for problem_result in results:
            page.add(problem_result, None)
    for problem in problems:
        err.print(f"error: {problem.path}: {problem.message}", markup=False)
    summary = reporting.summarize(results)
    state = RunState(options)
    log_file = log.open("w", encoding="utf-8") if log else None
    try:
        for outcome in _progress(run(sources, options, destination, _jobs(jobs)), len(sources), quiet):
            state.add(outcome)
            result = outcome.result
            summary.add(result)  # counts only: a run over a million files keeps no findings
            if page is not None:
                page.add(result, outcome.texts)
            if result.error is not None:
                err.print(f"error: {result.path}: {result.error}", markup=False)
            elif result.changed and check:
                err.print(f"would clean {result.path}", markup=False)
            if outcome.diff:
                emit(outcome.diff, end="")
            if log_file is not None:
                for line in reporting.finding_lines([result]):
                    log_file.write(line + "\n")
        if one_per_article:
            _, found = state.finish_duplicates(dropped=out_dir is not None)
            summary.count(found)
            for finding in found:
                if out_dir is None:
                    err.print(
                        f"duplicate: {finding.file} holds the same article as {finding.matched}", markup=False
                    )
                if log_file is not None:
                    log_file.write(json.dumps(finding.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            if page is not None:
                page.add_findings(found)
        if page is not None and html is not None:
            write_page(page, html)
    finally:
        if log_file is not None:
            log_file.close()
    if not quiet:
        err.print(_summary_table(summary, "cleaner clean"))
    if summary.errors:
        raise typer.Exit(EXIT_FILE_ERRORS)
    if check and summary.changed:
        raise typer.Exit(EXIT_FOUND)


@app.command()
def report(
    paths: PathsArg,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="table (default on a terminal), json, jsonl or html (a review page; needs -o FILE).",
            show_default=False,
            metavar="FORMAT",
        ),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when anything of this kind is found: changes or duplicates.",
            show_default=False,
            metavar="WHAT",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the html page here.", show_default=False, metavar="FILE"),
    ] = None,
    config_file: ConfigOpt = None,
    marker: MarkerOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    jobs: JobsOpt = 0,
) -> None:
    """List what clean would do, file by file, without writing anything."""
    chosen = fmt or ("table" if out.is_terminal else "jsonl")
    if chosen not in {"table", "json", "jsonl", "html"}:
        raise typer.BadParameter("--format must be table, json, jsonl or html")
    if (chosen == "html") != (output is not None):
        raise typer.BadParameter("--format html writes to -o FILE, and -o is only for html")
    if fail_on not in {None, "changes", "duplicates"}:
        raise typer.BadParameter("--fail-on must be changes or duplicates")
    options = _options(config_file, marker, include, exclude)
    problems: list[Problem] = []
    sources = _sources(paths, options, (), problems)
    results = _problem_results(problems)
    summary = reporting.summarize(results)
    streaming = chosen == "jsonl"  # one finding a line as files finish: memory does not grow with findings
    if streaming:
        for line in reporting.finding_lines(results):
            emit(line)
    drops = reporting.GROUPS["paragraphs dropped"] | reporting.GROUPS["duplicate files"]
    repeats = False
    state = RunState(options)
    page = PageWriter() if output is not None else None
    texts = page is not None
    if page is not None:
        for problem_result in results:
            page.add(problem_result, None)
    for outcome in run(
        sources, options, Destination(fingerprints=True, short_lines=True, texts=texts), _jobs(jobs)
    ):
        state.add(outcome)
        if page is not None:
            page.add(outcome.result, outcome.texts)
        summary.add(outcome.result)
        if outcome.result.error is not None:
            err.print(f"error: {outcome.result.path}: {outcome.result.error}", markup=False)
        repeats = repeats or any(f.kind in drops for f in outcome.result.findings)
        if streaming:
            for line in reporting.finding_lines([outcome.result]):
                emit(line)
        elif page is None:  # the page keeps what it needs of each file as it goes
            results.append(outcome.result)
    groups, found = state.finish_duplicates(dropped=False)
    summary.count(found)
    repeats = repeats or bool(found)
    if streaming:
        for finding in found:
            emit(json.dumps(finding.to_dict(), ensure_ascii=False, sort_keys=True))
    else:
        results = sorted(attach(results, found), key=lambda r: r.path)
        candidates = state.boilerplate_candidates()
        if page is not None and output is not None:
            page.add_findings(found)
            write_page(page, output, groups, candidates)
        elif chosen == "json":
            doc = reporting.document(results, groups=groups, candidates=candidates)
            emit(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True))
        else:
            _print_table(results, groups, candidates)
    for problem in problems:
        err.print(f"error: {problem.path}: {problem.message}", markup=False)
    if summary.errors:
        raise typer.Exit(EXIT_FILE_ERRORS)
    if fail_on == "changes" and summary.changed:
        raise typer.Exit(EXIT_FOUND)
    if fail_on == "duplicates" and repeats:
        raise typer.Exit(EXIT_FOUND)


#: How many findings ``hook --check`` lists per file before pointing at ``cleaner report``.
HOOK_FINDINGS_SHOWN = 8


@app.command()
def hook(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Files to clean; pre-commit passes the staged ones.", show_default=False, metavar="FILE"
        ),
    ],
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; list each file that would change with its findings; exit 1 if any.",
        ),
    ] = False,
    config_file: ConfigOpt = None,
) -> None:
    """For pre-commit: clean FILEs in place, print "Fixing FILE" for each one changed, exit 1 if any did.

    Reads exactly the files given (the exclude globs of the configuration still apply) and never
    compares them with other files, so duplicates across files are not looked for. Exit codes: 0
    nothing to change; 1 files changed (with --check: would change); 2 bad configuration; 3 a file
    could not be read or written.
    """
    options = _options(config_file, None, None, None)
    problems: list[Problem] = []
    sources = _sources(files, options, (), problems)
    results = _problem_results(problems)
    results += [o.result for o in run(sources, options, Destination(in_place=not check), jobs=1)]
    results.sort(key=lambda r: r.path)
    for result in results:
        if result.error is not None:
            err.print(f"error: {result.path}: {result.error}", markup=False)
        elif result.changed and check:
            emit(f"{result.path}: would be fixed")
            _print_findings(result)
        elif result.changed:
            emit(f"Fixing {result.path}")
    summary = reporting.summarize(results)
    if summary.errors:
        raise typer.Exit(EXIT_FILE_ERRORS)
    if summary.changed:
        raise typer.Exit(EXIT_FOUND)


def _print_findings(result: FileResult) -> None:
    shown = result.findings[:HOOK_FINDINGS_SHOWN]
    for f in shown:
        text = _clip(f.passage or f.detail, 60)
        if f.matched and f.kind in reporting.GROUPS["titles repaired"]:
            text += " → " + _clip(f.matched, 60)
        emit(f"  {f.kind.value}: {text}")
    if len(result.findings) > len(shown):
        more = len(result.findings) - len(shown)
        emit(f"  … {more} more (cleaner report {result.path})")


@app.command("config")
def show_config(
    config_file: ConfigOpt = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="table or json.", metavar="FORMAT"),
    ] = "table",
    marker: MarkerOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
) -> None:
    """Print the effective settings and where each came from: default, a config file or the command line.

    Settings come from .cleaner.toml or [tool.cleaner] in pyproject.toml, found from the working
    folder up to the repository root (or --config FILE); flags override the file.
    """
    if fmt not in {"table", "json"}:
        raise typer.BadParameter("--format must be table or json")
    flags = _flags(marker, include, exclude)
    try:
        loaded = configuration.load(Path.cwd(), config_file)
        options, sources = configuration.apply(loaded, flags)
    except configuration.ConfigError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    if fmt == "json":
        settings = {
            name: {"value": configuration.plain(getattr(options, name)), "source": sources[name]}
            for name in configuration.FIELD_TYPES
        }
        document = {"config_file": loaded.name or None, "settings": settings}
        emit(json.dumps(document, ensure_ascii=False, indent=2))
        return
    out.print(f"config file: {loaded.name or 'none found'}", markup=False)
    table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False)
    table.add_column("setting", no_wrap=True)
    table.add_column("value", overflow="fold")
    table.add_column("source", no_wrap=True)
    for name in configuration.FIELD_TYPES:
        table.add_row(name, configuration.toml_value(getattr(options, name)), sources[name])
    out.print(table)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _place(finding: Finding) -> str:
    """``b2¶3`` (block and paragraph of the input body), else ``l12`` (file line), else ``-``."""
    if finding.block is not None and finding.paragraph is not None:
        return f"b{finding.block}¶{finding.paragraph}"
    if finding.line:
        return f"l{finding.line}"
    return "-"


def _print_table(results: list[FileResult], groups: list[Group], candidates: list[tuple[str, int]]) -> None:
    for result in results:
        findings = [f for f in result.findings if f.kind is not Kind.CROSS_FILE_DUPLICATE]
        if not findings:
            continue
        table = Table(title=result.path, title_justify="left", expand=False, show_lines=False)
        table.add_column("place", no_wrap=True)
        table.add_column("kind", no_wrap=True)
        table.add_column("sim", justify="right", no_wrap=True)
        table.add_column("passage → matched", overflow="fold")
        for f in findings:
            place = _place(f)
            sim = "" if f.similarity is None else f"{f.similarity:.0f}"
            text = _clip(f.passage or f.detail, 48)
            if f.matched:
                text += " → " + _clip(f.matched, 24)
            table.add_row(place, f.kind.value, sim, text)
        out.print(table)
    if groups:
        table = Table(title="duplicate articles across files", title_justify="left")
        table.add_column("file", overflow="fold")
        table.add_column("sim", justify="right", no_wrap=True)
        table.add_column("verdict", overflow="fold")
        for group in groups:
            table.add_row(group.canonical, "", f"kept: {group.why}")
            for member in group.members:
                table.add_row("  " + member.path, f"{member.similarity:.0f}", member.reason)
        out.print(table)
    if candidates:
        table = Table(
            title="boilerplate candidates (add to boilerplate_lines to remove)", title_justify="left"
        )
        table.add_column("line", overflow="fold")
        table.add_column("files", justify="right")
        for line, count in candidates[:20]:
            table.add_row(_clip(line, 60), str(count))
        out.print(table)
    out.print(_summary_table(reporting.summarize(results), "cleaner report"))


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM ends a run the way Ctrl-C does: writes in progress finish atomically, nothing new starts."""
    raise KeyboardInterrupt


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except KeyboardInterrupt:
        err.print("cleaner: interrupted; files already written are complete, run again to finish")
        sys.exit(130)
