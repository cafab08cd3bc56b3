"""`dangvien template`: an empty roster in the canonical layout, ready to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangvien_cli.cli import stdout_console
from dangvien_cli.core.errors import UsageError

HELP = """Tạo tệp danh sách mẫu (.xlsx) để điền rồi nhập bằng `dangvien import`.

Trang đầu có dòng tiêu đề cột, danh sách chọn cho giới tính, học lực, hạnh kiểm và đoàn viên;
trang "Hướng dẫn" giải thích cách ghi từng cột. Các tùy chọn điền sẵn dòng tiêu đề (trường,
lớp, năm học, học kỳ) để lúc nhập không phải ghi lại.

Ví dụ:

  dangvien template danh-sach.xlsx

  dangvien template 12A1.xlsx --school "THPT Bình Lư" --class 12A1 --school-year 2024-2025
"""


def template_command(
    path: Annotated[
        Path, typer.Argument(help="Tệp .xlsx sẽ tạo.", dir_okay=False, metavar="TỆP.xlsx")
    ],
    school: Annotated[
        str | None, typer.Option("--school", help="Tên trường.", metavar="TÊN")
    ] = None,
    class_name: Annotated[
        str | None, typer.Option("--class", help="Lớp, ví dụ 12A1.", metavar="LỚP")
    ] = None,
    school_year: Annotated[
        str | None, typer.Option("--school-year", help="Năm học, ví dụ 2024-2025.", metavar="NĂM")
    ] = None,
    term: Annotated[
        str | None, typer.Option("--term", help="hk1, hk2 hoặc cn.", metavar="KỲ")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè nếu tệp đã có.")] = False,
) -> None:
    from dangvien_cli.core.calendar import parse_school_year_option, parse_term_option
    from dangvien_cli.core.cells import ValueProblem
    from dangvien_cli.core.classes import parse_class_name
    from dangvien_cli.roster.template import write_template

    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"Tệp mẫu phải có đuôi .xlsx (nhận được “{path.name}”).")
    if path.exists() and not force:
        raise UsageError(f"{path} đã có. Hãy chọn tên khác, hoặc thêm --force để ghi đè.")
    try:
        year = parse_school_year_option(school_year) if school_year else None
        term_code = parse_term_option(term) if term else None
        klass = parse_class_name(class_name) if class_name else None
    except ValueProblem as exc:
        raise UsageError(exc.reason) from exc
    write_template(path, school=school, school_year=year, term=term_code, class_name=klass)
    stdout_console().print(f"Đã tạo {path}. Điền danh sách rồi nhập: dangvien import {path}")


def register(app: typer.Typer) -> None:
    app.command("template", help=HELP, short_help="Tạo tệp danh sách mẫu.", no_args_is_help=True)(
        template_command
    )
