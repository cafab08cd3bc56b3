"""`dangvien merge`: bring a school's database file into this one and say what it changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dangvien_cli.cli import state, stdout_console
from dangvien_cli.cli.common import print_json
from dangvien_cli.cli.context import command_context

if TYPE_CHECKING:
    from rich.console import Console

    from dangvien_cli.merge import MergeReport

HELP = """Hợp nhất tệp cơ sở dữ liệu của một trường (SQLite) vào cơ sở dữ liệu đang dùng.

Mang sang mọi thứ: đơn vị, trường, năm học, học sinh, lớp, kết quả học tập, Đoàn viên, các mốc
kết nạp, chỉ tiêu, các lần nhập và nhật ký. Học sinh được nhận ra bằng mã học sinh, nếu không có
mã thì bằng trường + họ tên + ngày sinh. Các mốc kết nạp chỉ được thêm: mốc của cả hai bên đều
được giữ. Một giá trị trong danh sách khác nhau giữa hai bên thì lấy theo lần nhập mới hơn; giá
trị cũ được giữ trong lịch sử (`dangvien history`). Hợp nhất lại cùng tệp không thay đổi gì.
Tệp của trường chỉ được đọc, không bị sửa. Cả lần hợp nhất là một giao dịch.

Trước khi ghi, cả tệp được kiểm tra: chỉ có các bảng của dangvien (không view, không trigger),
mỗi giá trị đúng kiểu (số nguyên, ngày có thật, JSON đọc được, tên không quá 100 ký tự và không
có ký tự điều khiển), mọi liên kết trỏ tới dòng có trong tệp, mã không trùng, cây đơn vị không
thành vòng và không sâu quá 20 tầng. Tệp có chỗ sai bị từ chối cả tệp (mã thoát 1, không ghi
gì) với danh sách bảng, dòng, cột và lý do; --json in
{"refused": [{"table", "row", "column", "reason"}]}. Một đơn vị có cấp trên khác nhau giữa
hai bên được giữ như ở đây và báo là khác nhau. Nhật ký của trường được chép kèm dấu
"— từ tệp … (hợp nhất)"; lần hợp nhất có ghi gì thì tự ghi một dòng nhật ký (tệp, sha256,
số dòng thêm mỗi bảng).

Một học sinh của tệp mang mã của một học sinh trường khác ở đây: cùng họ tên và ngày sinh
là chuyển trường (lấy theo bên mới hơn); khác người thì học sinh đó (cùng các mốc, kết quả của
em) không được hợp nhất, được báo tên trường và mã, --json thêm "held_back", mã thoát 3.

Mã thoát: 0 thành công; 1 tệp không đọc được, không phải của dangvien hoặc bị từ chối; 2 sai
cách gọi; 3 đã hợp nhất nhưng có học sinh chưa hợp nhất được (mã trùng với trường khác).

Ví dụ:

  dangvien --db tinh.db merge thpt-binh-lu.db

  dangvien merge thpt-binh-lu.db --dry-run

  dangvien --db postgresql+psycopg://user@127.0.0.1/dangvien merge thpt-binh-lu.db --json
"""

TABLE_LABELS = {
    "unit": "Đơn vị",
    "school": "Trường",
    "school_year": "Năm học",
    "import_batch": "Lần nhập",
    "student": "Học sinh",
    "enrollment": "Lớp theo năm học",
    "term_result": "Kết quả học kỳ",
    "youth_union": "Đoàn viên",
    "milestone": "Mốc kết nạp",
    "target": "Chỉ tiêu",
    "audit_log": "Nhật ký",
}


def merge_command(
    ctx: typer.Context,
    source: Annotated[
        Path,
        typer.Argument(
            help="Tệp cơ sở dữ liệu của trường (.db).", show_default=False, metavar="TỆP.db"
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Chỉ báo cáo sẽ thay đổi gì, không ghi gì.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    from datetime import datetime

    from dangvien_cli.db.engine import locate
    from dangvien_cli.merge import MergeRefusedError, merge_checked, school_file

    target = locate(state(ctx).db).path
    try:
        # The whole file is checked before this database is opened: a refused file leaves it
        # as it was, and no one waits for the write lock while the file is read.
        with (
            school_file(source, target=target, now=datetime.now().astimezone()) as conn,
            command_context(ctx, write=True) as c,
        ):
            report = merge_checked(c.session, conn, source, stamp=c.stamp)
            if dry_run:
                report.written = False
                c.session.rollback()
    except MergeRefusedError as exc:
        if not as_json:
            raise
        print_json(exc.as_json())  # every problem; the message shows the first ones
        raise typer.Exit(int(exc.exit_code)) from None
    if as_json:
        print_json(report.as_json())
    else:
        _print_report(stdout_console(), report)
    if report.held_back:
        from dangvien_cli.core.errors import ExitCode

        raise typer.Exit(int(ExitCode.ROWS_REJECTED))


def _print_report(out: Console, report: MergeReport) -> None:
    from rich.table import Table

    from dangvien_cli.cli.common import literal

    table = Table(title=f"[bold]Hợp nhất {literal(report.source)}[/]", title_justify="left")
    table.add_column("Bảng")
    table.add_column("Thêm mới", justify="right")
    table.add_column("Đã có", justify="right")
    for name, label in TABLE_LABELS.items():
        table.add_row(label, str(report.added.get(name, 0)), str(report.unchanged.get(name, 0)))
    out.print(table)
    if report.conflicts:
        conflicts = Table(title="Khác nhau giữa hai bên", title_justify="left")
        for column in ("Bảng", "Khóa", "Trường dữ liệu", "Ở đây", "Trong tệp", "Giữ"):
            conflicts.add_column(column, overflow="fold")
        for c in report.conflicts:
            data = c.as_json()
            conflicts.add_row(
                literal(TABLE_LABELS.get(c.table, c.table)),
                literal(c.key),
                literal(c.field),
                literal(json.dumps(data["ours"], ensure_ascii=False)),
                literal(json.dumps(data["theirs"], ensure_ascii=False)),
                "trong tệp (mới hơn)" if c.kept == "theirs" else "ở đây (mới hơn)",
            )
        out.print(conflicts)
    else:
        out.print("Không có giá trị nào khác nhau giữa hai bên.")
    for held in report.held_back:
        out.print(f"[yellow]Chưa hợp nhất:[/] {literal(held.line())}")
    if not report.written:
        out.print("[yellow]Chạy thử (--dry-run): không ghi gì vào cơ sở dữ liệu.[/]")


def register(app: typer.Typer) -> None:
    app.command("merge", help=HELP, no_args_is_help=True)(merge_command)
