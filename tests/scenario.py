"""The ~50-command scenario of issue 5, shared by the PostgreSQL comparison and the golden
output test: units, schools, rosters of several layouts, steps, targets, settings, a template
filled in and imported back."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner, Result

import builders
from builders import PLAIN_HEADER, Kid, plain_roster

D = builders.D
TODAY = "05/06/2025"
PROVINCE = "Tỉnh Lai Châu"
COMMUNE = "Đảng ủy xã Bình Lư"
WARD = "Đảng ủy phường Tân Phong"
BL = "THPT Bình Lư"
TP = "THPT Tân Phong"
SY = ["--school-year", "2024-2025"]
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?")
SHOWN_TIME = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d")  # when a step was recorded, on screen


def kid(code: str, name: str, born: Any, gender: str = "Nam", ethnicity: str = "Kinh",
        klass: str = "12A1", academic: str = "Khá", religion: str | None = None,
        ) -> Kid:  # fmt: skip
    return Kid(code, name, born, gender, ethnicity, klass, True, academic, "Tốt", religion)


LAN = kid("2501000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", religion="Không tôn giáo")
SINH = kid("2501000002", "Giàng A Sình", D(2007, 1, 30), ethnicity="Mông", academic="Giỏi")
HOA = kid("2501000007", "Phạm Thị Hoa", D(2007, 2, 14), "Nữ")
TUAN = kid("2501000004", "Hoàng Minh Tuấn", D(2008, 3, 10), klass="11A1")
THO = kid("2503000002", "Lê Thị Thơ", D(2006, 6, 23), "Nữ", religion="Không")
KHANG = kid("2503000001", "Nguyễn Văn Khang", D(2007, 3, 5))

STEPS = [
    (LAN, "lop-boi-duong", "01/09/2024", []),
    (LAN, "quyet-dinh-ket-nap", "10/04/2025", ["--doc-number", "145-QĐ/ĐU"]),
    (SINH, "lop-boi-duong", "31/08/2024", []),
    (SINH, "phan-cong-giup-do", "01/09/2024", ["--mentor", "Vũ Văn Tư"]),
    (HOA, "lop-boi-duong", "20/07/2024", []),
    (HOA, "phan-cong-giup-do", "01/09/2024", ["--mentor", "Vũ Văn Tư"]),
    (TUAN, "cam-tinh", "01/10/2024", []),
    (TUAN, "ky-luat", "01/02/2025", ["--note", "Khiển trách"]),
    (THO, "lop-boi-duong", "15/07/2024", []),
    (THO, "quyet-dinh-ket-nap", "20/11/2024", []),
]
FILLED = [
    ["0123456789", "Lò Thị Thơ", "05/03/2007", "Nữ", "Thái", "Không", "012307004512", "12A2",
     "Giỏi", "Tốt", "x", "26/03/2022"],
    ["2503656299", "Nguyễn Văn Khá", "2007", "Nam", "Kinh", "Phật giáo", None, "12A2",
     "Trung bình", "Khá", None, None],
]  # fmt: skip


def fill_template(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(max_row=30)
    head = next(r[0].row for r in rows if any(c.value == "Họ và tên" for c in r))
    names = [c.value for c in ws[head]]
    order = ["Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo",
             "Số định danh cá nhân", "Lớp", "Học lực", "Hạnh kiểm", "Đoàn viên",
             "Ngày vào Đoàn"]  # fmt: skip
    for i, values in enumerate(FILLED, start=1):
        ws.cell(row=head + i, column=1, value=i)
        for name, value in zip(order, values, strict=True):
            if value is not None:
                ws.cell(row=head + i, column=names.index(name) + 1, value=value)
    wb.save(path)


def build_files(directory: Path) -> dict[str, Path]:
    """The spreadsheets of the scenario, built once and imported into both databases."""
    header = [*PLAIN_HEADER, "Tôn giáo"]
    for sub in ("csdl", "vnedu", "smas", "sheets", "ods", "errors", "tcvn3"):
        (directory / sub).mkdir(parents=True)

    def plain(name: str, kids: list[Kid], school: str, year: str) -> Path:
        titles = (f"TRƯỜNG {school.upper()}", f"DANH SÁCH HỌC SINH - NĂM HỌC {year}")
        return plain_roster(directory / name, kids, titles=titles, header=header).path

    return {
        "bl": plain("bl-2024.xlsx", [LAN, SINH, HOA, TUAN], BL, "2024-2025"),
        "tp": plain("tp-2024.xlsx", [THO, KHANG], TP, "2024-2025"),
        "csdl": builders.csdl_nganh(directory / "csdl").path,
        "vnedu": builders.vnedu_xls(directory / "vnedu").path,
        "smas": builders.smas_tt22(directory / "smas").path,
        "sheets": builders.multi_sheet(directory / "sheets").path,
        "ods": builders.ods_years(directory / "ods").path,
        "errors": builders.error_file(directory / "errors").path,
        "tcvn3": builders.tcvn3_file(directory / "tcvn3").path,
    }


def scenario(files: dict[str, Path], out: Path) -> list[list[object]]:
    """The commands, in order; those ending in --json have their output compared."""
    template = out / "mau.xlsx"
    return [
        ["schools", "--json"],
        ["unit", "add", PROVINCE, "--kind", "tinh"],
        ["unit", "add", COMMUNE, "--kind", "xa", "--parent", PROVINCE],
        ["unit", "add", WARD, "--kind", "phuong", "--parent", PROVINCE],
        ["school", "add", BL, "--unit", COMMUNE],
        ["school", "add", TP, "--unit", WARD],
        ["import", files["bl"], "--school", BL, *SY, "--term", "hk1", "--json"],
        ["import", files["tp"], "--school", TP, *SY, "--term", "hk1", "--json"],
        ["import", files["csdl"], "--school", "THPT Phong Thổ", *SY, "--json"],
        ["import", files["vnedu"], "--json"],
        ["import", files["smas"], "--json"],
        ["import", files["sheets"], "--json"],
        ["import", files["ods"], "--json"],
        ["import", files["errors"], "--json"],
        ["import", files["tcvn3"], "--json"],
        ["import", files["bl"], "--school", BL, *SY, "--term", "hk1", "--json"],  # unchanged
        ["import", files["tp"], "--school", TP, *SY, "--term", "hk1", "--dry-run", "--json"],
        *(
            ["record", k.code, step, "--date", day, *extra, "--json"]
            for k, step, day, extra in STEPS
        ),
        ["record", "nguyen thi lan", "lop-boi-duong", "--date", "10/10/2024", "--json"],
        ["target", "set", "--school", BL, *SY, "--class", "4", "--admitted", "5"],
        ["target", "set", "--unit", PROVINCE, *SY, "--class", "20", "--admitted", "8"],
        ["target", "set", "--school", TP, "--year", "2025", "--admitted", "1"],
        ["config", "set", "academic.min", "kha"],
        ["config", "set", "age.mode", "day"],
        ["config", "show", "--json"],
        ["template", template, "--school", BL, *SY, "--term", "hk1", "--class", "12A2"],
        ["fill-template", template],
        ["import", template, "--json"],
        ["schools", "--json"],
        ["students", "--json"],
        ["students", "--school", "binh lu", "--json"],
        ["students", "--school", "BÌNH LƯ", "--class", "12a1", "--json"],
        ["eligible", "--all", "--as-of", "15/03/2025", "--json"],
        ["eligible", "--as-of", "15/03/2025", "--json"],
        ["candidates", "--all", "--json"],
        ["candidates", "--as-of", "20/03/2025", "--json"],
        ["history", LAN.code, "--json"],
        ["history", "pham thi hoa", "--json"],
        ["unit", "list", "--json"],
        ["school", "list", "--json"],
        ["target", "list", "--json"],
        ["report", *SY, "--unit", PROVINCE, "--json"],
        ["report", *SY, "--school", BL, "--json"],
        ["report", "--year", "2024", "--json"],
        ["report", "--from", "01/01/2024", "--to", "31/12/2025", "--json"],
    ]


def invoke_each(db: str, commands: list[list[object]]) -> Iterator[tuple[list[str], Result]]:
    """Run each command on the database with today pinned: (its arguments, Typer's result).
    "fill-template" fills the template just written; "template" writes it afresh."""
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DANGVIEN_TODAY", TODAY)
        for command in commands:
            args = [str(a) for a in command]
            if args[0] == "fill-template":
                fill_template(Path(args[1]))
                continue
            if args[0] == "template":
                Path(args[1]).unlink(missing_ok=True)
            from dangvien_cli.cli import app

            yield args, runner.invoke(app, ["--db", db, *args], catch_exceptions=False)


def play(db: str, commands: list[list[object]]) -> list[tuple[list[str], int, Any]]:
    """Run each command on the database: (command, exit code, JSON output or None)."""
    out: list[tuple[list[str], int, Any]] = []
    for args, result in invoke_each(db, commands):
        data = json.loads(result.stdout) if args[-1] == "--json" and result.stdout else None
        output = timeless(data) if data is not None else result.stderr
        out.append((args, result.exit_code, output))
    return out


def timeless(data: Any) -> Any:
    """The output with each timestamp (the moment a command ran) reduced to its time zone."""
    if isinstance(data, dict):
        return {k: timeless(v) for k, v in data.items()}
    if isinstance(data, list):
        return [timeless(v) for v in data]
    if isinstance(data, str):
        return TIMESTAMP.sub("<time>", data)
    return data


SCREENS: list[list[object]] = [
    ["eligible", "--all", "--as-of", "15/03/2025"],
    ["eligible", "--as-of", "15/03/2025"],
    ["candidates", "--all"],
    ["students", "--school", "binh lu"],
    ["history", LAN.code],
    ["report", *SY, "--unit", PROVINCE],
    ["config", "show"],
    ["target", "list"],
    ["unit", "list"],
    ["check", "--json"],
]
"""Screens played after the scenario for the golden test: the terminal tables, whose text must
not change when the code is reorganised (COLUMNS is pinned by the tests' conftest)."""


def play_raw(db: str, commands: list[list[object]], tmp: Path) -> list[dict[str, Any]]:
    """Run each command and keep its exit code, stdout and stderr as text, with the moment a
    command ran reduced to <time> and the test's temporary folder to <tmp>."""
    out: list[dict[str, Any]] = []

    def plain(text: str) -> str:
        text = TIMESTAMP.sub("<time>", text.replace(str(tmp), "<tmp>"))
        return SHOWN_TIME.sub("<time>", text)

    for args, result in invoke_each(db, commands):
        out.append(
            {
                "command": [plain(a) for a in args],
                "exit_code": result.exit_code,
                "stdout": plain(result.stdout),
                "stderr": plain(result.stderr),
            }
        )
    return out
