"""SheetRows: a sheet's rows turned into lists a block at a time must read exactly as the whole
sheet read at once (calamine's to_python), however they are walked through.

Blocks are made 4 rows long here and only two kept, so that a 50-row sheet crosses blocks,
drops them and has to start reading again from the top."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from dangvien_cli.importing.reader import SheetRows, read_workbook


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SheetRows, "BLOCK", 4)
    monkeypatch.setattr(SheetRows, "KEPT", 8)
    monkeypatch.setattr(SheetRows, "RECENT", 2)


def sheet_file(path: Path) -> Path:
    """50 rows, the first two and column A-B empty (calamine starts its range at C3)."""
    wb = Workbook()
    ws = wb.active
    ws["C3"] = "DANH SÁCH HỌC SINH"
    for r in range(5, 51):
        ws.cell(row=r, column=3, value=f"13{r:08d}")
        ws.cell(row=r, column=4, value=f"Học sinh số {r}")
        if r % 3:
            ws.cell(row=r, column=5, value=dt.date(2007, 1 + r % 12, 1 + r % 28))
        if r % 7 == 0:
            ws.cell(row=r, column=7, value=r * 1.5)
    wb.save(path)
    return path


def whole(path: Path) -> list[list[object]]:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return sheet.to_python(skip_empty_area=False)  # type: ignore[return-value]


def test_rows_read_in_any_order_equal_the_whole_sheet(tmp_path: Path, small_blocks: None) -> None:
    path = sheet_file(tmp_path / "a.xlsx")
    expected = whole(path)
    (sheet,) = read_workbook(path)
    rows = sheet.rows
    assert isinstance(rows, SheetRows)
    assert len(rows) == len(expected) == 50
    assert list(rows) == expected  # forwards, block after block
    order = list(range(50))
    random.Random(7).shuffle(order)
    assert [rows[i] for i in order] == [expected[i] for i in order]  # back and forth
    assert rows[-1] == expected[-1]
    assert rows[10:30:3] == expected[10:30:3]
    assert list(rows.between(13, 41)) == expected[13:41]
    assert list(rows.between(45, 99)) == expected[45:]
    with pytest.raises(IndexError):
        rows[50]


def test_a_transform_applies_to_every_row_read_after_it(tmp_path: Path, small_blocks: None) -> None:
    path = sheet_file(tmp_path / "b.xlsx")
    expected = whole(path)
    (sheet,) = read_workbook(path)
    rows = sheet.rows
    assert isinstance(rows, SheetRows)
    assert rows[20] == expected[20]  # read (and kept) before the transform

    def upper(row: list[object]) -> list[object]:
        return [v.upper() if isinstance(v, str) else v for v in row]

    rows.transform(upper)
    assert list(rows) == [upper(row) for row in expected]
