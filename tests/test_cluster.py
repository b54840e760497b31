"""``--scheduler``: the same bytes and the same findings, in the same order, as a run on this machine.

One LocalCluster (two worker processes of one thread) and one cluster started as a user starts it
(``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1) serve the whole module; the corpora
and the local runs they are compared with are made once. The S3 round trip runs against moto's server
on loopback. Nothing here measures speed (``bench/cluster.py`` does).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cleaner.run import Duplicates, Event, FileDone, Request, execute
from tests.conftest import ROOT, SHARED
from tests.factory import write_posts

distributed = pytest.importorskip("distributed")

CASES = ROOT / "fixtures" / "cases"
SAMPLES = {name: SHARED / name for name in ("corpus-sample", "corpus-sample-v2")}
GENERATED = 2000
STARTUP_TIMEOUT = 60


# --- what a run produced ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    exit_code: int
    files: dict[str, bytes]  # output path (relative) → bytes
    findings: list[dict[str, Any]]  # in the order the log gets them
    summary: tuple[int, int, int, int]
    written: int


class _Findings:
    """Collects findings in the order ``--log`` writes them; optionally acts on the first file done."""

    def __init__(self, on_first: Any = None) -> None:
        self.found: list[dict[str, Any]] = []
        self.on_first = on_first

    def __call__(self, event: Event) -> None:
        if isinstance(event, FileDone):
            self.found.extend(f.to_dict() for f in event.result.findings)
            if self.on_first is not None:
                self.on_first, act = None, self.on_first
                act()
        elif isinstance(event, Duplicates):
            self.found.extend(f.to_dict() for f in event.findings)


def _tree(folder: Path) -> dict[str, bytes]:
    """The files of ``folder``; a temporary file a killed worker may leave (``.NAME.XXXX.tmp``) is not
    output."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not (p.name.startswith(".") and p.name.endswith(".tmp"))
    }


def _clean(source: Path, out: Path, on_first: Any = None, **cluster: Any) -> Outcome:
    findings = _Findings(on_first)
    request = Request("clean", (source,), out_dir=out, record=True, jobs=2, **cluster)
    report = execute(request, findings)
    assert report.refused is None, report.refused
    summary = report.summary
    return Outcome(
        report.exit_code,
        _tree(out),
        findings.found,
        (summary.files, summary.changed, summary.errors, len(report.duplicates)),
        report.written,
    )


# --- clusters and corpora, once per module ----------------------------------------------------------------


def _local_cluster(workers: int) -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def local_cluster() -> Iterator[str]:
    yield from _local_cluster(2)


@pytest.fixture(scope="module")
def one_worker_cluster() -> Iterator[str]:
    yield from _local_cluster(1)


def _wait_for_file(path: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("dask scheduler did not start")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def external_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 (random ports), as a user runs
    them."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": folder}
    processes = [
        subprocess.Popen(
            [
                *dask,
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                scheduler_file,
            ],
            **quiet,  # type: ignore[call-overload]
        )
    ]
    try:
        _wait_for_file(scheduler_file, processes[0])
        address = json.loads(scheduler_file.read_text())["address"]
        worker = [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1"]
        for _ in range(2):
            processes.append(
                subprocess.Popen(
                    [*worker, "--host", "127.0.0.1", "--no-dashboard", "--local-directory", folder],
                    **quiet,  # type: ignore[call-overload]
                )
            )
        with Client(address, timeout=STARTUP_TIMEOUT) as client:
            client.wait_for_workers(2, timeout=STARTUP_TIMEOUT)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in reversed(processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=20)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated") / "posts"
    assert write_posts(folder, GENERATED) == 100
    return folder


@pytest.fixture(scope="module")
def local_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The local run of a corpus (``-j 2``), made the first time a test asks for it."""
    done: dict[Path, Outcome] = {}
    root = tmp_path_factory.mktemp("local")

    def run(source: Path) -> Outcome:
        if source not in done:
            done[source] = _clean(source, root / str(len(done)))
        return done[source]

    yield run


def _corpus(name: str, generated: Path) -> Path:
    if name == "cases":
        return CASES
    if name == "generated":
        return generated
    if not SAMPLES[name].is_dir():
        pytest.skip(f"../shared/{name} is not here")
    return SAMPLES[name]


def _same(got: Outcome, want: Outcome) -> None:
    assert got.files.keys() == want.files.keys()
    assert [k for k in want.files if got.files[k] != want.files[k]] == []
    assert got.findings == want.findings
    assert (got.exit_code, got.summary, got.written) == (want.exit_code, want.summary, want.written)


# --- the same output --------------------------------------------------------------------------------------


@pytest.mark.parametrize("cluster", ["local_cluster", "one_worker_cluster", "external_cluster"])
@pytest.mark.parametrize("name", ["cases", "corpus-sample", "corpus-sample-v2", "generated"])
def test_a_cluster_writes_what_a_local_run_writes(
    name: str, cluster: str, request: pytest.FixtureRequest, generated: Path, local_runs: Any, tmp_path: Path
) -> None:
    """A LocalCluster of two workers and of one, and ``dask scheduler`` with two ``dask worker``s."""
    source = _corpus(name, generated)
    want = local_runs(source)
    got = _clean(source, tmp_path / "out", scheduler=request.getfixturevalue(cluster))
    _same(got, want)
    if name == "generated":  # the planted copies are found, as locally
        assert got.summary[3] == 100


def test_one_worker_local_cluster_from_the_command_line(local_runs: Any, tmp_path: Path) -> None:
    """``cleaner clean --scheduler local -j 1`` starts its own cluster; its log is the local run's."""
    subset = tmp_path / "in"
    for case in sorted(CASES.iterdir())[:12]:
        shutil.copytree(case, subset / case.name)
    want = local_runs(subset)
    log = tmp_path / "log.jsonl"
    command = [sys.executable, "-m", "cleaner", "clean", str(subset), "--out", str(tmp_path / "out"), "-q"]
    done = subprocess.run(
        [*command, "--log", str(log), "--scheduler", "local", "-j", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == want.exit_code, done.stderr
    assert _tree(tmp_path / "out") == want.files
    assert [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] == want.findings


def test_report_on_a_cluster_is_the_local_report(local_cluster: str) -> None:
    from cleaner.report import document

    def report(**cluster: Any) -> dict[str, Any]:
        done = execute(Request("report", (CASES,), record=True, keep_results=True, **cluster))
        return document(done.report_results(), groups=done.groups, candidates=done.candidates)

    assert report(scheduler=local_cluster) == report()


def test_a_file_that_fails_gets_its_error_and_exit_3(local_cluster: str, tmp_path: Path) -> None:
    source = tmp_path / "in"
    shutil.copytree(CASES / "ja_markers", source / "ok")
    (source / "binary.md").write_bytes(b"\x00\x01\x02 not text \x00" * 50)
    want = _clean(source, tmp_path / "local")
    got = _clean(source, tmp_path / "cluster", scheduler=local_cluster)
    _same(got, want)
    assert got.exit_code == 3
    assert [f["rule"] for f in got.findings if f["kind"] == "error"] == ["error.read"]


def test_urls_need_a_scheduler(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "s3://bucket/posts", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "--scheduler" in done.stderr


# --- object storage ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3() -> Iterator[dict[str, str]]:
    """moto's S3 server on a random loopback port, for this module only."""
    pytest.importorskip("s3fs")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield {"endpoint_url": f"http://{host}:{port}", "key": "testing", "secret": "testing"}
    finally:
        server.stop()


def test_s3_round_trip(s3: dict[str, str], local_cluster: str, local_runs: Any, tmp_path: Path) -> None:
    """Posts read from one bucket, clean copies written to another: the bytes of a local run."""
    import s3fs

    fs = s3fs.S3FileSystem(**s3)
    fs.mkdir("posts")
    fs.mkdir("clean")
    fs.put(str(CASES), "posts/cases", recursive=True)
    want = local_runs(CASES)
    report = execute(
        Request(
            "clean",
            (),
            urls=("s3://posts/cases",),
            out_url="s3://clean/cases",
            storage_options=s3,
            scheduler=local_cluster,
            jobs=2,
        )
    )
    assert report.refused is None and report.exit_code == want.exit_code
    got = {path.removeprefix("clean/cases/"): fs.cat_file(path) for path in fs.find("clean/cases")}
    assert got.keys() == want.files.keys()
    assert [k for k in want.files if got[k] != want.files[k]] == []
    assert len(report.duplicates) == want.summary[3]


def test_a_missing_url_gets_its_error_line(s3: dict[str, str], local_cluster: str) -> None:
    found = _Findings()
    report = execute(
        Request("report", (), urls=("s3://posts/none",), storage_options=s3, scheduler=local_cluster), found
    )
    assert report.exit_code == 3
    assert [(f["file"], f["rule"], f["detail"]) for f in found.found] == [
        ("s3://posts/none", "error.discover", "no such file or folder")
    ]


# --- faults -----------------------------------------------------------------------------------------------


def test_a_killed_worker_does_not_change_the_output(
    local_cluster: str, generated: Path, local_runs: Any, tmp_path: Path
) -> None:
    """One of the two worker processes is killed once the first batch is back, with 120 batches of 16
    files to go; its nanny starts another and the scheduler runs its tasks again."""
    from distributed import Client

    with Client(local_cluster, timeout=STARTUP_TIMEOUT, set_as_default=False) as client:
        pids = client.run(os.getpid)
        victim = sorted(pids.values())[0]

        def kill() -> None:
            os.kill(victim, signal.SIGKILL)

        got = _clean(generated, tmp_path / "out", on_first=kill, scheduler=local_cluster, batch=16)
        _same(got, local_runs(generated))
        with contextlib.suppress(OSError):
            os.kill(victim, 0)
            pytest.fail("the worker was not killed")
        client.wait_for_workers(2, timeout=STARTUP_TIMEOUT)
        assert victim not in client.run(os.getpid).values()


# --- nothing loads dask without a scheduler ---------------------------------------------------------------

_PROBE = """
import sys
from cleaner.__main__ import main
sys.argv = ["cleaner", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(sorted(name for name in ("dask", "distributed", "fsspec") if name in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("command", ["clean", "hook"])
def test_a_run_without_a_scheduler_does_not_import_dask(command: str, tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    shutil.copy(CASES / "ja_markers" / "input.md", post)
    argv = (
        ["clean", str(post), "--out", str(tmp_path / "out"), "-q"]
        if command == "clean"
        else ["hook", str(post)]
    )
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "out" / "post.md").exists() or command == "hook"
