"""Names, paths and notes are shown as text, never run (issue 11): rich markup in a unit's, a
school's or a file's name ("[/]", "[bold]") prints literally and the command ends well; control
characters are removed on the way in and shown harmlessly on the way out."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from builders import Kid, copy_db, plain_roster, run_on
from dbcheck import query

D = dt.date
TODAY = "01/06/2025"
PROVINCE = "Tỉnh [bold]Lai Châu"
COMMUNE = "Đảng ủy xã [/]Bình Lư"
WARD = "Đảng ủy [red]phường[/red] Tân Phong"
SCHOOL = "THPT [/]Bình Lư [bold]X"
FILE = "[bold]12A1[i].xlsx"  # a file name cannot hold "/"
LAN = Kid("1710000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt")
HUNG = Kid(
    "1710000002", "Trần Văn Hùng", D(2007, 1, 20), "Nam", "Kinh", "12A1", True, "Giỏi", "Tốt"
)
ESC = "\x1b[2J\x1b]0;pwned\x07"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", TODAY)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Units, a school and a roster file whose names are rich markup; Lan's steps recorded."""
    directory = tmp_path_factory.mktemp("hostile")
    roster = plain_roster(directory / FILE, [LAN, HUNG]).path
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DANGVIEN_TODAY", TODAY)
        return run_on(
            directory / "dangvien.db",
            ["unit", "add", PROVINCE, "--kind", "tinh"],
            ["unit", "add", COMMUNE, "--kind", "xa", "--parent", PROVINCE],
            ["unit", "add", WARD, "--kind", "phuong", "--parent", PROVINCE],
            ["school", "add", SCHOOL, "--unit", COMMUNE],
            ["import", roster, "--school", SCHOOL, "--school-year", "2024-2025", "--json"],
            ["record", LAN.code, "lop-boi-duong", "--date", "20/07/2024", "--doc-number", "[b]1"],
            ["target", "set", "--unit", PROVINCE, "--year", "2025", "--class", "2"],
        )


@pytest.fixture
def hostile(hostile_db: Path, db_path: Path) -> Path:
    return copy_db(hostile_db, db_path)


def flat(text: str) -> str:
    """The output with rich's wrapping and table borders undone, to look for a name in it."""
    for border in "│┃║":
        text = text.replace(border, " ")
    return " ".join(text.split())


def shows(run, args: list[object], *names: str, code: int = 0) -> str:
    result = run(*args)
    assert result.exit_code == code, (args, result.output)
    assert "MarkupError" not in result.output and "Traceback" not in result.output
    seen = flat(result.output)
    for name in names:
        assert name in seen, (args, name, result.output)
    return result.output


# ----------------------------------------------------------------------------- rich markup


def test_creating_them_prints_the_names_as_they_are(run, tmp_path):
    shows(run, ["unit", "add", PROVINCE, "--kind", "tinh"], PROVINCE)
    shows(run, ["unit", "add", COMMUNE, "--kind", "xa", "--parent", PROVINCE], COMMUNE)
    shows(run, ["school", "add", SCHOOL, "--unit", COMMUNE], SCHOOL)
    roster = plain_roster(tmp_path / FILE, [LAN]).path
    shows(run, ["import", roster, "--school", SCHOOL, "--school-year", "2024-2025"], FILE, SCHOOL)
    shows(run, ["import", roster, "--school", SCHOOL, "--dry-run"], FILE)
    shows(run, ["template", tmp_path / "[bold]mau.xlsx"], "[bold]mau.xlsx")


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["unit", "list"], [PROVINCE, COMMUNE, WARD, SCHOOL]),
        (["unit", "move", WARD, "--parent", COMMUNE], [WARD, COMMUNE]),
        (["school", "list"], [SCHOOL, COMMUNE]),
        (["schools"], [SCHOOL, COMMUNE]),
        (["school", "move", SCHOOL, "--unit", WARD, "--on", "01/05/2025"], [SCHOOL, COMMUNE, WARD]),
        (["students"], [SCHOOL]),
        (["students", "--school", SCHOOL], [SCHOOL]),
        (["eligible", "--all"], [LAN.name]),
        (["candidates"], [LAN.name]),
        (["history", LAN.code], [SCHOOL, "[b]1"]),
        (["target", "list"], [PROVINCE]),
        (["target", "set", "--unit", COMMUNE, "--year", "2025", "--admitted", "1"], [COMMUNE]),
        (["report", "--year", "2025"], [PROVINCE, COMMUNE, SCHOOL]),
        (["report", "--year", "2025", "--with-names"], [SCHOOL, LAN.name]),
        (["report", "--year", "2025", "--unit", COMMUNE], [COMMUNE, SCHOOL]),
        (["audit"], [COMMUNE]),
        (["check"], []),
        (["config", "show"], []),
    ],
)
def test_every_command_prints_the_names_literally(run, args, names):
    shows(run, args, *names)


@pytest.mark.usefixtures("hostile")
def test_files_written_are_named_literally(run, tmp_path):
    (tmp_path / "[").mkdir()
    bracket = tmp_path / "["  # so that the paths below read "…/[/]ds.xlsx"
    shows(run, ["students", "--xlsx", bracket / "]ds.xlsx"], "[/]ds.xlsx")
    shows(run, ["eligible", "--xlsx", bracket / "]xet.xlsx"], "[/]xet.xlsx")
    shows(run, ["report", "--year", "2025", "--xlsx", "--out", bracket / "]bc.xlsx"], "[/]bc.xlsx")
    shows(run, ["backup", bracket / "]sao-luu.db"], "[/]sao-luu.db")
    shows(run, ["template", bracket / "]mau.xlsx"], "[/]mau.xlsx")
    roster = plain_roster(bracket / "]12A1.xlsx", [LAN]).path
    shows(run, ["import", roster, "--errors", bracket / "]loi.xlsx"], "[/]loi.xlsx")
    folder = bracket / "]bao-cao"
    shows(run, ["report", "--year", "2025", "--xlsx", "--html", "--out", folder], "[/]bao-cao")


@pytest.mark.usefixtures("hostile")
def test_a_milestone_sheets_file_name_and_rejected_rows_print_literally(run, tmp_path):
    from builders import progress_rows, xlsx_sheets

    body = [[HUNG.code, None, "ngày [/]sai", "[bold]CN-2"]]
    path = xlsx_sheets(tmp_path / "[bold]tien-do.xlsx", {"Tiến độ": progress_rows(body)})
    out = shows(run, ["import", path], "[bold]tien-do.xlsx", code=3)
    assert "[/]" in out


# ----------------------------------------------------------------------------- control characters


@pytest.mark.usefixtures("hostile")
def test_a_note_with_terminal_escapes_is_stored_and_printed_without_them(run, db_path):
    result = run(
        "record", HUNG.code, "lop-boi-duong", "--date", "20/07/2024",
        "--note", f"ghi chú{ESC} xong", "--doc-number", "CN\x1b[31m-12\x9b2J3\u202e",
        "--by", "Bí thư\x07\x08",
    )  # fmt: skip
    assert result.exit_code == 0, result.output

    stored = query(
        db_path,
        "SELECT note, doc_number, acted_by FROM milestone WHERE note IS NOT NULL",
    )
    assert stored == [("ghi chú xong", "CN-123", "Bí thư")]
    for args in (["history", HUNG.code], ["history", HUNG.code, "--json"], ["audit"]):
        out = run.ok(*args).output
        assert not set(out) & {"\x1b", "\x07", "\x9b", "\u202e"}, args
        assert "pwned" not in out


def test_names_typed_with_escapes_are_stored_without_them(run, db_path):
    run.ok("unit", "add", f"Tỉnh{ESC} Lai Châu", "--kind", "tinh")
    run.ok("school", "add", "THPT\x1b[1;1H Bình Lư\u202e", "--unit", "Tỉnh Lai Châu")

    assert query(db_path, "SELECT name FROM unit") == [("Tỉnh Lai Châu",)]
    assert query(db_path, "SELECT name FROM school") == [("THPT Bình Lư",)]


@pytest.mark.usefixtures("hostile")
def test_escapes_an_older_version_stored_show_harmlessly(run, db_path):
    with sqlite3.connect(db_path) as con:  # as a version without the cleaning wrote them
        con.execute("UPDATE unit SET name = name || ? WHERE kind = 'tinh'", (ESC,))
        con.execute("UPDATE school SET name = name || ?", ("\x1b[31m\u202e",))
        con.execute("UPDATE milestone SET note = ?", (f"ghi chú{ESC}",))
    con.close()

    for args in (
        ["unit", "list"], ["schools"], ["students"], ["history", LAN.code], ["candidates"],
        ["report", "--year", "2025", "--with-names"], ["target", "list"], ["audit"],
        ["eligible", "--all"], ["check"],
    ):  # fmt: skip
        result = run(*args)
        assert result.exit_code in (0, 1), (args, result.output)
        assert not set(result.output) & {"\x1b", "\x07", "\u202e"}, (args, result.output)
    out = flat(run.ok("unit", "list").output)
    assert "\\x1b[2J\\x1b]0;pwned\\x07" in out  # visible, as text


@pytest.mark.usefixtures("hostile")
def test_files_written_from_stored_escapes_hold_them_as_text(run, db_path, tmp_path):
    from openpyxl import load_workbook

    with sqlite3.connect(db_path) as con:  # as a version without the cleaning wrote them
        con.execute("UPDATE school SET name = name || ?", ("\x1b[2J\x01",))
    con.close()

    run.ok("report", "--year", "2025", "--xlsx", "--with-names", "--out", tmp_path / "bc.xlsx")
    run.ok("students", "--xlsx", tmp_path / "ds.xlsx", "--csv", tmp_path / "ds.csv")
    run.ok("eligible", "--all", "--xlsx", tmp_path / "xet.xlsx")

    cells = {
        str(c.value)
        for name in ("bc.xlsx", "ds.xlsx", "xet.xlsx")
        for ws in load_workbook(tmp_path / name).worksheets
        for row in ws.iter_rows()
        for c in row
    }
    assert any(SCHOOL + "\\x1b[2J\\x01" in c for c in cells)
    assert not any("\x1b" in c or "\x01" in c for c in cells)
    csv_text = (tmp_path / "ds.csv").read_text(encoding="utf-8-sig")
    assert "\x1b" not in csv_text


def test_a_templates_school_is_written_clean(run, tmp_path):
    from openpyxl import load_workbook

    run.ok("template", tmp_path / "mau.xlsx", "--school", "THPT\x1b[2J Bình Lư\x01")

    sheet = load_workbook(tmp_path / "mau.xlsx").worksheets[0]
    assert sheet["A1"].value == "TRƯỜNG THPT BÌNH LƯ"


def test_the_progress_bar_shows_a_file_name_with_markup_literally(monkeypatch):
    import io

    monkeypatch.setenv("TERM", "xterm")  # rich draws no live display on a dumb terminal

    from rich.console import Console

    from dangvien_cli.cli.progress import RichProgress

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120, color_system=None)
    with RichProgress(console) as progress:
        progress.reading("[/]12A1[bold].xlsx")
        progress.start("[/]12A1[bold].xlsx\x1b[2J", 10)
        progress.advance(5)
        progress._progress.refresh()  # draw now, as the bar's own thread does 10 times a second
    shown = screen.getvalue()
    assert "[/]12A1[bold].xlsx" in shown and "\\x1b[2J" in shown


def test_an_error_naming_a_typed_value_shows_its_escapes_harmlessly(run, db_path):
    result = run("unit", "add", "Xã Mới", "--kind", "xa", "--parent", f"Tỉnh{ESC}Ma")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "Ma" in result.stderr
