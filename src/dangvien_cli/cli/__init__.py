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
        try:
            return super().invoke(ctx)
        except DangvienError as exc:
            from rich.markup import escape

            stderr_console().print(f"[bold red]Lỗi:[/] {escape(exc.message)}")
            raise typer.Exit(int(exc.exit_code)) from exc
        except KeyboardInterrupt:
            stderr_console().print("Đã dừng theo yêu cầu; phần đang làm dở không được ghi.")
            raise typer.Exit(130) from None
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


@dataclass
class AppState:
    db: str | None
    command: str

    def open_db(self) -> Database:
        from dangvien_cli.db.engine import open_database

        return open_database(self.db, notify=_notify)


def _notify(message: str) -> None:
    # rich is imported only when there is something to say (start-up time, issue 5).
    from rich.markup import escape

    stderr_console().print(escape(message))


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
    ctx.obj = AppState(db=db, command=" ".join(["dangvien", *sys.argv[1:]])[:500])


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
        if arg == "--db":
            i += 2
        elif arg in ("-v", "-vv", "-vvv", "--verbose") or arg.startswith("--db="):
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
        stderr_console().print(f"Lỗi: {exc.message}")
        sys.exit(int(exc.exit_code))
    sys.exit(int(ExitCode.OK))
