"""The writers every export goes through: formula-safe cells in .xlsx and CSV, atomic saves."""

from __future__ import annotations

import csv
import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from dangvien_cli.core.classes import parse_class_name
from dangvien_cli.core.errors import DangvienError
from dangvien_cli.core.exporting import append_row, csv_cell, escape_formula, write_csv
from dangvien_cli.importing.values import parse_text

# Each prefix a spreadsheet takes for the start of a formula, in a made-up value.
DANGEROUS = [
    '=HYPERLINK("http://vi.invalid","Bấm")',
    "+Lò Thị Dế",
    "-Sùng A Pó",
    "@SUM(A1:A9)",
    "\tCầm Thị Ly",
    "\rHà Văn Chư",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_xlsx_cells_starting_like_a_formula_stay_text(tmp_path: Path, text: str) -> None:
    wb = Workbook()
    append_row(wb.active, [1, text, "Kinh"])
    wb.save(tmp_path / "a.xlsx")

    cell = load_workbook(tmp_path / "a.xlsx").active.cell(row=1, column=2)
    assert cell.data_type == "s"
    assert cell.value == text


def test_append_row_returns_the_row_it_wrote_after_rows_appended_directly() -> None:
    # append_row reads openpyxl's private row counter (max_row is too slow): the number it
    # returns must be the sheet's last row, also after rows appended without it.
    ws = Workbook().active
    assert append_row(ws, ["tiêu đề"]) == 1
    ws.append([])
    ws.append(["STT", "Họ và tên"])
    assert append_row(ws, [1, "=Lò Thị Dế"]) == 4 == ws.max_row
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=6)
    assert append_row(ws, [2, "Hà Văn Chư"]) == 5 == ws.max_row


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_cells_starting_like_a_formula_get_an_apostrophe(tmp_path: Path, text: str) -> None:
    write_csv(tmp_path / "a.csv", [["Họ và tên"], [text]])

    raw = (tmp_path / "a.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads Vietnamese right
    with (tmp_path / "a.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [["Họ và tên"], ["'" + text]]
    assert escape_formula(text) == "'" + text
    # and `import` takes the apostrophe off again: the text is what it was, cleaned as any cell
    assert parse_text("'" + text) == parse_text(text)


def test_numbers_and_dates_are_not_mangled() -> None:
    assert csv_cell(-5) == "-5"
    assert csv_cell(-2.5) == "-2.5"
    assert csv_cell("-5") == "-5"  # text that is only a number runs nothing
    assert csv_cell("+84") == "+84"
    assert csv_cell("-2,5") == "-2,5"
    assert csv_cell(dt.date(2007, 3, 5)) == "2007-03-05"  # ISO: the same date on any Excel
    assert csv_cell(2007) == "2007"
    assert csv_cell(None) == ""
    assert csv_cell("Nguyễn Thị Lan") == "Nguyễn Thị Lan"
    assert csv_cell("-2+3") == "'-2+3"  # arithmetic is a formula
    assert csv_cell("=1") == "'=1"


def test_an_apostrophe_before_other_text_is_kept_on_import() -> None:
    assert parse_text("'Ksor H'Nhi") == "'Ksor H'Nhi"  # not an escaped formula
    assert parse_text("'=Lớp") == "=Lớp"
    assert parse_class_name('\'=HYPERLINK("x")') == '=HYPERLINK("x")'
    assert parse_text(" '=Lớp") == "=Lớp"  # the same after spaces are trimmed
    assert parse_text(parse_text("'=Lớp") or "") == "=Lớp"


def test_csv_is_comma_separated_with_quotes_where_needed(tmp_path: Path) -> None:
    write_csv(tmp_path / "a.csv", [["STT", "Họ và tên"], [1, 'Lò, Thị "Dế"'], []])

    text = (tmp_path / "a.csv").read_bytes().decode("utf-8-sig")
    assert text == 'STT,Họ và tên\r\n1,"Lò, Thị ""Dế"""\r\n\r\n'


def test_csv_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    target.write_text("cũ", "utf-8")

    def rows():
        yield ["Họ và tên"]
        raise RuntimeError("hỏng giữa chừng")

    with pytest.raises(RuntimeError):
        write_csv(target, rows())

    assert target.read_text("utf-8") == "cũ"  # the old file, untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]  # no temporary file left


def test_csv_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    write_csv(tmp_path / "a.csv", [["Họ và tên"], ["Lò Thị Dế"]])

    assert stat.S_IMODE(os.stat(tmp_path / "a.csv").st_mode) == 0o600


def test_csv_into_a_missing_folder_says_which(tmp_path: Path) -> None:
    with pytest.raises(DangvienError) as caught:
        write_csv(tmp_path / "khong-co" / "a.csv", [["x"]])

    assert "khong-co" in caught.value.message
