"""`dangvien config`: the rules everyone sharing a database applies."""

from __future__ import annotations

from typing import Annotated

import typer

from dangvien_cli.cli import stdout_console
from dangvien_cli.cli.common import literal, print_json
from dangvien_cli.cli.context import command_context

config_app = typer.Typer(
    help="""Xem và đặt các thiết lập dùng chung (cách tính tuổi, mức học lực, tiêu chuẩn bắt
buộc, thời hạn giấy chứng nhận…). Thiết lập nằm trong cơ sở dữ liệu.

Ví dụ:

  dangvien config show

  dangvien config set age.mode day
""",
    no_args_is_help=True,
)

SHOW_HELP = """Liệt kê các thiết lập, giá trị hiện tại, mặc định và ý nghĩa.

Ví dụ:

  dangvien config show

  dangvien config show --json
"""

SET_HELP = """Đặt một thiết lập (ghi vào nhật ký thay đổi).

Ví dụ:

  dangvien config set age.mode day

  dangvien config set require.mentor false

  dangvien config set school_year.last_day 31/05
"""


@config_app.command("show", help=SHOW_HELP)
def show_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    from dangvien_cli.db.settings import list_settings

    with command_context(ctx) as c:
        rows = list_settings(c.session)
    if as_json:
        data = {r.key: r.value for r in rows}
        print_json(data)
        return
    from rich.table import Table

    table = Table(title="Thiết lập", title_justify="left")
    table.add_column("Khóa", no_wrap=True)
    table.add_column("Giá trị", no_wrap=True)
    table.add_column("Mặc định", no_wrap=True)
    table.add_column("Ý nghĩa")
    for r in rows:
        value = literal(r.value) if r.is_default else f"[bold yellow]{literal(r.value)}[/]"
        table.add_row(r.key, value, literal(r.default), literal(r.description))
    stdout_console().print(table)


@config_app.command("set", help=SET_HELP, no_args_is_help=True)
def set_command(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Khóa thiết lập, ví dụ age.mode.", metavar="KHÓA")],
    value: Annotated[str, typer.Argument(help="Giá trị mới.", metavar="GIÁ_TRỊ")],
) -> None:
    from dangvien_cli.db.settings import set_setting

    with command_context(ctx, write=True) as c:
        old, new = set_setting(c.session, key.strip(), value, stamp=c.stamp)
    if old == new:
        stdout_console().print(f"{literal(key)} vẫn là {literal(new)}.")
    else:
        stdout_console().print(f"Đã đổi {literal(key)}: {literal(old)} → {literal(new)}.")


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config", short_help="Thiết lập dùng chung.")
