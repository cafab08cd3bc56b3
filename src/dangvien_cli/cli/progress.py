"""What `import` does while files are read: the progress bar on a terminal (nothing elsewhere),
and the next file read on a thread while the current one is imported."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dangvien_cli.cli.common import literal
from dangvien_cli.importing.reports import NoProgress

if TYPE_CHECKING:
    from rich.console import Console

    from dangvien_cli.importing.reader import Sheet

READ_AHEAD_BYTES = 8 * 1024 * 1024  # the next file is read during the current one up to this size


class ReadAhead:
    """Reads a file on a thread. calamine parses the file without holding Python's lock, so
    what runs meanwhile (start-up, opening the database, the previous file) is not slowed."""

    def __init__(self, path: Path) -> None:
        self._sheets: list[Sheet] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._read, args=(path,), daemon=True)
        self._thread.start()

    def _read(self, path: Path) -> None:
        try:
            from dangvien_cli.importing.reader import read_workbook

            self._sheets = read_workbook(path)
        except BaseException as exc:  # raised again where the file is imported
            self._error = exc

    def sheets(self) -> list[Sheet]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._sheets is not None
        return self._sheets


def small_enough_to_read_ahead(path: Path) -> bool:
    """Whether reading the file ahead costs little memory (two large files are not held)."""
    try:
        return path.stat().st_size <= READ_AHEAD_BYTES
    except OSError:
        return False


class RichProgress:
    """The rows' progress bar on stderr, gone when the file is done (one update per chunk)."""

    def __init__(self, console: Console) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("dòng"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self._task: Any = None

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def reading(self, description: str) -> None:
        """A bar that moves to and fro while the file is read (its length is not known yet)."""
        self._task = self._progress.add_task(f"{literal(description)}: đang đọc", total=None)

    def start(self, description: str, total: int) -> None:
        description = literal(description)  # the file's name, inside the column's markup
        if self._task is None:
            self._task = self._progress.add_task(description, total=total)
        else:
            self._progress.update(self._task, description=description, total=total, completed=0)

    def advance(self, amount: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, amount)

    def finish(self) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=self._progress.tasks[0].total)


class Quiet(NoProgress):
    """No progress shown: stderr is not a terminal, or --json was asked for. The importer's own
    NoProgress, with what the command asks of a display besides (a context, the reading phase)."""

    def __enter__(self) -> Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def reading(self, description: str) -> None:
        pass


def progress_display(console: Console, *, enabled: bool) -> RichProgress | Quiet:
    """A progress bar when `enabled` and the console is a terminal, else nothing."""
    if enabled and console.is_terminal:
        return RichProgress(console)
    return Quiet()
