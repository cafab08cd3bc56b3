"""The errors the domain raises, and the exit code each one ends the program with."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes that scripts rely on (see the README)."""

    OK = 0
    FAILURE = 1  # a file that cannot be read, a database that cannot be opened, …
    USAGE = 2  # wrong options or arguments; also what the user must add (--school, …)
    ROWS_REJECTED = 3  # the work was done, but some input rows were rejected


class DangvienError(Exception):
    """An error a user can act on; its message is Vietnamese and says what to do."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, *, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(DangvienError):
    """The command was called wrongly, or needs an option it was not given."""

    exit_code = ExitCode.USAGE


class NotFoundError(UsageError):
    """A name or code given on the command line matches nothing."""


class AmbiguousError(UsageError):
    """A name given on the command line matches more than one thing."""


class UnreadableFileError(DangvienError):
    """A file that is not a spreadsheet, is protected, damaged or empty."""

    exit_code = ExitCode.FAILURE


class DatabaseError(DangvienError):
    """The database cannot be opened, created or migrated."""

    exit_code = ExitCode.FAILURE
