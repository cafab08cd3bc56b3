"""`dangvien record` and `dangvien history`: each dossier's steps, appended, never rewritten."""

from __future__ import annotations

from typing import Annotated

import typer

from dangvien_cli.cli import stderr_console, stdout_console
from dangvien_cli.cli.common import literal, parse_date_option, print_json, step_option
from dangvien_cli.cli.context import command_context

RECORD_HELP = """Ghi một bước trong hồ sơ kết nạp của học sinh (chỉ thêm, không bao giờ ghi đè).

HỌC_SINH là mã học sinh, hoặc họ và tên khớp đúng một học sinh. BƯỚC là một trong:
cam-tinh, lop-boi-duong, phan-cong-giup-do, don-xin-vao-dang, tham-tra-ly-lich, gioi-thieu,
lay-y-kien, chi-bo-de-nghi, dang-uy-co-so, quyet-dinh-ket-nap, le-ket-nap, chinh-thuc,
ky-luat (cần --note: hình thức kỷ luật), dung (cần --note: lý do), chuyen-di (cần --note:
nơi chuyển đến). Sửa một mốc đã ghi: ghi mốc mới với --replaces SỐ (số mốc xem bằng
`dangvien history`).

Bị từ chối, kèm tên quy tắc: ngày sai thứ tự (chi bộ đề nghị ≤ đảng ủy cơ sở ≤ quyết định ≤
lễ kết nạp ≤ chính thức), chi bộ đề nghị khi chưa đủ tuổi, ngày ở tương lai, thiếu --note, và
mốc trái với mốc đã ghi: cùng bước, cùng ngày nhưng khác --doc-number, hoặc thêm một quyết định
kết nạp, lễ kết nạp hay chính thức (mỗi người chỉ có một) vào ngày khác — hãy sửa mốc đã ghi
bằng --replaces. Ghi lại đúng bước, ngày và số đã có thì không ghi thêm gì.

Ví dụ:

  dangvien record 2503656229 lop-boi-duong --date 20/07/2024 --doc-number "CN-123"

  dangvien record "Nguyễn Thị Lan" phan-cong-giup-do --date 01/09/2024 --mentor "Trần Văn Hùng"

  dangvien record 2503656229 quyet-dinh-ket-nap --date 10/04/2025 --doc-number "145-QĐ/ĐU"
"""

HISTORY_HELP = """Toàn bộ lịch sử của một học sinh: các mốc kết nạp (kể cả mốc đã được thay),
các lần nhập danh sách đã thay đổi thông tin, ai ghi và khi nào.

Ví dụ:

  dangvien history 2503656229

  dangvien history "Nguyễn Thị Lan" --json
"""


def record_command(
    ctx: typer.Context,
    student: Annotated[
        str, typer.Argument(help="Mã học sinh, hoặc họ và tên.", metavar="HỌC_SINH")
    ],
    step: Annotated[str, typer.Argument(help="Bước (xem danh sách ở trên).", metavar="BƯỚC")],
    on_date: Annotated[
        str, typer.Option("--date", help="Ngày của bước này (dd/mm/yyyy).", metavar="NGÀY")
    ],
    doc_number: Annotated[
        str | None,
        typer.Option(
            "--doc-number", help="Số văn bản (giấy chứng nhận, quyết định…).", metavar="SỐ"
        ),
    ] = None,
    mentor: Annotated[
        str | None,
        typer.Option("--mentor", help="Đảng viên được phân công giúp đỡ.", metavar="TÊN"),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option(
            "--note", help="Ghi chú; bắt buộc với ky-luat, dung, chuyen-di.", metavar="CHỮ"
        ),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Ai thực hiện (cấp ủy, người ký…).", metavar="TÊN")
    ] = None,
    replaces: Annotated[
        int | None,
        typer.Option("--replaces", help="Số của mốc được mốc này thay thế.", metavar="SỐ"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    from dangvien_cli.admission.milestones import record_step, resolve_student

    step_info = step_option(step)
    # Free text is stored without what would act on a terminal when printed (escapes, controls)
    doc_number, mentor, note, by = (_free(x) for x in (doc_number, mentor, note, by))
    day = parse_date_option(on_date, "--date")
    with command_context(ctx, write=True) as c:
        stamp = c.stamp  # the time of the command, before the checks
        info = resolve_student(c.session, student, as_of=day)
        done = record_step(
            c.session,
            info,
            step_info,
            day,
            doc_number=doc_number,
            mentor=mentor,
            note=note,
            acted_by=by,
            replaces=replaces,
            today=c.today,
            stamp=stamp,
        )
    if as_json:
        print_json(
            {
                "id": done.id,
                "student_code": info.code,
                "full_name": info.full_name,
                "step": step_info.slug,
                "date": day.isoformat(),
                "recorded": done.id is not None,
                "warnings": done.warnings,
            }
        )
        return

    err = stderr_console()
    for warning in done.warnings:
        err.print(f"[yellow]Lưu ý:[/] {literal(warning)}")
    if done.id is not None:
        stdout_console().print(
            f"Đã ghi mốc số {done.id}: {literal(info.full_name)} — {literal(step_info.label)}, "
            f"ngày {day:%d/%m/%Y}."
        )


def _free(text: str | None) -> str | None:
    from dangvien_cli.core.text import free_text

    return (free_text(text) or None) if text is not None else None


def history_command(
    ctx: typer.Context,
    student: Annotated[
        str, typer.Argument(help="Mã học sinh, hoặc họ và tên.", metavar="HỌC_SINH")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    from dangvien_cli.admission.milestones import history, resolve_student

    with command_context(ctx) as c:
        info = resolve_student(c.session, student, as_of=c.today)
        lines = history(c.session, info)
    if as_json:
        data = {**info.identity(), "history": [line.as_json() for line in lines]}
        print_json(data)
        return
    from rich.table import Table

    out = stdout_console()
    out.print(
        f"[bold]{literal(info.full_name)}[/] — mã {literal(info.code or 'không có')}, "
        f"sinh {info.birth_display or '?'}, lớp {literal(info.class_name or '?')}, "
        f"{literal(info.school)}"
    )
    if not lines:
        out.print("Chưa có gì được ghi.")
        return
    table = Table()
    table.add_column("Số", justify="right", no_wrap=True)
    table.add_column("Ngày", no_wrap=True)
    table.add_column("Nội dung")
    table.add_column("Ghi lúc", no_wrap=True)
    table.add_column("Người ghi", no_wrap=True)
    for line in lines:
        text = literal(line.text)
        if line.superseded:
            text = f"[strike dim]{text}[/] [dim](đã được thay)[/]"
        day = line.at.strftime("%d/%m/%Y")
        table.add_row(
            str(line.milestone_id or ""),
            day,
            text,
            line.recorded_at.strftime("%d/%m/%Y %H:%M") if line.recorded_at else "",
            literal(line.recorded_by or ""),
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command(
        "record",
        help=RECORD_HELP,
        short_help="Ghi một bước của hồ sơ kết nạp.",
        no_args_is_help=True,
    )(record_command)
    app.command(
        "history",
        help=HISTORY_HELP,
        short_help="Lịch sử của một học sinh.",
        no_args_is_help=True,
    )(history_command)
