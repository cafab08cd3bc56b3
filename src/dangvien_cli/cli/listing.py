"""`dangvien schools` and `dangvien students`: what the database holds, as tables or JSON."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from dangvien_cli.cli import state, stdout_console
from dangvien_cli.errors import UsageError

SCHOOLS_HELP = """Liệt kê các trường, số học sinh và năm học gần nhất.

Ví dụ:

  dangvien schools

  dangvien schools --json
"""

STUDENTS_HELP = """Liệt kê học sinh với lớp của năm học gần nhất, xếp theo tên kiểu Việt Nam.

--school và --search so khớp không phân biệt dấu và chữ hoa ("binh lu" tìm được
"THPT Bình Lư").

Ví dụ:

  dangvien students --school "binh lu" --class 12A1

  dangvien students --search "nguyen thi" --json

  dangvien students --school-year 2024-2025
"""


def schools_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    from dangvien_cli.schools import list_schools

    db = state(ctx).open_db()
    with db.raw_read() as conn:
        rows = list_schools(conn)
    db.close()
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
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.markup import escape
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
        table.add_row(escape(r.name), escape(r.unit or "—"), str(r.students), r.latest_year or "—")
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
) -> None:
    from dangvien_cli.importing.values import (
        ValueProblem,
        parse_class_name,
        parse_school_year_option,
    )
    from dangvien_cli.schools import resolve_school
    from dangvien_cli.students import list_students

    try:
        year = parse_school_year_option(school_year) if school_year else None
        klass = parse_class_name(class_name) if class_name else None
    except ValueProblem as exc:
        raise UsageError(exc.reason) from exc
    db = state(ctx).open_db()
    with db.session() as session:
        school_row = resolve_school(session, school) if school else None
        rows = list_students(
            session,
            school_id=school_row.id if school_row else None,
            class_name=klass,
            search=search,
            school_year=year,
        )
    db.close()
    if as_json:
        typer.echo(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return
    from rich.markup import escape
    from rich.table import Table

    out = stdout_console()
    if not rows:
        out.print("Không có học sinh nào khớp điều kiện.")
        return
    title = "Học sinh"
    if school_row is not None:
        title += f" — {school_row.name}"
    if klass:
        title += f" — lớp {klass}"
    years = {r.school_year for r in rows}
    if len(years) == 1 and None not in years:
        title += f" — năm học {years.pop()}"
    table = Table(title=escape(title), title_justify="left")
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
            escape(r.student_code or ""),
            escape(r.full_name),
            r.birth_display,
            escape(r.gender or ""),
            escape(r.ethnicity or ""),
            escape(r.class_name or ""),
            member,
        ]
        if school_row is None:
            cells.append(escape(r.school))
        table.add_row(*cells)
    out.print(table)
    out.print(f"{len(rows)} học sinh.")


def register(app: typer.Typer) -> None:
    app.command("schools", help=SCHOOLS_HELP, short_help="Các trường và số học sinh.")(
        schools_command
    )
    app.command("students", help=STUDENTS_HELP, short_help="Danh sách học sinh.")(students_command)
