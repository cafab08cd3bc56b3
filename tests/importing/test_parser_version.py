"""PARSER_VERSION is tied to what the parsers make of the cells.

A roster row whose digest (TableParser.digest) matches the one stored with its student is taken
as unchanged without being parsed; the digest includes PARSER_VERSION so that rows read by other
parsing code are compared value by value once. The version must therefore change whenever the
parsers read the same cells otherwise. This test keeps a golden set of sheets (raw cells, as a
reader hands them over) with their parsed form — the table found, and each row's record or
errors — recorded under a PARSER_VERSION, and fails when the parsed form changes while the
version does not.

When a change of parsing is intended: bump PARSER_VERSION (importing/table_parser.py), then
refresh the golden with
``DANGVIEN_UPDATE_PARSER_GOLDEN=1 pytest tests/importing/test_parser_version.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from dangvien_cli.core.dates import BirthDate
from dangvien_cli.core.grades import Grade
from dangvien_cli.importing.layout import find_tables
from dangvien_cli.importing.reader import Sheet
from dangvien_cli.importing.rows import RowError
from dangvien_cli.importing.table_parser import PARSER_VERSION, TableParser
from dangvien_cli.roster.records import RosterRecord

GOLDEN = Path(__file__).parent / "parser_golden.json"
D = dt.date

# Sheets of raw cells as the readers give them (str, float, int, bool, date, datetime, None, ""),
# chosen to go through every value parser, the plausibility checks and header recognition.
SHEETS: list[tuple[str, list[list[object]]]] = [
    (
        "12A1",
        [
            ["TRƯỜNG THPT BÌNH LƯ", "", "", "", "", "", "", "", "", "", ""],
            ["DANH SÁCH HỌC SINH LỚP 12A1 - NĂM HỌC 2024-2025 - HỌC KỲ I", *[""] * 10],
            [
                "STT",
                "Mã học sinh",
                "Họ và tên",
                "Ngày sinh",
                "Giới tính",
                "Dân tộc",
                "Tôn giáo",
                "Học lực",
                "Hạnh kiểm",
                "Đoàn viên",
                "Ngày vào Đoàn",
            ],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)"],
            [
                1,
                "2501000001",
                "Nguyễn Thị Lan",
                D(2007, 3, 15),
                "Nữ",
                "Kinh",
                "Không",
                "Giỏi",
                "Tốt",
                "x",
                "26/03/2022",
            ],
            [
                2,
                2501000002.0,
                "  trần  văn   AN ",
                "05/03/2007",
                "nam",
                "Tày",
                "",
                "Khá",
                "T",
                "",
                "",
            ],
            [
                3,
                "'0012345",
                "Ksor H'Nhi",
                2007,
                "F",
                "Ê Đê",
                "Công giáo",
                "tb",
                "khá",
                "ĐV",
                dt.datetime(2023, 1, 9, 0, 0),
            ],
            [
                4,
                "2501000004",
                "Lò Văn Khánh",
                "ngày 14 tháng 3 năm 2007",
                "M",
                "Thái",
                "",
                "Trung bình",
                "Tot",
                1,
                "",
            ],
            [
                5,
                "2501000005",
                "Y-Moan Niê",
                39155.0,
                "Nam",
                "",
                "",
                "Yếu",
                "Trung Bình",
                True,
                "2021",
            ],
            [6, "2.50366E+09", "Phạm Thị Hoa", "2007-13-01", "Nu", "", "", "Giỏi", "Tốt", "có", ""],
            [7, "2501000007", "Đặng Thu 3", "31/02/2007", "X", "", "", "9.5", "HSG", "có lẽ", ""],
            [8, "2501000008", "Hà Minh Đức", "01/01/2020", "Nam", "", "", "", "", "0", ""],
            [9, -5, "", "15/03/07", "", "", "", "Kém", "Yếu", "", "29/02/2023"],
            [10, "2501000010", "Vũ Ngọc Ánh", None, None, None, None, None, None, None, None],
            ["", "", "", "", "", "", "", "", "", "", ""],
            ["Tổng số: 10 học sinh", "", "", "", "", "", "", "", "", "", ""],
            ["Người lập biểu", "", "", "", "", "", "", "", "", "", ""],
        ],
    ),
    (
        "Khối 10",
        [
            ["SỞ GD&ĐT LÀO CAI", "", "", "", "", "", "", ""],
            ["TRƯỜNG THPT SỐ 1 BẢO THẮNG — NĂM HỌC 2023 - 2024", "", "", "", "", "", "", ""],
            ["Mã HS", "Họ tên", "Năm sinh", "Nữ", "Lớp", "Học kỳ I", "", "Cả năm"],
            ["", "", "", "", "", "Kết quả học tập", "Kết quả rèn luyện", "KQHT"],
            ["HS001", "Mai Anh Thư", "2008", "x", "10a1", "Tốt", "Tốt", "Đạt"],
            ["HS002", "Lưu Quang Vinh", 2008.0, "", "Lớp 10 A2", "Khá", "Đạt", "Chưa đạt"],
            ["HS003", "Triệu Thị Mai", "12/11/2008", "1", "10/3", "Đạt", "Chưa đạt", "Giỏi"],
            ["HS 004", "Bàn Văn Sáng", "2008-02-30", "Không", "12", "Giỏi", "Khá", "Khá"],
            ["HS005", "Nông Thị Dung", D(1905, 1, 1), "x", "10 Chuyên Toán", "", "", ""],
        ],
    ),
]


def _plain(value: Any) -> Any:
    """A parsed value as JSON: dates ISO, records and grades field by field."""
    if isinstance(value, Grade):
        return [value.code, value.scale, value.rank]
    if isinstance(value, BirthDate):
        return value.iso
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, RosterRecord):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        del fields["cells"]  # the sheet's own cells, not a parse
        return {k: _plain(v) for k, v in fields.items()}
    if isinstance(value, RowError):
        return {"row": value.row, "column": value.column, "value": value.value,
                "reason": value.reason}  # fmt: skip
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def parsed_form() -> list[dict[str, Any]]:
    """What the parsers make of SHEETS: each table's columns and context, each data row's
    record or errors."""
    out = []
    for name, rows in SHEETS:
        for table in find_tables(Sheet(name, rows)):
            parser = TableParser(
                table,
                rows,
                school_year=table.context.school_year,
                term=None,
                class_name=None,
            )
            out.append(
                {
                    "sheet": name,
                    "rows": [table.header_first, table.header_last, table.first_row, table.end_row],
                    "columns": [dataclasses.astuple(c) for c in table.columns],
                    "context": dataclasses.asdict(table.context),
                    "scales": sorted(parser.scales.items()),
                    "records": [_plain(parser.parse(r, row)) for r, row in parser.data_rows()],
                }
            )
    # Through JSON and back, so that tuples compare with the golden's lists.
    result: list[dict[str, Any]] = json.loads(json.dumps(out, ensure_ascii=False))
    return result


def test_parsed_form_changes_only_with_parser_version() -> None:
    parsed = parsed_form()
    if os.environ.get("DANGVIEN_UPDATE_PARSER_GOLDEN"):
        golden_text = json.dumps(
            {"parser_version": PARSER_VERSION, "tables": parsed}, ensure_ascii=False, indent=1
        )
        GOLDEN.write_text(golden_text + "\n", "utf-8")
    golden = json.loads(GOLDEN.read_text("utf-8"))
    if parsed != golden["tables"]:
        assert golden["parser_version"] != PARSER_VERSION, (
            "The parsers read the golden rows otherwise than when the golden was recorded, "
            f"under the same PARSER_VERSION ({PARSER_VERSION}): stored roster digests would "
            "still count rows as unchanged. Bump PARSER_VERSION (importing/table_parser.py) "
            "and refresh the golden (DANGVIEN_UPDATE_PARSER_GOLDEN=1)."
        )
    assert golden["parser_version"] == PARSER_VERSION, (
        f"PARSER_VERSION is {PARSER_VERSION} but the golden was recorded under "
        f"{golden['parser_version']}: refresh the golden (DANGVIEN_UPDATE_PARSER_GOLDEN=1)."
    )
    assert parsed == golden["tables"]


def test_the_golden_rows_go_through_every_kind_of_outcome() -> None:
    """The golden is worth something only if it holds records and rejections, on both scales."""
    tables = parsed_form()
    assert len(tables) == 2
    outcomes = [r for t in tables for r in t["records"]]
    assert any(isinstance(r, dict) for r in outcomes)  # records
    assert any(isinstance(r, list) and r for r in outcomes)  # rejected rows
    scales = {scale for t in tables for _, scale in t["scales"]}
    assert scales == {"tt58", "tt22"}
