"""`dangvien import`: read roster files into the database and say what happened to every row."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dangvien_cli.cli import stderr_console, stdout_console
from dangvien_cli.cli.common import (
    class_option,
    literal,
    output_file,
    print_json,
    school_year_option,
    term_option,
)
from dangvien_cli.cli.context import command_context
from dangvien_cli.core.errors import DangvienError, ExitCode, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from dangvien_cli.cli.context import CommandContext
    from dangvien_cli.cli.progress import Quiet, ReadAhead, RichProgress
    from dangvien_cli.importing import FileReport, ImportOptions
    from dangvien_cli.importing.rows import RowError

TERMINAL_ERRORS = 30  # rejected rows listed in the terminal; --errors writes them all

HELP = """Nhập danh sách học sinh từ tệp Excel (.xlsx, .xlsm, .xls) hoặc LibreOffice (.ods).

Tự tìm dòng tiêu đề cột trong 30 dòng đầu (cả tiêu đề hai dòng có ô gộp, cả nhiều lớp nối nhau
trong một trang), đọc tên trường, lớp, năm học, học kỳ từ các dòng tiêu đề hoặc tên trang;
tùy chọn ghi trên dòng lệnh được ưu tiên hơn nội dung tệp. Mỗi tệp là một giao dịch: dòng hợp
lệ được ghi, dòng sai bị từ chối kèm trang, dòng, cột, giá trị và lý do. Nhập lại cùng tệp
không làm thay đổi gì; các mốc kết nạp đã ghi không bao giờ bị đụng tới. Mã học sinh đã có ở
trường khác: nếu họ tên và ngày sinh khớp thì đó là học sinh chuyển trường (được chuyển sang,
ghi vào lịch sử và nêu trong kết quả), nếu không thì dòng đó bị từ chối.

Tệp không ghi tên trường, năm học hay học kỳ (khi có cột học lực/hạnh kiểm): một thông báo
nêu cùng lúc mọi tùy chọn cần thêm (--school, --school-year, --term) kèm ví dụ; --json thêm
"missing_options".

Mã thoát: 0 mọi dòng hợp lệ; 3 có dòng bị từ chối; 1 tệp không đọc được; 2 sai cách gọi hoặc
thiếu tùy chọn.

Ví dụ:

  dangvien import 12A1.xlsx 12A2.xls --school "THPT Bình Lư" --school-year 2024-2025 --term hk1

  dangvien import khoi12.xls --errors loi.xlsx

  dangvien import danh-sach.xlsx --dry-run --json

  dangvien import xuat-vnedu.xlsx --preview
"""


def _options(
    school: str | None,
    school_year: str | None,
    term: str | None,
    class_name: str | None,
    strict: bool,
) -> ImportOptions:
    from dangvien_cli.core.text import free_text
    from dangvien_cli.importing import ImportOptions

    return ImportOptions(
        school=free_text(school) if school else None,
        school_year=school_year_option(school_year),
        term=term_option(term),
        class_name=class_option(class_name),
        strict=strict,
    )


def import_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Các tệp danh sách (.xlsx, .xlsm, .xls, .ods).",
            show_default=False,
            metavar="TỆP...",
        ),
    ],
    school: Annotated[
        str | None,
        typer.Option("--school", help="Tên trường (ưu tiên hơn tên ghi trong tệp).", metavar="TÊN"),
    ] = None,
    school_year: Annotated[
        str | None, typer.Option("--school-year", help="Năm học, ví dụ 2024-2025.", metavar="NĂM")
    ] = None,
    term: Annotated[
        str | None,
        typer.Option("--term", help="Học kỳ của kết quả: hk1, hk2 hoặc cn (cả năm).", metavar="KỲ"),
    ] = None,
    class_name: Annotated[
        str | None,
        typer.Option("--class", help="Lớp, khi tệp không ghi (ví dụ 12A1).", metavar="LỚP"),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Có một dòng sai thì không ghi gì từ tệp đó.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Chỉ kiểm tra và báo cáo, không ghi gì.")
    ] = False,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            help="Ghi các dòng bị từ chối ra tệp .xlsx này (khác các tệp đang nhập).",
            dir_okay=False,
            metavar="TỆP.xlsx",
        ),
    ] = None,
    preview: Annotated[
        bool,
        typer.Option(
            "--preview",
            help="Chỉ xem trước cách đọc tệp (bảng, cột, 5 người đầu), không mở cơ sở dữ liệu.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    if preview:
        if errors is not None:
            raise UsageError("--preview không ghi tệp nào: bỏ --errors, hoặc bỏ --preview.")
        from dangvien_cli.cli.preview import preview_files

        preview_files(
            files, _options(school, school_year, term, class_name, strict), as_json=as_json
        )
        return
    from dangvien_cli.cli.progress import ReadAhead, progress_display, small_enough_to_read_ahead

    options = _options(school, school_year, term, class_name, strict)
    if errors is not None:
        output_file(errors, ".xlsx", option="--errors", inputs=files)
    # The first file is read while the database is opened (and its schema created).
    ahead: ReadAhead | None = ReadAhead(files[0]) if files else None
    out = stdout_console()
    err = stderr_console()
    reports: list[FileReport] = []
    outcomes: list[FileReport | dict[str, Any]] = []  # in the order the files were given
    worst = ExitCode.OK
    # One transaction per file: the context opens the database only.
    with command_context(ctx, transaction=False) as c:
        for n, path in enumerate(files):
            current, ahead = ahead, None
            if n + 1 < len(files) and small_enough_to_read_ahead(files[n + 1]):
                ahead = ReadAhead(files[n + 1])
            try:
                with progress_display(err, enabled=not as_json) as progress:
                    report = _import_one(
                        c, path, current, options, progress, dry_run=dry_run, strict=strict
                    )
            except DangvienError as exc:
                outcomes.append(
                    {
                        "path": str(path),
                        "error": exc.message,
                        "exit_code": int(exc.exit_code),
                        # MissingOptionsError: every option the file needs, named at once
                        "missing_options": list(getattr(exc, "options", [])),
                    }
                )
                if not as_json:
                    err.print(f"[bold red]Lỗi:[/] {literal(exc.message)}")
                worst = _worse(worst, exc.exit_code)
                continue
            reports.append(report)
            outcomes.append(report)
            if report.rejected:
                worst = _worse(worst, ExitCode.ROWS_REJECTED)
            if not as_json:
                _print_report(out, report, strict=strict, dry_run=dry_run)
    if errors is not None:
        rejected = [e for r in reports for e in r.errors]
        _write_errors(errors, reports)
        if not as_json:
            if rejected:
                out.print(f"Đã ghi {len(rejected)} dòng bị từ chối vào {literal(errors)}.")
            else:
                out.print(f"Không có dòng nào bị từ chối; {literal(errors)} chỉ có tiêu đề.")
    if as_json:
        print_json(_json(outcomes))
    elif len(reports) > 1:
        _print_totals(out, reports)
    if worst != ExitCode.OK:
        raise typer.Exit(int(worst))


def _import_one(
    c: CommandContext,
    path: Path,
    ahead: ReadAhead | None,
    options: ImportOptions,
    progress: RichProgress | Quiet,
    *,
    dry_run: bool,
    strict: bool,
) -> FileReport:
    """One file in its own transaction, stamped with its own time; rolled back on --dry-run,
    and on --strict when a row is rejected (then nothing counts as created or updated)."""
    from dangvien_cli.importing import import_file

    sheets = None
    if ahead is not None:
        progress.reading(path.name)
        sheets = ahead.sheets()
    stamp = c.new_stamp()
    with c.db.session(write=True) as session:
        report = import_file(
            session,
            path,
            options,
            stamp=stamp,
            today=c.today,
            progress=progress,
            sheets=sheets,
        )
        if dry_run or (strict and report.rejected):
            report.written = False
            session.rollback()
            if strict and report.rejected:
                from dangvien_cli.roster.records import Counts

                for sheet in report.sheets:
                    sheet.counts = Counts()
    return report


_SEVERITY = {ExitCode.OK: 0, ExitCode.ROWS_REJECTED: 1, ExitCode.FAILURE: 2, ExitCode.USAGE: 3}


def _worse(a: ExitCode, b: ExitCode) -> ExitCode:
    return a if _SEVERITY.get(a, 2) >= _SEVERITY.get(b, 2) else b


def _json(outcomes: list[FileReport | dict[str, Any]]) -> dict[str, Any]:
    files: list[dict[str, Any]] = []
    for outcome in outcomes:
        if not isinstance(outcome, dict):
            files.append(outcome.as_json())
            continue
        files.append(
            {
                "path": outcome["path"],
                "sheets": [],
                "created": 0,
                "updated": 0,
                "unchanged": 0,
                "rejected": 0,
                "written": False,
                "errors": [],
                "error": outcome["error"],
                "exit_code": outcome["exit_code"],
                **({"missing_options": missing} if (missing := outcome["missing_options"]) else {}),
            }
        )
    totals = {
        k: sum(int(f[k]) for f in files) for k in ("created", "updated", "unchanged", "rejected")
    }
    # The options to add, once for all the files, in the order the files lacked them.
    asked = list(dict.fromkeys(o for f in files for o in f.get("missing_options", ())))
    if not asked:
        return {"files": files, "totals": totals}
    return {"files": files, "totals": totals, "missing_options": asked}


def _print_report(out: Console, report: FileReport, *, strict: bool, dry_run: bool) -> None:
    from rich.table import Table

    table = Table(title=f"[bold]{literal(Path(report.path).name)}[/]", title_justify="left")
    for name, justify, wrap in (
        ("Trang", "left", True),
        ("Trường", "left", True),
        ("Năm học · kỳ", "left", True),
        ("Lớp", "left", True),
        ("Đọc", "right", False),
        ("Mới", "right", False),
        ("Cập nhật", "right", False),
        ("Giữ nguyên", "right", False),
        ("Từ chối", "right", False),
    ):
        table.add_column(name, justify=justify, no_wrap=not wrap)  # type: ignore[arg-type]
    for s in report.sheets:
        period = " · ".join(x for x in (s.school_year, s.term) if x)
        table.add_row(
            literal(s.name) + (" [dim](tiến độ)[/]" if s.kind == "milestones" else ""),
            literal(s.school or ""),
            period,
            literal(_classes(s.classes)),
            str(s.rows),
            str(s.counts.created),
            str(s.counts.updated),
            str(s.counts.unchanged),
            f"[red]{s.rejected}[/]" if s.rejected else "0",
        )
    out.print(table)
    for school in report.schools_created:
        out.print(f"Đã tạo trường mới: {literal(school)}.")
    for note in report.notes:
        out.print(f"[yellow]Lưu ý:[/] {literal(note)}")
    unknown = sorted({c for s in report.sheets for c in s.unknown_columns})
    if unknown:
        out.print(
            "Cột không thuộc mẫu, được giữ làm dữ liệu thêm: "
            + ", ".join(f"“{literal(c)}”" for c in unknown)
        )
    if any(s.kind == "milestones" for s in report.sheets):
        out.print("Với bảng tiến độ, “Mới” và “Giữ nguyên” đếm số mốc; “Từ chối” đếm số dòng.")
    if report.errors:
        _print_errors(out, report.errors)
    if dry_run:
        out.print("[yellow]Chạy thử (--dry-run): không ghi gì vào cơ sở dữ liệu.[/]")
    elif strict and report.rejected:
        out.print(
            f"[red]--strict: tệp có {report.rejected} dòng sai nên không ghi gì từ tệp này.[/]"
        )


def _classes(names: list[str], most: int = 6) -> str:
    if len(names) <= most:
        return ", ".join(names)
    return f"{', '.join(names[:most])}… ({len(names)} lớp)"


def _print_errors(out: Console, errors: list[RowError]) -> None:
    from rich.table import Table

    table = Table(title="Dòng bị từ chối", title_justify="left", show_lines=False)
    table.add_column("Trang")
    table.add_column("Dòng", justify="right")
    table.add_column("Cột")
    table.add_column("Giá trị")
    table.add_column("Lý do", overflow="fold")
    for e in errors[:TERMINAL_ERRORS]:
        column = f"{e.column_letter} “{e.column}”" if e.column else ""
        table.add_row(
            literal(e.sheet), str(e.row), literal(column), literal(e.value), literal(e.reason)
        )
    out.print(table)
    if len(errors) > TERMINAL_ERRORS:
        out.print(
            f"… và {len(errors) - TERMINAL_ERRORS} dòng nữa. "
            "Dùng --errors loi.xlsx để có đủ danh sách."
        )


def _print_totals(out: Console, reports: list[FileReport]) -> None:
    created = sum(r.counts.created for r in reports if r.written)
    updated = sum(r.counts.updated for r in reports if r.written)
    unchanged = sum(r.counts.unchanged for r in reports)
    rejected = sum(r.rejected for r in reports)
    out.print(
        f"[bold]Tổng cộng {len(reports)} tệp:[/] {created} mới, {updated} cập nhật, "
        f"{unchanged} giữ nguyên, {rejected} từ chối."
    )


def _write_errors(path: Path, reports: list[FileReport]) -> None:
    """The rejected rows with their original cells, and the column and reason added."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from dangvien_cli.core.exporting import append_row, save_workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Dòng bị từ chối"
    head = ["Tệp", "Trang", "Dòng", "Cột", "Giá trị", "Lý do"]
    width = max((len(e.cells) for r in reports for e in r.errors), default=0)
    headers: list[str] = []
    for r in reports:
        for e in r.errors:
            if len(e.headers) > len(headers):
                headers = list(e.headers)
    head += [
        headers[i] if i < len(headers) and headers[i] else f"Cột {i + 1}" for i in range(width)
    ]
    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDE9D9")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r in reports:
        for e in r.errors:
            column = f"{e.column_letter} ({e.column})" if e.column else ""
            values = [Path(r.path).name, e.sheet, e.row, column, e.value, e.reason, *e.cells]
            append_row(ws, values)
    for letter, w in zip("ABCDEF", (22, 14, 7, 24, 22, 60), strict=True):
        ws.column_dimensions[letter].width = w
    ws.freeze_panes = "A2"
    save_workbook(wb, path)


def register(app: typer.Typer) -> None:
    app.command(
        "import",
        help=HELP,
        short_help="Nhập danh sách lớp (.xlsx, .xls, .ods) hoặc bảng tiến độ.",
        no_args_is_help=True,
    )(import_command)
