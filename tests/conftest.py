"""Shared fixtures: every test gets its own database file, a fixed terminal, and a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from dbcheck import query


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point DANGVIEN_DB at a file in tmp_path (no test can touch a real ./dangvien.db) and
    DANGVIEN_LOG_DIR at tmp_path/logs (nor a real log folder), run
    from tmp_path, and pin the terminal so rich output is the same on every machine."""
    db = tmp_path / "dangvien.db"
    monkeypatch.setenv("DANGVIEN_DB", str(db))
    monkeypatch.setenv("DANGVIEN_LOG_DIR", str(tmp_path / "logs"))  # reports of unexpected errors
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("LINES", "50")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return db


@pytest.fixture
def db_path(isolated: Path) -> Path:
    """The database file the CLI uses in this test (it exists once a command has run)."""
    return isolated


class Cli:
    """Invokes the Typer app in-process. stdout and stderr come back separately
    (``result.stdout``, ``result.stderr``; ``result.output`` is both, as a terminal shows)."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: object, input: str | None = None) -> Result:
        from dangvien_cli.cli import app

        return self.runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    def ok(self, *args: object) -> Result:
        """Run and insist on exit code 0."""
        result = self(*args)
        assert result.exit_code == 0, result.output
        return result

    def json(self, *args: object, code: int | Sequence[int] = 0) -> Any:
        """Run with --json appended, check the exit code, and parse stdout."""
        result = self(*args, "--json")
        codes = (code,) if isinstance(code, int) else tuple(code)
        assert result.exit_code in codes, (result.exit_code, result.output)
        try:
            return json.loads(result.stdout)
        except json.JSONDecodeError as exc:  # pragma: no cover - a failing test says why
            raise AssertionError(f"stdout is not JSON: {result.stdout!r}\n{result.stderr}") from exc

    def students(self, *args: object) -> list[dict[str, Any]]:
        data = self.json("students", *args)
        assert isinstance(data, list)
        return data

    def by_code(self, *args: object) -> dict[str, dict[str, Any]]:
        """`students --json`, keyed by student code."""
        return {s["student_code"]: s for s in self.students(*args)}


@pytest.fixture
def run() -> Cli:
    return Cli()


@pytest.fixture
def sql(db_path: Path) -> Any:
    """sql("SELECT …", params…) on this test's database file."""

    def _sql(statement: str, *params: object) -> list[tuple[Any, ...]]:
        return query(db_path, statement, *params)

    return _sql
