"""`dangvien report`: progress against the plan targets, in the terminal, Excel, HTML and Word."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dangvien_cli.cli import stdout_console
from dangvien_cli.cli.common import date_option, literal, output_file, period_option
from dangvien_cli.cli.context import command_context
from dangvien_cli.core.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dangvien_cli.reports.figures import Scope

HELP = """Báo cáo kết quả phát triển đảng viên trong học sinh so với chỉ tiêu, cho một kỳ.

Mỗi trường một dòng, mỗi đơn vị một dòng cộng, một dòng tổng: số học sinh, đoàn viên, đủ
điều kiện, học lớp bồi dưỡng / chỉ tiêu, kết nạp / chỉ tiêu, tỷ lệ kết nạp trên số đã học lớp,
số có thể kết nạp thêm trong kỳ (dòng đỏ: khó đạt chỉ tiêu), kết nạp nữ, dân tộc thiểu số, có
tôn giáo. Chỉ có số liệu, trừ khi thêm --with-names.

Ví dụ:

  dangvien report --year 2024

  dangvien report --year 2024 --xlsx

  dangvien report --school-year 2024-2025 --unit "Tỉnh Lai Châu" --docx --html

  dangvien report --from 01/01/2024 --to 31/12/2025 --json
"""


def report_command(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", help="Năm dương lịch.")] = None,
    school_year: Annotated[
        str | None, typer.Option("--school-year", help="Năm học, ví dụ 2024-2025.", metavar="NĂM")
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="Từ ngày.", metavar="NGÀY")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Đến ngày.", metavar="NGÀY")] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Báo cáo của đơn vị này.", metavar="TÊN")
    ] = None,
    school: Annotated[
        str | None, typer.Option("--school", help="Báo cáo của một trường.", metavar="TÊN")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Ngày tính đủ điều kiện, tỷ lệ, khả năng.", metavar="NGÀY"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
    xlsx: Annotated[bool, typer.Option("--xlsx", help="Ghi tệp Excel.")] = False,
    html: Annotated[bool, typer.Option("--html", help="Ghi trang HTML (in được).")] = False,
    docx: Annotated[
        bool, typer.Option("--docx", help="Ghi báo cáo Word theo thể thức Đảng.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Tệp kết quả (một định dạng) hoặc thư mục (nhiều định dạng).",
            metavar="ĐƯỜNG_DẪN",
        ),
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            help="Tên mẫu HTML/Word của bạn (trong --templates); mẫu chạy trong môi trường "
            "cách ly, mẫu tìm cách chạy mã bị từ chối.",
            metavar="TÊN",
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="Thư mục chứa mẫu của bạn.", metavar="THƯ_MỤC"),
    ] = None,
    issuer: Annotated[
        str | None, typer.Option("--issuer", help="Cơ quan ban hành (dòng trên cùng bên trái).")
    ] = None,
    place: Annotated[
        str | None, typer.Option("--place", help="Địa danh ghi ở dòng ngày tháng.")
    ] = None,
    number: Annotated[
        str | None, typer.Option("--number", help="Số văn bản, ví dụ 12-BC/ĐU.")
    ] = None,
    with_names: Annotated[
        bool, typer.Option("--with-names", help="Kèm danh sách học sinh được đếm.")
    ] = False,
) -> None:
    from dangvien_cli.reports.figures import build_report, report_now
    from dangvien_cli.reports.renderers import (
        FILE_FORMATS,
        RenderOptions,
        Screen,
        file_renderer,
        stream_renderer,
    )

    day = date_option(as_of, "--as-of")
    wanted = {"xlsx": xlsx, "html": html, "docx": docx}
    formats = [fmt for fmt in FILE_FORMATS if wanted[fmt]]
    if out is not None and not formats:
        raise UsageError("--out dùng cùng --xlsx, --html hoặc --docx.")
    with command_context(ctx) as c:
        period = period_option(c.rules, year, school_year, start, end)
        scope = _scope(c.session, unit, school)
        report = build_report(
            c.session,
            period=period,
            scope=scope,
            now=report_now(period, day, c.today),
            generated_at=datetime.now().astimezone(),
            with_names=with_names,
        )
    # --json on standard output, else the table there unless files were asked for.
    shown = "json" if as_json else None if formats else "terminal"
    if shown is not None:
        stream_renderer(shown).show(report, Screen(stdout_console, typer.echo))
    options = RenderOptions(
        template=template, user_dir=templates, issuer=issuer, place=place, number=number
    )
    written = []
    for fmt in formats:
        path = _target_path(out, fmt, period.slug, several=len(formats) > 1)
        file_renderer(fmt, options).write(report, path)
        written.append(path)
    if written and not as_json:
        for path in written:
            stdout_console().print(f"Đã ghi {literal(path)}")


def _scope(session: Session, unit: str | None, school: str | None) -> Scope:
    from dangvien_cli.reports.figures import Scope

    if unit and school:
        raise UsageError("Chỉ dùng một trong hai: --unit hoặc --school.")
    if unit:
        from dangvien_cli.organisation.units import resolve_unit

        unit_id, name = resolve_unit(session, unit)
        return Scope(unit_id=unit_id, school_id=None, name=name)
    if school:
        from dangvien_cli.organisation.schools import resolve_school

        found = resolve_school(session, school)
        assert found.id is not None
        return Scope(unit_id=None, school_id=found.id, name=found.name)
    return Scope(unit_id=None, school_id=None, name="Tất cả các trường")


def _target_path(out: Path | None, fmt: str, slug: str, *, several: bool) -> Path:
    default = f"bao-cao-{slug}.{fmt}"
    if out is None:
        return Path(default)
    if several or out.is_dir():
        out.mkdir(parents=True, exist_ok=True)
        return out / default
    return output_file(
        out, f".{fmt}", refusal=f"--out {{name}}: tệp {fmt.upper()} cần đuôi .{fmt}."
    )


def register(app: typer.Typer) -> None:
    app.command(
        "report", help=HELP, short_help="Báo cáo so với chỉ tiêu (màn hình, Excel, HTML, Word)."
    )(report_command)
