"""The command line: the Typer app, its global options, and where errors become exit codes.

Each command group is one module: parse, open the context, call one domain function, render.

May import: every other package.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from dangvien_cli import __version__
from dangvien_cli.core.errors import DangvienError, ExitCode

if TYPE_CHECKING:
    from rich.console import Console

    from dangvien_cli.db.engine import Database


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def stdout_console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


class ErrorFunnel(TyperGroup):
    """Every domain error ends here: one message on stderr, one exit code."""

    # typer.Context is what Typer passes; the base class names Click's own Context.
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        import logging
        import time

        started = time.perf_counter()
        # The command's own words, kept before Click consumes them: a report names the command.
        argv = [*getattr(ctx, "_protected_args", []), *getattr(ctx, "args", [])]
        try:
            return super().invoke(ctx)
        except DangvienError as exc:
            from dangvien_cli.cli.common import literal

            stderr_console().print(f"[bold red]Lỗi:[/] {literal(exc.message)}")
            raise typer.Exit(int(exc.exit_code)) from exc
        except KeyboardInterrupt:
            stderr_console().print("Đã dừng theo yêu cầu; phần đang làm dở không được ghi.")
            raise typer.Exit(130) from None
        except _TYPERS_OWN:
            raise
        except Exception as exc:  # anything else: one message, and a report without data
            obj = ctx.find_root().obj
            app_state = obj if isinstance(obj, AppState) else None
            raise typer.Exit(failed(exc, app_state, argv)) from None
        finally:
            elapsed = time.perf_counter() - started
            logging.getLogger("dangvien_cli").info("Lệnh chạy trong %.2f giây.", elapsed)

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        # In the order a user meets them, not alphabetical.
        return list(self.commands)


app = typer.Typer(
    cls=ErrorFunnel,
    name="dangvien",
    help=(
        "Theo dõi đoàn viên ưu tú trong học sinh THPT, từ khi được phát hiện đến khi trở thành "
        "đảng viên chính thức.\n\n"
        "Ví dụ:\n\n"
        '  dangvien import 12A1.xlsx --school "THPT Bình Lư" --school-year 2024-2025\n\n'
        '  dangvien students --school "binh lu" --class 12A1'
    ),
    no_args_is_help=True,
    # Plain help: rich-formatted help costs ~130 ms of start-up for every command (issue 5).
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    pretty_exceptions_enable=False,
)


# Typer's ways of ending (exit codes, usage errors, Ctrl-D) and a closed pipe (`… | head`),
# which Typer ends quietly: not failures of dangvien.
_TYPERS_OWN = (typer.Exit, typer.Abort, TyperException, BrokenPipeError)


@dataclass
class AppState:
    db: str | None
    command: str
    wait: float | None = None  # seconds a write waits for another writer (db/waiting)

    def open_db(self) -> Database:
        from dangvien_cli.db.engine import open_database

        return open_database(self.db, notify=_notify, wait=self.wait)


def _say_error(message: str) -> None:
    from dangvien_cli.cli.common import literal

    stderr_console().print(f"[bold red]Lỗi:[/] {literal(message)}")


def failed(exc: BaseException, app_state: AppState | None, argv: list[str]) -> int:
    """An exception that is not a DangvienError, said in one message; its exit code.

    Disk full, read-only, no permission, a locked, damaged or unreachable database: what to do
    (core.errors.known_failure). Anything else: what happened in general terms and where the
    report is (cli.crashlog: the traceback without any value of the data). Never the
    exception's own text, which may carry a student's row (SQLAlchemy's "[parameters: …]")."""
    database, wait = _database_and_wait(app_state)
    from dangvien_cli.core.errors import known_failure

    known = known_failure(exc, database=database, waited=wait)
    if known is not None:
        _say_error(known.message)
        return int(known.exit_code)
    from dangvien_cli.cli import crashlog

    general = (
        f"dangvien gặp một lỗi không lường trước ({type(exc).__name__}) nên đã dừng; "
        "phần đang làm dở không được ghi."
    )
    try:
        report = crashlog.write_report(exc, command_words(argv))
    except OSError as err:
        _say_error(
            f"{general} Không ghi được báo cáo lỗi vào {crashlog.log_dir()} ({err.strerror}); "
            f"hãy đặt biến {crashlog.ENV_VAR} chỉ tới một thư mục ghi được rồi chạy lại lệnh."
        )
    else:
        _say_error(
            f"{general} Báo cáo đầy đủ (không chứa dữ liệu của học sinh) đã được ghi vào "
            f"{report}; hãy gửi tệp đó cho người hỗ trợ dangvien."
        )
    return int(ExitCode.FAILURE)


def _database_and_wait(app_state: AppState | None) -> tuple[str, float]:
    """How messages name the database, and the wait limit, as far as they can be known."""
    from dangvien_cli.db.waiting import DEFAULT_SECONDS

    try:
        from dangvien_cli.db.engine import locate

        database = locate(app_state.db if app_state else None).display
    except Exception:  # an unreadable --db: the message still says what to do
        database = "đang dùng"
    wait = app_state.wait if app_state and app_state.wait is not None else DEFAULT_SECONDS
    return database, wait


def command_words(argv: list[str]) -> list[str]:
    """The command line with every value left out: command names and option names only (the
    values may be a student's code, name or note)."""
    import re

    names = _command_names(app)
    option = re.compile(r"-{1,2}[a-z][a-z-]*")
    words = []
    for arg in argv:
        name = arg.split("=", 1)[0]
        words.append(name if option.fullmatch(name) or arg in names else "…")
    return words


def _command_names(group: typer.Typer) -> set[str]:
    names = {c.name for c in group.registered_commands if c.name}
    for sub in group.registered_groups:
        if sub.name:
            names.add(sub.name)
        if sub.typer_instance is not None:
            names |= _command_names(sub.typer_instance)
    return names


def _notify(message: str) -> None:
    # rich is imported only when there is something to say (start-up time, issue 5).
    from dangvien_cli.cli.common import literal

    stderr_console().print(literal(message))


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    return obj


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dangvien {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help=(
                "Tệp cơ sở dữ liệu SQLite, hoặc URL SQLAlchemy "
                "(postgresql+psycopg://…). Mặc định: biến DANGVIEN_DB, rồi ./dangvien.db."
            ),
            show_default=False,
            metavar="TỆP|URL",
        ),
    ] = None,
    wait: Annotated[
        str | None,
        typer.Option(
            "--wait",
            help=(
                "Khi một người khác đang ghi vào cùng cơ sở dữ liệu: chờ tối đa bấy nhiêu giây "
                "(có báo trên stderr), rồi dừng mà không ghi gì. Mặc định: biến DANGVIEN_WAIT, "
                "rồi 300."
            ),
            show_default=False,
            metavar="GIÂY",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="In phiên bản rồi thoát."),
    ] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help=(
                "In ra stderr từng bước đang làm (-v) và chi tiết hơn (-vv): tệp, trang tính, "
                "dòng tiêu đề, số dòng, thời gian. Không bao giờ in dữ liệu của học sinh."
            ),
        ),
    ] = 0,
) -> None:
    """Theo dõi đoàn viên ưu tú trong học sinh THPT đến khi trở thành đảng viên."""
    if verbose:
        _start_logging(verbose)
    from dangvien_cli.db.waiting import wait_limit

    ctx.obj = AppState(
        db=db, command=" ".join(["dangvien", *sys.argv[1:]])[:500], wait=wait_limit(wait)
    )


def _start_logging(verbose: int) -> None:
    """-v: what the command is doing, to stderr; -vv: more detail. The package logs only files,
    sheets, positions, column names, counts and timings, never a cell of a student's row
    (issue 6): a log pasted into a help request must not leak minors' data."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger = logging.getLogger("dangvien_cli")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose == 1 else logging.DEBUG)


def _register() -> None:
    from dangvien_cli.cli import (
        admission,
        config,
        importing,
        listing,
        merge,
        milestones,
        organisation,
        report,
        safety,
        template,
    )

    importing.register(app)
    listing.register(app)
    admission.register(app)
    milestones.register(app)
    organisation.register(app)
    report.register(app)
    config.register(app)
    template.register(app)
    merge.register(app)
    safety.register(app)


_register()


def _asked_command(argv: list[str]) -> str | None:
    """The command named on the command line after the global options, if any."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--db", "--wait"):
            i += 2
        elif arg in ("-v", "-vv", "-vvv", "--verbose") or arg.startswith(("--db=", "--wait=")):
            i += 1
        elif arg.startswith("-"):  # --help, --version or a mistake: the whole app answers
            return None
        else:
            return arg
    return None


def _app_for(argv: list[str]) -> typer.Typer:
    """The app with only the command asked for, when one is: Typer reads the signature of every
    registered command before running any, which is a third of `dangvien schools`' start-up.
    Top-level help, a misspelt command and no command get the whole app."""
    import copy

    asked = _asked_command(argv)
    if asked is None and (not argv or argv[-1] in ("-h", "--help")):
        return _listing_only(app)
    commands = [c for c in app.registered_commands if asked is not None and c.name == asked]
    groups = [g for g in app.registered_groups if asked is not None and g.name == asked]
    if not commands and not groups:
        return app
    only = copy.copy(app)
    only.registered_commands = commands
    only.registered_groups = groups
    return only


def _listing_only(whole: typer.Typer) -> typer.Typer:
    """The app for `dangvien --help`: the same commands, names and texts, each standing in
    with no parameters, because the listing shows only their names and short help."""
    import copy

    def stand_in(original: Any) -> Any:
        def command() -> None:
            raise AssertionError("a stand-in command is only listed, never run")

        command.__doc__ = getattr(original, "__doc__", None)
        return command

    listing = copy.copy(whole)
    listing.registered_commands = []
    for info in whole.registered_commands:
        shown = copy.copy(info)
        shown.callback = stand_in(info.callback)
        listing.registered_commands.append(shown)
    listing.registered_groups = []
    for group in whole.registered_groups:
        shown_group = copy.copy(group)
        if group.typer_instance is not None:
            shown_group.typer_instance = _listing_only(group.typer_instance)
        listing.registered_groups.append(shown_group)
    return listing


def main() -> None:
    """The console script."""
    try:
        _app_for(sys.argv[1:])()
    except DangvienError as exc:  # raised outside a command (e.g. in the callback)
        from dangvien_cli.core.text import printable

        stderr_console().print(f"Lỗi: {printable(exc.message)}", markup=False)
        sys.exit(int(exc.exit_code))
    except KeyboardInterrupt:
        stderr_console().print("Đã dừng theo yêu cầu; phần đang làm dở không được ghi.")
        sys.exit(130)
    except Exception as exc:  # outside a command: the same one message and report
        sys.exit(failed(exc, None, sys.argv[1:]))
    sys.exit(int(ExitCode.OK))
