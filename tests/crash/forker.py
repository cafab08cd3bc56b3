"""Run `dangvien` commands in processes that SIGKILL themselves at a chosen point.

A killed command must be a real process killed for real, and there are hundreds of them in the
crash tests (tests/test_crash.py): starting Python and importing dangvien for each would take
most of a second. So this file, run as a script, is a small fork server: it imports dangvien
once, then for each job read from stdin (one JSON line) forks a child that runs
`dangvien_cli.cli.main()` with the job's arguments, waits for it, and answers with the child's
exit status (negative: the signal that ended it, -9 for SIGKILL).

The product has no test hooks. The child arms its killer from outside, before `main()` runs:
every SQLite connection the command opens (SQLAlchemy's pysqlite dialect and the merge's reading
of the school's file both call `sqlite3.connect`) is made with a `sqlite3.Connection` subclass
that reports events to one counter:

- ``vm``: the progress handler, called every ``every`` SQLite VM instructions;
- ``sql <VERB>``: the trace callback, called as each statement starts (each row of an
  executemany, and the COMMIT itself);
- ``commit`` / ``committed``: just before and just after the driver's ``commit()``;
- ``close``: just before a connection is closed.

The child kills itself with SIGKILL when the counter reaches ``kill_at``. A run with
``events`` set writes the list of events it saw to that file instead, so a test can choose its
points (the counts are the same in every run of the same command on the same data).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
WARM = ["getpass", "alembic.command", "python_calamine", "rich.console", "rich.markup",
        "rich.progress", "rich.table", "sqlalchemy.dialects.sqlite.pysqlite", "sqlmodel",
        "dangvien_cli.cli", "dangvien_cli.cli.common", "dangvien_cli.db.engine",
        "dangvien_cli.importing", "dangvien_cli.merge", "dangvien_cli.admission.milestones",
        "dangvien_cli.db.backup", "dangvien_cli.admission.checks"]  # fmt: skip


class Killer:
    """Counts events; at the chosen one, the process dies at once (no cleanup, no atexit)."""

    def __init__(self, kill_at: int | None, log: list[str] | None) -> None:
        self.count = 0
        self.kill_at = kill_at
        self.log = log

    def event(self, kind: str) -> None:
        self.count += 1
        if self.log is not None:
            self.log.append(kind)
        if self.count == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


KILLER = Killer(None, None)


class ArmedConnection(sqlite3.Connection):
    def commit(self) -> None:
        KILLER.event("commit")
        super().commit()
        KILLER.event("committed")

    def close(self) -> None:
        KILLER.event("close")
        super().close()


def _on_statement(sql: str) -> None:
    words = sql.split(None, 2)[:2]
    verb = " ".join(words[:2] if words and words[0].upper() == "BEGIN" else words[:1]).upper()
    KILLER.event(f"sql {verb}")


def _on_progress() -> int:
    KILLER.event("vm")
    return 0  # non-zero would interrupt the statement


def arm(kill_at: int | None, every: int, log: list[str] | None, cache_pages: int | None) -> None:
    """Make every later `sqlite3.connect` return a connection that reports to the killer.

    ``cache_pages``: a page cache this small makes SQLite write the pages of a transaction that
    is still open into the WAL long before the COMMIT, as it does in a big import; a kill then
    leaves uncommitted frames in the WAL, which the next opener must ignore."""
    global KILLER
    KILLER = Killer(kill_at, log)
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs.setdefault("factory", ArmedConnection)
        con = real(*args, **kwargs)
        if cache_pages:
            con.execute(f"PRAGMA cache_size = {int(cache_pages)}")
        con.set_progress_handler(_on_progress, every)
        con.set_trace_callback(_on_statement)
        return con

    sqlite3.connect = connect  # type: ignore[assignment]
    sqlite3.dbapi2.connect = connect  # type: ignore[assignment]


# ----------------------------------------------------------------------------- the fork server


def _child(job: dict[str, Any]) -> None:
    """Runs in the forked child; never returns."""
    code = 70
    try:
        os.chdir(job["cwd"])
        os.environ.update(job.get("env") or {})
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, name in ((1, "stdout.txt"), (2, "stderr.txt")):
            out = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(out, fd)
            os.close(out)
        log: list[str] | None = [] if job.get("events") else None
        for where, value in (job.get("patch") or {}).items():
            module, name = where.split(":")
            assert hasattr(importlib.import_module(module), name), where
            setattr(importlib.import_module(module), name, value)
        if job.get("arm"):
            arm(job.get("kill_at"), int(job.get("every") or 1000), log, job.get("cache_pages"))
        sys.argv = ["dangvien", *job["argv"]]
        from dangvien_cli.cli import main

        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if log is not None:
            Path(job["events"]).write_text(json.dumps(log), encoding="utf-8")
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def serve() -> None:
    # Everything a command imports lazily is imported once here, before any fork.
    for name in WARM:
        importlib.import_module(name)

    print("ready", flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(job)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}), flush=True)


# ----------------------------------------------------------------------------- the test's side


class Forker:
    """One fork server, started as its own process; `run` is one command, start to end."""

    def __init__(self, env: dict[str, str]) -> None:
        self.lock = threading.Lock()
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, **env},
        )
        assert self.proc.stdout is not None
        ready = self.proc.stdout.readline().strip()
        assert ready == "ready", f"the fork server did not start: {ready!r}"

    def run(
        self,
        cwd: Path,
        argv: Sequence[object],
        *,
        kill_at: int | None = None,
        every: int = 1000,
        events: Path | None = None,
        armed: bool = True,
        cache_pages: int | None = None,
        patch: dict[str, object] | None = None,
    ) -> int:
        """Run `dangvien ARGV` in ``cwd``; its stdout and stderr go to cwd/stdout.txt and
        cwd/stderr.txt. Returns the exit status (-9 when it was killed). ``patch`` sets module
        constants in the child first ({"package.module:NAME": value}), e.g. a smaller chunk size
        so that a small roster is written in several chunks."""
        job = {
            "cwd": str(cwd),
            "argv": [str(a) for a in argv],
            "arm": armed,
            "kill_at": kill_at,
            "every": every,
            "events": str(events) if events else None,
            "cache_pages": cache_pages,
            "patch": patch,
        }
        with self.lock:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self.proc.stdin.write(json.dumps(job) + "\n")
            self.proc.stdin.flush()
            answer = self.proc.stdout.readline()
        if not answer:
            raise RuntimeError("the fork server stopped")
        return int(json.loads(answer)["returncode"])

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


if __name__ == "__main__":
    serve()
