"""The guard's measure of a workbook (importing.sheet_walk, ods_walk, biff; issue 11): what a
sheet asks of calamine is read from the cells as any XML reader reads them — whatever the
quoting, case and padding of their references, with or without them — and never from what the
sheet declares. Sheets add up; shared strings count once per use."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from dangvien_cli.core.errors import UnreadableFileError
from dangvien_cli.importing import grids
from dangvien_cli.importing.guard import inspect_ole, inspect_zip
from dangvien_cli.importing.reader import read_workbook
from dangvien_cli.importing.sheet_walk import parse_ref

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook(*sheets: str, strings: str | None = None, prolog: str = "") -> bytes:
    """A .xlsx whose sheets' <sheetData> (and more) are the given XML, as written."""
    listed = "".join(
        f'<sheet name="T{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, len(sheets) + 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    if strings is not None:
        rels += f'<Relationship Id="rS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{listed}</sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}</Relationships>",
        )
        for i, body in enumerate(sheets, 1):
            archive.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'{prolog}<worksheet xmlns="{MAIN}">{body}</worksheet>',
            )
        if strings is not None:
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{strings}</sst>')
    return buffer.getvalue()


def measure(data: bytes, name: str = "thu.xlsx") -> grids.Budget:
    budget = inspect_zip(Path(name), data).budget
    assert budget is not None
    return budget


def refusal(data: bytes, name: str = "thu.xlsx") -> str:
    with pytest.raises(UnreadableFileError) as caught:
        inspect_zip(Path(name), data)
    return str(caught.value)


def text_cell(ref_attr: str, text: str = "x") -> str:
    return f'<c {ref_attr} t="inlineStr"><is><t>{text}</t></is></c>'


A1 = text_cell('r="A1"')


@pytest.mark.parametrize(
    "ref",
    ['r="XFD1048576"', 'r="xfd1048576"', 'r="XFD0001048576"', "r='XFD1048576'",
     'x="a>b" r="XFD1048576"', "x='\"' r = 'xFd1048576'"],
)  # fmt: skip
def test_a_far_cell_is_found_however_its_reference_is_written(ref: str) -> None:
    sheet = f'<sheetData><row r="1">{A1}{text_cell(ref)}</row></sheetData>'

    reason = refusal(workbook(sheet))

    assert "trang “T1” trải trên vùng A1:XFD1048576" in reason
    assert "vượt giới hạn 32.000.000 ô" in reason


@pytest.mark.parametrize(
    ("ref", "where"),
    [("A1", (1, 1)), ("xfd1048576", (16384, 1048576)), ("XFD0001048576", (16384, 1048576)),
     (" B7 ", (2, 7)), ("A", None), ("7", None), ("A-1", None), ("Ａ1", None)],
)  # fmt: skip
def test_parse_ref(ref: str, where: tuple[int, int] | None) -> None:
    assert parse_ref(ref) == where


def test_the_declared_dimension_is_not_believed() -> None:
    sheet = (
        '<dimension ref="A1:B2"/><sheetData><row r="1">'
        + text_cell('r="A1"')
        + '</row><row r="900000">'
        + text_cell('r="AZ900000"')
        + "</row></sheetData>"
    )
    budget_or_reason = refusal(workbook(sheet))
    assert "trải trên" in budget_or_reason  # 52 × 900,000 cells, all but two empty


def test_rows_and_cells_without_a_reference_follow_the_one_before() -> None:
    sheet = (
        "<sheetData><row>" + text_cell("") + text_cell("") + text_cell("") + "</row>"
        '<row r="5">' + text_cell('r="D5"') + text_cell("") + "</row>"
        "<row>" + text_cell("") + "</row></sheetData>"
    )

    budget = measure(workbook(sheet))

    assert budget.cells == 6
    assert budget.area == 5 * 6  # E5 is the last column, row 6 the last row


def test_cells_without_a_value_and_formatted_rows_do_not_count() -> None:
    sheet = (
        '<sheetData><row r="1">' + text_cell('r="A1"') + '<c r="H1048576" s="3"/></row>'
        + "".join(f'<row r="{r}" s="1" customFormat="1"/>' for r in range(2, 50))
        + "</sheetData>"
    )  # fmt: skip

    budget = measure(workbook(sheet))

    assert (budget.cells, budget.area) == (1, 1)


def test_sheets_add_up() -> None:
    one = '<sheetData><row r="1">' + A1 + text_cell('r="T450000"') + "</row></sheetData>"

    assert measure(workbook(one)).area == 20 * 450_000  # under FREE_AREA: may be empty
    reason = refusal(workbook(one, one, one, one))
    assert "trang “T4”" in reason and "cả tệp cần 36.000.000 ô" in reason


def test_a_sparse_rectangle_is_refused_past_the_free_area() -> None:
    far = f"T{grids.FREE_AREA // 20 + 1}"
    sheet = (
        '<sheetData><row r="1">'
        + text_cell('r="A1"')
        + text_cell(f'r="{far}"')
        + "</row></sheetData>"
    )

    assert "nhưng chỉ 2 ô có dữ liệu" in refusal(workbook(sheet))


def test_a_shared_string_counts_for_every_cell_that_uses_it() -> None:
    strings = f"<si><t>{'x' * 1_000_000}</t></si><si><t>ngắn</t></si>"
    cells = "".join(f'<c r="{c}1" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
    sheet = f'<sheetData><row r="1">{cells}<c r="K1" t="s"><v> 1 </v></c></row></sheetData>'

    budget = measure(workbook(sheet, strings=strings))

    assert budget.text == 10 * 1_000_000 + len("ngắn".encode())


def test_a_doctype_anywhere_is_refused() -> None:
    sheet = '<sheetData><row r="1">' + text_cell('r="A1"') + "</row></sheetData>"
    data = workbook(sheet, prolog='<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>')

    assert "DOCTYPE/ENTITY" in refusal(data)


def test_a_formula_without_a_stored_result_is_found() -> None:
    sheet = (
        '<sheetData><row r="1"><c r="A1"><f>1+1</f></c><c r="B1"><f>2+2</f><v>4</v></c>'
        '<c r="C1" t="str"><f>""</f><v></v></c><c r="D1"><f t="shared" si="0"/><v/></c>'
        "</row></sheetData>"
    )

    budget = measure(workbook(sheet))

    assert [(u.cell, u.formula) for u in budget.uncached] == [
        ("A1", "=1+1"),
        ("D1", "(công thức dùng chung)"),
    ]


def test_merged_ranges_are_counted_for_the_whole_file() -> None:
    merges = "".join('<mergeCell ref="A1:B1"/>' for _ in range(grids.MAX_MERGED + 1))
    sheet = f'<sheetData><row r="1">{A1}</row></sheetData><mergeCells>{merges}</mergeCells>'

    assert "quá nhiều ô gộp" in refusal(workbook(sheet))


# ----------------------------------------------------------------------------------- .ods


def ods(table: str) -> bytes:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "content.xml",
            f"<office:document-content {ns}><office:body><office:spreadsheet>{table}"
            "</office:spreadsheet></office:body></office:document-content>",
        )
    return buffer.getvalue()


def test_ods_repeats_and_covered_cells_count() -> None:
    table = (
        '<table:table table:name="A"><table:table-row table:number-rows-repeated="3">'
        '<table:table-cell office:value-type="string" table:number-columns-repeated="4">'
        "<text:p>ab</text:p></table:table-cell><table:covered-table-cell/>"
        '<table:covered-table-cell office:value-type="float"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1000"><table:table-cell/></table:table-row>'
        "</table:table>"
    )

    budget = measure(ods(table), "thu.ods")

    assert budget.cells == 3 * 5
    assert budget.area == 3 * 6
    assert budget.text == 3 * 4 * 2


def test_ods_sheets_add_up() -> None:
    table = (
        '<table:table table:name="{}"><table:table-row table:number-rows-repeated="900000">'
        '<table:table-cell office:value-type="float" table:number-columns-repeated="20"/>'
        "</table:table-row></table:table>"
    )

    reason = refusal(ods(table.format("Một") + table.format("Hai")), "thu.ods")

    assert "trang “Hai”" in reason


# ----------------------------------------------------------------------------------- .xls


def xls(sheets: int, last: tuple[int, int], blank: bool = False) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    style = xlwt.easyxf("font: bold on")
    for i in range(sheets):
        ws = book.add_sheet(f"Lớp {i + 1}")
        ws.write(0, 0, "Họ và tên")
        if blank:
            ws.write(*last, None, style)
        else:
            ws.write(*last, "x")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xls_grids_come_from_the_cells() -> None:
    budget = inspect_ole(Path("thu.xls"), xls(2, (299, 9))).budget
    assert budget is not None
    assert (budget.cells, budget.area) == (4, 2 * 300 * 10)


def test_xls_blank_cells_do_not_count() -> None:
    budget = inspect_ole(Path("thu.xls"), xls(3, (65535, 255), blank=True)).budget
    assert budget is not None
    assert budget.area == 3


def test_xls_sheets_reaching_iv65536_are_refused_together() -> None:
    with pytest.raises(UnreadableFileError) as caught:
        inspect_ole(Path("thu.xls"), xls(2, (65535, 255)))
    assert "trang “Lớp 2” trải trên vùng A1:IV65536" in str(caught.value)


# ------------------------------------------------------------------------ the whole reader


def test_a_file_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard and calamine get the same bytes: the path is opened once."""
    import os

    path = tmp_path / "lop.xlsx"
    path.write_bytes((Path(__file__).parents[1] / "corpus" / "nen-11a1.xlsx").read_bytes())
    opened: list[str] = []
    real_open = os.open

    def counting_open(target: object, *args: object, **kwargs: object) -> int:
        opened.append(str(target))
        return real_open(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", counting_open)
    sheets = read_workbook(path)

    assert [s.name for s in sheets] == ["11A1"]
    assert opened.count(str(path)) == 1


def test_the_guard_is_linear_in_a_large_sheet() -> None:
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in "ABCDEFGHIJ") + "</row>"
        for r in range(1, 20_001)
    )
    started = time.perf_counter()
    budget = measure(workbook(f"<sheetData>{rows}</sheetData>"))
    took = time.perf_counter() - started

    assert (budget.cells, budget.area) == (200_000, 200_000)
    assert took < 5, took
