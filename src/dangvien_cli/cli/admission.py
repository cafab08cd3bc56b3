"""`dangvien eligible` and `dangvien candidates`: who can be voted on, and where each dossier is."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dangvien_cli.cli import stdout_console
from dangvien_cli.cli.common import (
    class_option,
    date_option,
    literal,
    output_file,
    print_json,
    school_scope,
    step_option,
    today,
)
from dangvien_cli.cli.context import command_context
from dangvien_cli.core.labels import CRITERION_COLUMNS

if TYPE_CHECKING:
    from dangvien_cli.admission.lists import CandidateRow, EligibilityRow

MARK = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[yellow]?[/]"}

ELIGIBLE_HELP = """Ai đủ điều kiện để chi bộ xét đề nghị kết nạp vào ngày họp (--as-of).

Xét từng tiêu chuẩn: tuổi (đủ 18 tính theo tháng hoặc theo ngày, xem `dangvien config`),
học tập ≥ Khá và rèn luyện Tốt theo kết quả gần nhất đã có, đoàn viên, đảng viên giúp đỡ,
lớp bồi dưỡng nhận thức về Đảng còn hạn, không bị kỷ luật. Luôn cho biết ngày bắt đầu đủ tuổi
và đánh dấu học sinh ra trường trước khi đủ tuổi. Học sinh đã có quyết định kết nạp, đã dừng
hoặc đã chuyển đi không thuộc danh sách xét.

Ví dụ:

  dangvien eligible --school "THPT Bình Lư" --as-of 15/03/2025

  dangvien eligible --school "binh lu" --all --grade 12 --xlsx du-dieu-kien.xlsx

  dangvien eligible --unit "Đảng ủy xã Bình Lư" --json
"""

CANDIDATES_HELP = """Quần chúng ưu tú đang trong quá trình kết nạp: giai đoạn, bước tiếp theo, hạn.

Trên bảng là phễu số người ở từng giai đoạn. Hạn tính theo ngày làm việc (trừ thứ Bảy, Chủ
nhật và ngày lễ, Tết): quyết định kết nạp trong 60 ngày làm việc từ khi chi bộ đề nghị, lễ kết
nạp trong 30 ngày làm việc từ quyết định, xét chính thức trong 30 ngày làm việc sau 12 tháng
dự bị.

Ví dụ:

  dangvien candidates --school "THPT Bình Lư"

  dangvien candidates --overdue

  dangvien candidates --stage chi-bo-de-nghi --json
"""


def eligible_command(
    ctx: typer.Context,
    school: Annotated[str | None, typer.Option("--school", help="Trường.", metavar="TÊN")] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Đơn vị (mọi trường trực thuộc).", metavar="TÊN")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Ngày chi bộ họp xét (mặc định: hôm nay).", metavar="NGÀY"),
    ] = None,
    grade: Annotated[int | None, typer.Option("--grade", help="Khối: 10, 11, 12.")] = None,
    class_name: Annotated[str | None, typer.Option("--class", help="Lớp.", metavar="LỚP")] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Mọi học sinh, với ✓/✗/? từng tiêu chuẩn và lý do.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
    xlsx: Annotated[
        Path | None,
        typer.Option("--xlsx", help="Ghi bảng xét ra tệp .xlsx.", metavar="TỆP.xlsx"),
    ] = None,
) -> None:
    from dangvien_cli.admission.lists import check_eligibility

    day = date_option(as_of, "--as-of") or today()
    if xlsx is not None:
        output_file(xlsx, ".xlsx", option="--xlsx")
    klass = class_option(class_name)
    from dangvien_cli.cli.output import dumps, no_gc_pauses
    from dangvien_cli.core.text import printable_json

    with no_gc_pauses(), command_context(ctx) as c:
        scope = school_scope(c.session, school, unit)
        _, rows = check_eligibility(
            c.session,
            as_of=day,
            school_ids=scope,
            class_name=klass,
            grade=grade,
            # --json lists only the eligible ones: no need to judge everyone else
            only_eligible=as_json and not show_all and xlsx is None,
        )
    listed = rows if show_all else [r for r in rows if r.result.eligible]
    if xlsx is not None:
        from dangvien_cli.reports.eligibility_xlsx import write_eligibility

        write_eligibility(xlsx, rows, as_of=day)
    if as_json:
        with no_gc_pauses():
            typer.echo(printable_json(dumps([r.as_json() for r in listed])))
        return
    _print_eligible(rows, listed, day, show_all=show_all)
    if xlsx is not None:
        stdout_console().print(f"Đã ghi bảng xét ({len(rows)} học sinh) vào {literal(xlsx)}.")


def _print_eligible(
    rows: list[EligibilityRow], listed: list[EligibilityRow], day: date, *, show_all: bool
) -> None:
    from rich.table import Table

    out = stdout_console()
    eligible = sum(1 for r in rows if r.result.eligible)
    out.print(f"[bold]Xét ngày {day:%d/%m/%Y}:[/] {eligible}/{len(rows)} học sinh đủ điều kiện.")
    late = [r for r in rows if r.result.leaves_before_age_eligible]
    if late:
        out.print(
            f"[bold red]⚠ {len(late)} học sinh ra trường trước khi đủ tuổi[/] — cần chi bộ họp "
            "sớm hơn (trong hè) hoặc chuyển hồ sơ cho tổ chức đảng nơi các em sẽ sinh hoạt."
        )
    if not listed:
        out.print("Không có học sinh nào đủ điều kiện." if not show_all else "Không có học sinh.")
        return
    table = Table(title_justify="left")
    table.add_column("STT", justify="right", no_wrap=True)
    table.add_column("Mã học sinh", no_wrap=True)
    table.add_column("Họ và tên", min_width=14)
    table.add_column("Lớp", no_wrap=True)
    table.add_column("Ngày sinh", no_wrap=True)
    table.add_column("Đủ tuổi từ", no_wrap=True)
    if show_all:
        for label in CRITERION_COLUMNS.values():
            table.add_column(label, justify="center", no_wrap=True)
    for i, r in enumerate(listed, start=1):
        first = r.result.first_age_eligible_date
        when = f"{first:%d/%m/%Y}" if first else "?"
        if r.result.leaves_before_age_eligible:
            when = f"[bold red]{when} ⚠[/]"
        cells = [
            str(i),
            literal(r.info.code or ""),
            literal(r.info.full_name),
            literal(r.info.class_name or ""),
            r.info.birth_display,
            when,
        ]
        if show_all:
            cells += [MARK[r.result.criteria[k].ok] for k in CRITERION_COLUMNS]
        table.add_row(*cells)
    out.print(table)
    if show_all:
        _print_reasons(listed)


def _print_reasons(rows: list[EligibilityRow]) -> None:
    out = stdout_console()
    for r in rows:
        bad = [k for k, c in r.result.criteria.items() if c.ok is not True]
        if not bad:
            continue
        out.print(f"[bold]{literal(r.info.full_name)}[/] ({literal(r.info.code or 'không mã')}):")
        for k in bad:
            c = r.result.criteria[k]
            out.print(f"  {MARK[c.ok]} {CRITERION_COLUMNS[k]}: {literal(c.detail)}")


def candidates_command(
    ctx: typer.Context,
    school: Annotated[str | None, typer.Option("--school", help="Trường.", metavar="TÊN")] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Đơn vị (mọi trường trực thuộc).", metavar="TÊN")
    ] = None,
    stage: Annotated[
        str | None, typer.Option("--stage", help="Chỉ những người ở bước này.", metavar="BƯỚC")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Chỉ những hồ sơ quá hạn.")] = False,
    show_all: Annotated[
        bool,
        typer.Option("--all", help="Cả người đã chính thức, đã dừng hoặc đã chuyển đi."),
    ] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Tính hạn đến ngày này.", metavar="NGÀY")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    from dangvien_cli.admission.lists import list_candidates

    day = date_option(as_of, "--as-of") or today()
    stage_slug = step_option(stage).slug if stage else None
    with command_context(ctx) as c:
        scope = school_scope(c.session, school, unit)
        rows = list_candidates(
            c.session,
            as_of=day,
            school_ids=scope,
            stage=stage_slug,
            overdue=overdue,
            include_finished=show_all,
        )
    if as_json:
        print_json([r.as_json() for r in rows])
        return
    _print_candidates(rows, day)


def _print_candidates(rows: list[CandidateRow], day: date) -> None:
    from rich.table import Table

    from dangvien_cli.admission.pipeline import STEPS, funnel

    out = stdout_console()
    if not rows:
        out.print("Chưa có quần chúng nào trong quá trình kết nạp (dangvien record … để ghi).")
        return
    counts = [(s, n) for s, n in funnel(r.stage for r in rows) if n]
    widest = max(n for _, n in counts)
    out.print(f"[bold]Phễu kết nạp đến ngày {day:%d/%m/%Y}[/] ({len(rows)} người)")
    for slug, n in counts:
        bar = "█" * max(1, round(30 * n / widest))
        out.print(f"  {STEPS[slug].label[:38]:<38} [cyan]{bar}[/] {n}")
    table = Table(title_justify="left")
    for name, wrap in (
        ("Mã học sinh", False),
        ("Họ và tên", True),
        ("Lớp", False),
        ("Giai đoạn", True),
        ("Từ ngày", False),
        ("Bước tiếp theo", True),
        ("Hạn", False),
        ("Quá hạn", False),
    ):
        table.add_column(name, no_wrap=not wrap)
    for r in rows:
        next_label = STEPS[r.due.next_step].label if r.due.next_step else "—"
        deadline = f"{r.due.deadline:%d/%m/%Y}" if r.due.deadline else "—"
        late = f"[bold red]{r.due.overdue_days} ngày[/]" if r.due.overdue_days > 0 else ""
        table.add_row(
            literal(r.info.code or ""),
            literal(r.info.full_name),
            literal(r.info.class_name or ""),
            literal(STEPS[r.stage].label),
            f"{r.stage_date:%d/%m/%Y}",
            literal(next_label),
            deadline,
            late,
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command("eligible", help=ELIGIBLE_HELP, short_help="Ai đủ điều kiện vào ngày họp chi bộ.")(
        eligible_command
    )
    app.command(
        "candidates", help=CANDIDATES_HELP, short_help="Hồ sơ đang làm: giai đoạn, bước tiếp, hạn."
    )(candidates_command)
