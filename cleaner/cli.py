"""The command line: flags → one :class:`cleaner.run.Request` → :func:`cleaner.run.execute` → rendered.

The only module that imports typer or rich, and the only one that talks to the terminal. It holds no
run loop and decides no exit code: the :class:`cleaner.run.RunReport` of a run does (0 done; 1
``--check`` or ``report --fail-on`` found something, or ``hook`` changed a file; 2 usage error or bad
configuration; 3 some files could not be processed while all the others were). Status, errors, the
progress bar and the summary go to stderr; diffs and reports to stdout.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cleaner import __version__

# The run machinery, the engine, rich and json are imported where they are used: ``cleaner --version``
# and ``--help`` need none of them, and ``hook`` needs no rich.
if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID
    from rich.table import Table

    from cleaner.dedup import Group
    from cleaner.model import FileResult, Finding
    from cleaner.report import Summary
    from cleaner.run import Event, RunReport

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
    pretty_exceptions_enable=False,
)


class _Consoles:
    """rich consoles, made on first use: importing rich.console costs a hook run about 50 ms."""

    _err: Console | None = None
    _out: Console | None = None

    @classmethod
    def err(cls) -> Console:
        if cls._err is None:
            from rich.console import Console

            # emoji=False: rich would turn ``:fire:`` in a passage or a file name into 🔥
            cls._err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
        return cls._err

    @classmethod
    def out(cls) -> Console:
        if cls._out is None:
            from rich.console import Console

            cls._out = Console(highlight=False, soft_wrap=True, emoji=False)
        return cls._out


class _Command(typer.core.TyperCommand):
    """A command whose usage line reads ``cleaner clean [OPTIONS] PATH...``, as the arguments' help
    does, not typer's ``{PATH...}``."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


def say(text: str) -> None:
    """One status or error line on stderr, as it is (no rich markup)."""
    sys.stderr.write(text + "\n")


def emit(text: str, end: str = "\n") -> None:
    """Write machine-readable output (JSON, JSON Lines, diffs, hook lines) to stdout as it is: not
    through rich, which renders every line as rich text (most of the time of a large report)."""
    sys.stdout.write(text + end)


def _version(value: bool) -> None:
    if value:
        emit(f"cleaner {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", is_eager=True, callback=_version),
    ] = False,
) -> None:
    """Turn scraped and LLM-generated article folders into clean, canonical articles."""


PathsArg = Annotated[
    list[str],
    typer.Argument(
        help="Files or folders to read (folders recursively); with --scheduler, also URLs (s3://…).",
        show_default=False,
        metavar="PATH...",
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Run on a Dask cluster: a scheduler address (tcp://host:8786), or 'local' for a LocalCluster"
        " of -j worker processes. Needs cleaner[dask].",
        show_default=False,
        metavar="ADDRESS",
    ),
]
StorageOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--storage-option",
        help="KEY=VALUE for fsspec's file system of the URLs, e.g. endpoint_url=http://… (repeatable).",
        show_default=False,
        metavar="KEY=VALUE",
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
    int,
    typer.Option(
        "--jobs", "-j", help="Worker processes (0: all cores; a few files run in one).", min=0, metavar="N"
    ),
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


def _where(
    paths: list[str], out: str | None, scheduler: str | None, storage: list[str] | None
) -> dict[str, Any]:
    """The request's fields for its inputs and output: local paths, URLs, the cluster, fsspec options."""
    from cleaner.run import split_locations

    try:
        return split_locations(paths, out, scheduler, storage or [])
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def _finish(report: RunReport) -> None:
    """End the command with the run's exit code, after the line saying why a refused run did not start."""
    if report.refused is not None:
        say(report.refused)
    raise typer.Exit(report.exit_code)


# --- progress -------------------------------------------------------------------------------------------


class _ProgressBar:
    """One transient bar on a terminal for the whole run, labelled with the stage it is in; it moves with
    every file and through the duplicate pass."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, event: Event) -> None:
        if not self.enabled:
            return
        from cleaner.run import Progressed, Started

        if isinstance(event, Started):
            self._start(event.stage, event.total)
        elif isinstance(event, Progressed) and self.progress is not None and self.task is not None:
            self.progress.update(self.task, completed=event.done)

    def _start(self, stage: str, total: int | None) -> None:
        if self.progress is None:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.progress = Progress(
                TextColumn("{task.description:<24}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=_Consoles.err(),
                transient=True,
            )
            self.progress.start()
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task(stage, total=total)
        self.progress.refresh()  # a new stage shows at once, not at the next tick

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def _progress_shown(quiet: bool) -> bool:
    return not quiet and _Consoles.err().is_terminal


# --- clean ----------------------------------------------------------------------------------------------

ColorOpt = Annotated[
    str,
    typer.Option(
        "--color",
        help="Colour diffs: auto (on a terminal, unless NO_COLOR is set), always or never.",
        metavar="WHEN",
    ),
]


def _colour(when: str) -> bool:
    if when not in {"auto", "always", "never"}:
        raise typer.BadParameter("--color must be auto, always or never")
    if when == "auto":
        return sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    return when == "always"


class _CleanView:
    """What ``clean`` prints while files finish: errors, ``would clean`` lines, diffs, the log."""

    def __init__(self, *, check: bool, out_dir: str | None, log: Path | None, colour: bool) -> None:
        self.check = check
        self.out_dir = out_dir
        self.log = log.open("w", encoding="utf-8") if log is not None else None
        self.colour = colour

    def __call__(self, event: Event) -> None:
        from cleaner.run import Duplicates, FileDone

        if isinstance(event, FileDone):
            result = event.result
            if result.error is not None:
                say(f"error: {result.path}: {result.error}")
            elif result.changed and self.check:
                say(f"would clean {result.path}")
            if event.diff:
                emit(_render_diff(event.diff, self.colour), end="")
            if self.log is not None:
                for finding in result.findings:
                    self.log.write(_json_line(finding) + "\n")
        elif isinstance(event, Duplicates):
            for finding in event.findings:
                if self.out_dir is None:
                    say(f"duplicate: {finding.file} holds the same article as {finding.matched}")
                if self.log is not None:
                    self.log.write(_json_line(finding) + "\n")

    def close(self) -> None:
        if self.log is not None:
            self.log.close()


#: ANSI styles of a coloured diff: whole lines, and the spans only one side has (reversed colours).
_STYLE = {
    "header": "\x1b[1m",
    "hunk": "\x1b[36m",
    "removed": "\x1b[31m",
    "added": "\x1b[32m",
    "removed span": "\x1b[1;37;41m",
    "added span": "\x1b[1;30;42m",
}
_MARK = {"removed": "-", "added": "+", "context": " "}
_RESET = "\x1b[0m"


def _render_diff(diff: str, colour: bool) -> str:
    """The unified diff as it is, or coloured with the changed spans of paired lines highlighted."""
    if not colour:
        return diff
    from cleaner.diffs import changed_lines

    out: list[str] = []
    for line in changed_lines(diff):
        mark = _MARK.get(line.kind, "")
        body = line.text.rstrip("\n")
        end = line.text[len(body) :]
        style = _STYLE.get(line.kind, "")
        if line.spans:
            span_style = _STYLE[f"{line.kind} span"]
            body = "".join(
                f"{span_style}{span.text}{_RESET}{style}" if span.changed else span.text
                for span in line.spans
            )
        out.append(f"{style}{mark}{body}{_RESET}{end}" if style else f"{mark}{body}{end}")
    return "".join(out)


def _json_line(finding: Finding) -> str:
    import json

    return json.dumps(finding.to_dict(), ensure_ascii=False, sort_keys=True)


def _listen(*listeners: Callable[[Event], None]) -> Callable[[Event], None]:
    def tell(event: Event) -> None:
        for listener in listeners:
            listener(event)

    return tell


@app.command(cls=_Command)
def clean(
    paths: PathsArg,
    out_dir: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            help="Write clean files here, mirroring relative paths (with --scheduler, also a URL).",
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
    color: ColorOpt = "auto",
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
    scheduler: SchedulerOpt = None,
    storage_option: StorageOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Clean articles: remove continuation markers and repeats, stitch cut sentences, repair titles.

    Needs --out DIR, --in-place, --check or --diff: the input is never written by surprise.
    """
    from cleaner.run import Request, execute

    request = Request(
        "clean",
        flags=_flags(marker, include, exclude, keep_duplicates),
        config_file=config_file,
        **_where(paths, out_dir, scheduler, storage_option),
        in_place=in_place,
        check=check,
        diff=diff,
        record=log is not None or html is not None,
        texts=html is not None,
        jobs=jobs,
    )
    bar = _ProgressBar(_progress_shown(quiet))
    view = _CleanView(check=check, out_dir=out_dir, log=log, colour=_colour(color))
    page = _PageView() if html is not None else None
    try:
        report = execute(request, _listen(bar, view, *([page] if page else [])))
    finally:
        bar.stop()
        view.close()
    if page is not None and html is not None and report.refused is None:
        page.write(html, report)
    if not quiet and report.refused is None and report.sources:
        written = report.written if report.request.writes else None
        _Consoles.err().print(_summary_table(report.summary, "cleaner clean", written))
    _finish(report)


def _summary_table(summary: Summary, title: str, written: int | None = None) -> Table:
    """The summary lines, ``written`` when the run wrote files, and the counts by rule."""
    from rich.table import Table

    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("files read", str(summary.files))
    table.add_row("changed", str(summary.changed))
    table.add_row("unchanged", str(summary.unchanged))
    if written is not None:
        table.add_row("written", str(written))
    for name, count in summary.groups().items():
        table.add_row(name, str(count))
    table.add_row("errors", str(summary.errors))
    _rule_rows(table, summary)
    return table


def _rule_rows(table: Table, summary: Summary) -> None:
    """The counts by rule code under the summary lines (a rule's count, most frequent first)."""
    if not summary.rules:
        return
    table.add_section()
    table.add_row("by rule (or kind)", "")
    for code, count in sorted(summary.rules.items(), key=lambda item: (-item[1], item[0])):
        table.add_row(f"  {code}", str(count))


# --- report ---------------------------------------------------------------------------------------------

FORMATS = ("table", "json", "jsonl", "html")


class _PageView:
    """Feeds the review page as files finish: it keeps what the page needs of each file, compressed."""

    def __init__(self) -> None:
        from cleaner.html import PageWriter

        self.page = PageWriter()

    def __call__(self, event: Event) -> None:
        from cleaner.run import Duplicates, FileDone

        if isinstance(event, FileDone):
            self.page.add(event.result, event.texts)
        elif isinstance(event, Duplicates):
            self.page.add_findings(event.findings)

    def write(self, path: Path, report: RunReport) -> None:
        from cleaner.html import write_page

        write_page(self.page, path, report.groups, report.candidates)


class _ReportStream:
    """JSON Lines as files finish: one finding a line, so memory does not grow with the findings."""

    def __init__(self, rules: list[str], kinds: list[str]) -> None:
        self.rules, self.kinds = rules, kinds

    def keep(self, finding: Finding) -> bool:
        from cleaner.report import selected

        return selected(finding, self.rules, self.kinds)

    def __call__(self, event: Event) -> None:
        from cleaner.run import Duplicates, FileDone

        _report_errors(event)
        if isinstance(event, FileDone):
            for finding in event.result.findings:
                if self.keep(finding):
                    emit(_json_line(finding))
        elif isinstance(event, Duplicates):
            for finding in event.findings:
                if self.keep(finding):
                    emit(_json_line(finding))


def _report_errors(event: Event) -> None:
    from cleaner.run import FileDone

    if isinstance(event, FileDone) and event.result.error is not None:
        say(f"error: {event.result.path}: {event.result.error}")


@app.command(cls=_Command)
def report(
    paths: PathsArg,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="table (default on a terminal), json, jsonl (default when stdout is not a terminal) or"
            " html (a review page; needs -o FILE).",
            show_default=False,
            metavar="FORMAT",
        ),
    ] = None,
    rule: Annotated[
        list[str] | None,
        typer.Option(
            "--rule",
            help="Show only findings of this rule code, or of the codes under it (repeatable).",
            show_default=False,
            metavar="CODE",
        ),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind", help="Show only findings of this kind (repeatable).", show_default=False, metavar="KIND"
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
    scheduler: SchedulerOpt = None,
    storage_option: StorageOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """List what clean would do, file by file, without writing anything."""
    chosen = fmt or ("table" if _Consoles.out().is_terminal else "jsonl")
    if chosen not in FORMATS:
        raise typer.BadParameter("--format must be table, json, jsonl or html")
    if (chosen == "html") != (output is not None):
        raise typer.BadParameter("--format html writes to -o FILE, and -o is only for html")
    if fail_on not in {None, "changes", "duplicates"}:
        raise typer.BadParameter("--fail-on must be changes or duplicates")
    _check_kinds(kind or [])
    streaming = chosen == "jsonl"
    from cleaner.run import FINDING, Request, Started, execute

    request = Request(
        "report",
        flags=_flags(marker, include, exclude),
        **_where(paths, None, scheduler, storage_option),
        config_file=config_file,
        record=True,
        keep_results=not streaming and output is None,  # the page keeps what it needs as files finish
        texts=output is not None,
        fail_on=fail_on,  # type: ignore[arg-type]
        jobs=jobs,
    )
    rules, kinds = rule or [], kind or []
    bar = _ProgressBar(_progress_shown(quiet))
    page = _PageView() if output is not None else None
    view = _ReportStream(rules, kinds) if streaming else _report_errors

    def notice(event: Event) -> None:
        # once the settings are good: a refused run says only why
        if fmt is None and chosen != "table" and isinstance(event, Started) and event.stage == FINDING:
            say("cleaner report: stdout is not a terminal, writing JSON Lines (use --format to choose)")

    try:
        done = execute(request, _listen(notice, bar, view, *([page] if page else [])))
    finally:
        bar.stop()
    if done.refused is None and page is not None and output is not None:
        page.write(output, done)
    elif done.refused is None and not streaming:
        results = _filtered(done.report_results(), rules, kinds)
        if chosen == "json":
            import json

            from cleaner.report import document

            doc = document(results, groups=done.groups, candidates=done.candidates)
            emit(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True))
        else:
            _print_table(results, done.groups, done.candidates)
    if done.finding is not None:
        say(f"cleaner report: {done.finding}")
    _finish(done)


def _check_kinds(kinds: list[str]) -> None:
    from cleaner.model import Kind

    known = {k.value for k in Kind}
    unknown = [k for k in kinds if k not in known]
    if unknown:
        raise typer.BadParameter(f"unknown kind {unknown[0]!r}; one of: {', '.join(sorted(known))}")


def _filtered(results: list[FileResult], rules: list[str], kinds: list[str]) -> list[FileResult]:
    if not (rules or kinds):
        return results
    from dataclasses import replace

    from cleaner.report import selected

    return [replace(r, findings=tuple(f for f in r.findings if selected(f, rules, kinds))) for r in results]


# --- hook -----------------------------------------------------------------------------------------------


@app.command(cls=_Command)
def hook(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Files to clean; pre-commit passes the staged ones.", show_default=False, metavar="FILE..."
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
    from cleaner.hook import run_hook

    raise typer.Exit(run_hook(files, check=check, config_file=config_file))


@app.command("config", cls=_Command)
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
    from cleaner import config as configuration

    flags = _flags(marker, include, exclude)
    try:
        loaded = configuration.load(Path.cwd(), config_file)
        options, sources = configuration.apply(loaded, flags)
    except configuration.ConfigError as error:
        say(f"error: {error}")
        from cleaner.run import EXIT_USAGE

        raise typer.Exit(EXIT_USAGE) from None
    if fmt == "json":
        settings = {
            name: {"value": configuration.plain(getattr(options, name)), "source": sources[name]}
            for name in configuration.FIELD_TYPES
        }
        import json

        document = {"config_file": loaded.name or None, "settings": settings}
        emit(json.dumps(document, ensure_ascii=False, indent=2))
        return
    from rich import box
    from rich.table import Table

    out = _Consoles.out()
    out.print(f"config file: {loaded.name or 'none found'}", markup=False)
    table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False)
    table.add_column("setting", no_wrap=True)
    table.add_column("value", overflow="fold")
    table.add_column("source", no_wrap=True)
    for name in configuration.FIELD_TYPES:
        table.add_row(name, configuration.toml_value(getattr(options, name)), sources[name])
    out.print(table)


def _clip(text: str, width: int) -> str:
    from cleaner.hook import clip

    return clip(text, width)


def _place(finding: Finding) -> str:
    """``b2¶3`` (block and paragraph of the input body), else ``l12`` (file line), else ``-``."""
    if finding.block is not None and finding.paragraph is not None:
        return f"b{finding.block}¶{finding.paragraph}"
    if finding.line:
        return f"l{finding.line}"
    return "-"


def _print_table(results: list[FileResult], groups: list[Group], candidates: list[tuple[str, int]]) -> None:
    from rich.table import Table

    from cleaner.model import Kind
    from cleaner.report import summarize

    out = _Consoles.out()
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
    out.print(_summary_table(summarize(results), "cleaner report"))


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM ends a run the way Ctrl-C does: writes in progress finish atomically, nothing new starts."""
    raise KeyboardInterrupt


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except KeyboardInterrupt:
        say("cleaner: interrupted; files already written are complete, run again to finish")
        sys.exit(130)
