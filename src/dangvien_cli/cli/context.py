"""What a command opens and closes: the database, its transaction, and the Stamp of its changes.

Every command that reads or writes the database does it the same way: parse its options, open
a `CommandContext`, call one domain function, close, render. The context closes the database on
every path, an error included, and gives what commands used to gather each on its own: today's
date, the rules set with `dangvien config`, and who changes what, when, with which command.

Start-up stays lean: nothing here imports SQLAlchemy or rich at module level (`dangvien
schools` starts without them).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING

import typer

from dangvien_cli.cli import state
from dangvien_cli.cli.common import os_user, today

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dangvien_cli.core.settings import Rules
    from dangvien_cli.db.audit import Stamp
    from dangvien_cli.db.engine import Database


class CommandContext:
    """An opened database, with the transaction of the command when it asked for one."""

    def __init__(self, db: Database, command: str) -> None:
        self.db = db
        self.command = command  # the command line, as the audit log records it
        self._session: Session | None = None
        self._stamp: Stamp | None = None
        self._today: date | None = None
        self._rules: Rules | None = None

    @property
    def session(self) -> Session:
        """The command's transaction (opened with `transaction=True`)."""
        assert self._session is not None, "command_context(transaction=False) has no session"
        return self._session

    @property
    def stamp(self) -> Stamp:
        """Who makes the command's changes, when, with which command: for the audit log.
        The time is the first time it is asked for."""
        if self._stamp is None:
            self._stamp = self.new_stamp()
        return self._stamp

    def new_stamp(self) -> Stamp:
        """A stamp with the time now: for a command that makes one transaction after another
        (`import`, one per file) and stamps each with its own time."""
        from dangvien_cli.db.audit import Stamp

        return Stamp(now=datetime.now().astimezone(), user=os_user(), command=self.command)

    @property
    def today(self) -> date:
        """Today's date (DANGVIEN_TODAY pins it)."""
        if self._today is None:
            self._today = today()
        return self._today

    @property
    def rules(self) -> Rules:
        """The rules stored in the database (`dangvien config`), read in the transaction."""
        if self._rules is None:
            from dangvien_cli.db.settings import current_rules

            self._rules = current_rules(self.session)
        return self._rules


@contextmanager
def command_context(
    ctx: typer.Context, *, write: bool = False, transaction: bool = True
) -> Iterator[CommandContext]:
    """The database of --db, opened; with `transaction`, one transaction in it, committed when
    the block ends and rolled back on any error (`write` takes SQLite's write lock at once).
    The database is closed on every path."""
    app_state = state(ctx)
    context = CommandContext(app_state.open_db(), app_state.command)
    try:
        if not transaction:
            yield context
            return
        with context.db.session(write=write) as session:
            context._session = session
            try:
                yield context
            finally:
                context._session = None
    finally:
        context.db.close()
