"""`dangvien backup`, `dangvien check` and `dangvien audit`: keeping the record safe."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangvien_cli.cli import state, stderr_console, stdout_console
from dangvien_cli.cli.common import date_option, literal, print_json
from dangvien_cli.cli.context import command_context
from dangvien_cli.core.errors import ExitCode

BACKUP_HELP = """Sao lưu cơ sở dữ liệu SQLite vào tệp ĐƯỜNG_DẪN, an toàn cả khi người khác đang
ghi (dùng cơ chế sao lưu trực tuyến của SQLite). Bản sao chỉ chủ tệp đọc được (0600). Không ghi
đè lên tệp đã có, trừ khi thêm --force; không bao giờ ghi lên thư mục, thiết bị hay ống dẫn. Tệp
tạm do một lần sao lưu bị ngắt giữa chừng để lại được lần sao lưu sau xóa.

Cơ sở dữ liệu PostgreSQL được sao lưu bằng pg_dump của máy chủ: lệnh này in cách làm.

Ví dụ:

  dangvien backup sao-luu/dangvien-2025-04-01.db

  dangvien --db thpt-binh-lu.db backup /media/usb/thpt-binh-lu.db --force
"""

CHECK_HELP = """Kiểm tra cơ sở dữ liệu: tệp còn nguyên vẹn, khóa ngoại đúng, và các quy tắc của
hồ sơ kết nạp với mọi học sinh: ngày các bước đúng thứ tự (chi bộ đề nghị ≤ đảng ủy cơ sở ≤
quyết định ≤ lễ kết nạp ≤ chính thức), có quyết định thì phải có chi bộ đề nghị, có lễ kết nạp
thì phải có quyết định, người được kết nạp đủ tuổi vào ngày chi bộ đề nghị, mốc sửa chỉ thay mốc
của cùng một người, mỗi người chỉ có một quyết định kết nạp, một lễ kết nạp, một lần chính
thức (không hai mốc khác ngày hay khác số). Mã thoát 1 khi có vấn đề, 0 khi không.

Ví dụ:

  dangvien check

  dangvien --db tinh.db check --json
"""

AUDIT_HELP = """Nhật ký thay đổi, cũ trước mới sau: thời điểm, người dùng máy, lệnh, thao tác,
đối tượng và tóm tắt những gì đã đổi (nhập danh sách, ghi mốc, hợp nhất, thiết lập, chỉ tiêu).

Ví dụ:

  dangvien audit

  dangvien audit --since 01/04/2025

  dangvien audit --since 01/04/2025 --json
"""


def backup_command(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="Tệp sao lưu sẽ tạo.", metavar="ĐƯỜNG_DẪN", show_default=False)
    ],
    force: Annotated[bool, typer.Option("--force", help="Ghi đè lên tệp đã có.")] = False,
) -> None:

    from dangvien_cli.db.backup import backup, human_size
    from dangvien_cli.db.engine import locate, permission_warning

    location = locate(state(ctx).db)
    warning = permission_warning(location.path)
    if warning:
        stderr_console().print(literal(warning))
    done = backup(location, path, force=force)
    stdout_console().print(
        f"Đã sao lưu {literal(location.display)} vào {literal(str(done.path))} "
        f"({human_size(done.size)})."
    )


def check_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    from dangvien_cli.admission.checks import check

    with command_context(ctx) as c:
        problems = check(
            c.session,
            sqlite=c.db.engine.dialect.name == "sqlite",
            as_of=c.today,
            rules=c.rules,
        )
    code = ExitCode.FAILURE if problems else ExitCode.OK
    if as_json:
        data = {"ok": not problems, "problems": [p.as_json() for p in problems]}
        print_json(data)
        raise typer.Exit(int(code))

    out = stdout_console()
    if not problems:
        out.print("Không phát hiện vấn đề nào.")
        return
    for p in problems:
        who = f"{p.student_code or 'không có mã'} {p.full_name}: " if p.full_name else ""
        out.print(f"- {literal(who + p.message)}", soft_wrap=True)
    stderr_console().print(f"Phát hiện {len(problems)} vấn đề.")
    raise typer.Exit(int(code))


def audit_command(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Chỉ từ ngày này (dd/mm/yyyy).", metavar="NGÀY"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    from dangvien_cli.db.audit import audit_lines

    day = date_option(since, "--since")
    with command_context(ctx) as c:
        lines = audit_lines(c.session, since=day)
    if as_json:
        print_json([x.as_json() for x in lines])
        return
    from rich.table import Table

    out = stdout_console()
    if not lines:
        out.print("Nhật ký trống." if day is None else f"Không có thay đổi nào từ {since}.")
        return
    table = Table()
    table.add_column("Thời điểm", no_wrap=True)
    table.add_column("Người dùng", no_wrap=True)
    table.add_column("Lệnh")
    table.add_column("Thao tác", no_wrap=True)
    table.add_column("Đối tượng", no_wrap=True)
    table.add_column("Thay đổi")
    for x in lines:
        command = x.command or ""
        if len(command) > 60:
            command = command[:59] + "…"
        entity = x.entity if x.entity_id is None else f"{x.entity} {x.entity_id}"
        table.add_row(
            x.at.strftime("%d/%m/%Y %H:%M:%S"),
            literal(x.os_user or ""),
            literal(command),
            literal(x.action),
            literal(entity),
            literal(x.summary),
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command(
        "backup",
        help=BACKUP_HELP,
        short_help="Sao lưu cơ sở dữ liệu (an toàn khi đang có người ghi).",
        no_args_is_help=True,
    )(backup_command)
    app.command(
        "check",
        help=CHECK_HELP,
        short_help="Kiểm tra tệp và các quy tắc của hồ sơ; mã thoát 1 khi có vấn đề.",
    )(check_command)
    app.command(
        "audit",
        help=AUDIT_HELP,
        short_help="Nhật ký thay đổi: ai, khi nào, lệnh gì, đổi gì.",
    )(audit_command)
