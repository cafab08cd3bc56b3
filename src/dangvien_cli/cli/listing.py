"""`dangvien schools` and `dangvien students`: what the database holds, as tables or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dangvien_cli.cli import stdout_console
from dangvien_cli.cli.common import (
    class_option,
    literal,
    output_file,
    print_json,
    school_year_option,
)
from dangvien_cli.cli.context import command_context

if TYPE_CHECKING:
    from dangvien_cli.db.models import School
    from dangvien_cli.roster.students import RosterBlock, StudentRow

SCHOOLS_HELP = """Liệt kê các trường, số học sinh và năm học gần nhất.

Ví dụ:

  dangvien schools

  dangvien schools --json
"""

STUDENTS_HELP = """Liệt kê học sinh với lớp của năm học gần nhất, xếp theo tên kiểu Việt Nam.

--school và --search so khớp không phân biệt dấu và chữ hoa ("binh lu" tìm được
"THPT Bình Lư").

--xlsx và --csv ghi danh sách ra tệp theo mẫu của `dangvien template` (dòng tiêu đề ghi
trường, năm học, học kỳ; mỗi học sinh một dòng với mã, họ tên, ngày sinh, giới tính, dân tộc,
tôn giáo, lớp, kết quả học tập và rèn luyện gần nhất, đoàn viên, ngày vào Đoàn), nên
`dangvien import` đọc lại được ngay. Số định danh cá nhân không được ghi ra. Tệp CSV là
UTF-8 có BOM, ngăn cách bằng dấu phẩy, ngày dạng năm-tháng-ngày; ô chữ bắt đầu bằng = + - @
được thêm dấu ' ở đầu để Excel không chạy như công thức (`import` bỏ dấu này khi đọc lại).

Ví dụ:

  dangvien students --school "binh lu" --class 12A1

  dangvien students --search "nguyen thi" --json

  dangvien students --school-year 2024-2025

  dangvien students --school "binh lu" --class 12A1 --xlsx 12A1.xlsx

  dangvien students --school "binh lu" --csv hoc-sinh.csv
"""


def schools_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    from dangvien_cli.organisation.schools import list_schools

    # Read with the sqlite3 module alone: `dangvien schools` starts without SQLAlchemy.
    with command_context(ctx, transaction=False) as c, c.db.raw_read() as conn:
        rows = list_schools(conn)
    if as_json:
        data = [
            {
                "name": r.name,
                "unit": r.unit,
                "students": r.students,
                "latest_school_year": r.latest_year,
            }
            for r in rows
        ]
        print_json(data)
        return
    from rich.table import Table

    out = stdout_console()
    if not rows:
        out.print(
            'Chưa có trường nào. Hãy nhập danh sách: dangvien import TỆP --school "Tên trường".'
        )
        return
    table = Table(title="Các trường", title_justify="left")
    table.add_column("Trường")
    table.add_column("Thuộc đơn vị")
    table.add_column("Số học sinh", justify="right")
    table.add_column("Năm học gần nhất")
    for r in rows:
        table.add_row(
            literal(r.name), literal(r.unit or "—"), str(r.students), r.latest_year or "—"
        )
    out.print(table)


def students_command(
    ctx: typer.Context,
    school: Annotated[
        str | None,
        typer.Option("--school", help="Trường (một phần tên, không cần dấu).", metavar="TÊN"),
    ] = None,
    class_name: Annotated[
        str | None, typer.Option("--class", help="Lớp, ví dụ 12A1.", metavar="LỚP")
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", help="Tìm theo họ tên hoặc mã (không cần dấu).", metavar="CHỮ"),
    ] = None,
    school_year: Annotated[
        str | None,
        typer.Option(
            "--school-year",
            help="Chỉ danh sách của năm học này, ví dụ 2024-2025.",
            metavar="NĂM",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx",
            help="Ghi danh sách ra tệp .xlsx theo mẫu nhập.",
            metavar="TỆP.xlsx",
            dir_okay=False,
        ),
    ] = None,
    csv: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            help="Ghi danh sách ra tệp .csv (UTF-8, dấu phẩy).",
            metavar="TỆP.csv",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    from dangvien_cli.organisation.schools import resolve_school
    from dangvien_cli.roster.students import list_students, roster_blocks

    if xlsx is not None:
        output_file(xlsx, ".xlsx", option="--xlsx")
    if csv is not None:
        output_file(csv, ".csv", option="--csv")
    year = school_year_option(school_year)
    klass = class_option(class_name)
    exporting = xlsx is not None or csv is not None
    with command_context(ctx) as c:
        school_row = resolve_school(c.session, school) if school else None
        rows = list_students(
            c.session,
            school_id=school_row.id if school_row else None,
            class_name=klass,
            search=search,
            school_year=year,
        )
        blocks = roster_blocks(c.session, rows) if exporting and rows else []
    written = _export_students(blocks, xlsx=xlsx, csv=csv)
    if as_json:
        print_json([r.as_json() for r in rows])
        return

    out = stdout_console()
    if not rows:
        out.print("Không có học sinh nào khớp điều kiện.")
        if exporting:
            out.print("Không ghi tệp nào.")
        return
    if exporting:
        for path in written:
            out.print(f"Đã ghi {len(rows)} học sinh vào {literal(str(path))}.")
        return
    _print_students(rows, school_row, klass)


def _print_students(rows: list[StudentRow], school_row: School | None, klass: str | None) -> None:
    """The students as a table, titled with the school, class and school year they share."""
    from rich.table import Table

    out = stdout_console()
    title = "Học sinh"
    if school_row is not None:
        title += f" — {school_row.name}"
    if klass:
        title += f" — lớp {klass}"
    years = {r.school_year for r in rows}
    if len(years) == 1 and None not in years:
        title += f" — năm học {years.pop()}"
    table = Table(title=literal(title), title_justify="left")
    table.add_column("STT", justify="right", no_wrap=True)
    table.add_column("Mã học sinh", no_wrap=True)
    table.add_column("Họ và tên", min_width=14)
    table.add_column("Ngày sinh", no_wrap=True)
    table.add_column("Giới tính", no_wrap=True)
    table.add_column("Dân tộc")
    table.add_column("Lớp", no_wrap=True)
    table.add_column("Đoàn viên", justify="center", no_wrap=True)
    if school_row is None:
        table.add_column("Trường")
    for i, r in enumerate(rows, start=1):
        member = {True: "✓", False: "", None: "?"}[r.youth_union_member]
        cells = [
            str(i),
            literal(r.student_code or ""),
            literal(r.full_name),
            r.birth_display,
            literal(r.gender or ""),
            literal(r.ethnicity or ""),
            literal(r.class_name or ""),
            member,
        ]
        if school_row is None:
            cells.append(literal(r.school))
        table.add_row(*cells)
    out.print(table)
    out.print(f"{len(rows)} học sinh.")


def _export_students(
    blocks: list[RosterBlock], *, xlsx: Path | None, csv: Path | None
) -> list[Path]:
    """Write the requested files (none when nobody is listed); the paths written."""
    if not blocks:
        return []
    from dangvien_cli.roster.students import write_roster_csv, write_roster_xlsx

    written = []
    if xlsx is not None:
        write_roster_xlsx(xlsx, blocks)
        written.append(xlsx)
    if csv is not None:
        write_roster_csv(csv, blocks)
        written.append(csv)
    return written


def register(app: typer.Typer) -> None:
    app.command("schools", help=SCHOOLS_HELP, short_help="Các trường và số học sinh.")(
        schools_command
    )
    app.command("students", help=STUDENTS_HELP, short_help="Danh sách học sinh.")(students_command)
