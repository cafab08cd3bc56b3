"""`dangvien import FILE --preview`: how each table of a file would be read, without a database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from dangvien_cli.cli import stderr_console, stdout_console
from dangvien_cli.cli.common import literal, print_json, today
from dangvien_cli.core.errors import DangvienError, ExitCode

if TYPE_CHECKING:
    from rich.console import Console

    from dangvien_cli.importing import ImportOptions
    from dangvien_cli.importing.preview import FilePreview, PreviewTable


def preview_files(files: list[Path], options: ImportOptions, *, as_json: bool) -> None:
    """Each file's preview, on screen or as JSON; exit 1 when a file has no table or cannot be
    read (the reason is given), 0 otherwise. The database is not opened."""
    from dangvien_cli.core.calendar import school_year_of
    from dangvien_cli.core.settings import Rules
    from dangvien_cli.importing.preview import preview_file

    rules = Rules()  # the default school year: the database's settings are not read
    fallback = school_year_of(today(), rules)
    out, err = stdout_console(), stderr_console()
    shown: list[dict[str, Any]] = []
    failed = False
    for path in files:
        try:
            preview = preview_file(
                path, options, fallback_year=fallback, year_start=rules.school_year_period_start
            )
        except DangvienError as exc:
            failed = True
            shown.append({"path": str(path), "tables": [], "missing_options": [],
                          "error": exc.message})  # fmt: skip
            if not as_json:
                err.print(f"[bold red]Lỗi:[/] {literal(exc.message)}")
            continue
        shown.append(preview.as_json())
        if not as_json:
            _print(out, preview)
    if as_json:
        print_json({"files": shown})
    elif shown:
        out.print("[yellow]Xem trước (--preview): không ghi gì vào cơ sở dữ liệu.[/]")
    if failed:
        raise typer.Exit(int(ExitCode.FAILURE))


def _print(out: Console, preview: FilePreview) -> None:
    out.print(f"[bold]Tệp {literal(Path(preview.path).name)}[/]")
    for note in preview.notes:
        out.print(f"  {literal(note)}")
    for table in preview.tables:
        _print_table(out, table)
    if preview.missing_options:
        out.print(
            "[yellow]Cần thêm khi nhập:[/] "
            + ", ".join(preview.missing_options)
            + " (tệp không ghi; xem `dangvien import --help`)."
        )


def _print_table(out: Console, table: PreviewTable) -> None:
    from rich.table import Table

    what = "bảng danh sách" if table.kind == "roster" else "bảng tiến độ hồ sơ"
    rows = ", ".join(str(r) for r in table.header_rows)
    out.print(
        f"Trang “{literal(table.sheet)}”: {what}, tiêu đề ở dòng {rows}, dữ liệu từ dòng "
        f"{table.first_data_row} ({table.rows} dòng)."
    )
    from dangvien_cli.core.labels import TERM_LABELS

    title = dict(table.from_title)
    if title.get("term"):
        title["term"] = TERM_LABELS.get(title["term"], title["term"])
    labels = {"school": "trường: ", "school_year": "năm học ", "term": "", "class": "lớp "}
    said = [f"{label}{literal(title[key])}" for key, label in labels.items() if title.get(key)]
    if said:
        out.print("  Từ tiêu đề hoặc tên trang: " + "; ".join(said) + ".")
    columns = Table(show_edge=False, pad_edge=False)
    columns.add_column("Cột", no_wrap=True)
    columns.add_column("Tiêu đề", overflow="fold", ratio=1)
    columns.add_column("Cách đọc", overflow="fold", ratio=2)
    for c in table.columns:
        columns.add_row(c.letter, literal(c.header), literal(c.how))
    out.print(columns)
    if not table.sample:
        return
    people = Table(title=f"{len(table.sample)} người đầu tiên", title_justify="left")
    people.add_column("Mã", no_wrap=True)
    people.add_column("Họ và tên", min_width=18, overflow="fold")
    people.add_column("Ngày sinh", no_wrap=True)
    people.add_column("Giới tính", no_wrap=True)
    people.add_column("Lớp", no_wrap=True)
    for s in table.sample:
        born = s["date_of_birth"] or ""
        if len(born) == 10:  # ISO: shown day first, as the secretary writes it
            born = "/".join(reversed(born.split("-")))
        shown = (s["student_code"], s["full_name"], born, s["gender"], s["class_name"])
        people.add_row(*(literal(v or "") for v in shown))
    out.print(people)
