"""`dangvien template`: an empty roster in the canonical layout, ready to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangvien_cli.cli import stdout_console
from dangvien_cli.cli.common import (
    class_option,
    literal,
    output_file,
    school_year_option,
    term_option,
)

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
    from dangvien_cli.core.text import free_text
    from dangvien_cli.roster.template import write_template

    output_file(
        path,
        ".xlsx",
        refusal="Tệp mẫu phải có đuôi .xlsx (nhận được “{name}”).",
        overwrite=force,
    )
    year = school_year_option(school_year)
    term_code = term_option(term)
    klass = class_option(class_name)
    school = free_text(school) if school else None
    write_template(path, school=school, school_year=year, term=term_code, class_name=klass)
    stdout_console().print(
        f"Đã tạo {literal(path)}. Điền danh sách rồi nhập: dangvien import {literal(path)}"
    )


def register(app: typer.Typer) -> None:
    app.command("template", help=HELP, short_help="Tạo tệp danh sách mẫu.", no_args_is_help=True)(
        template_command
    )
