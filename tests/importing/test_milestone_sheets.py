"""`dangvien import` of milestone (progress) sheets keyed by student code (issue 3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from builders import (
    PLAIN_HEADER,
    Kid,
    copy_db,
    plain_roster,
    progress_rows,
    run_on,
    xlsx_sheets,
)
from dbcheck import query, snapshot

D = dt.date
TODAY = "01/04/2025"
SCHOOL_TITLES = ("TRƯỜNG THPT BÌNH LƯ", "DANH SÁCH HỌC SINH - HỌC KỲ I - NĂM HỌC 2024-2025")

KIDS = [
    Kid("1810000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt"),
    Kid("1810000002", "Trần Văn Hùng", D(2007, 9, 20), "Nam", "Kinh", "12A1", True, "Giỏi", "Tốt"),
    Kid("1810000003", "Lò Thị Sen", D(2006, 11, 2), "Nữ", "Thái", "12A1", True, "Khá", "Tốt"),
    Kid("1810000004", "Giàng A Páo", D(2007, 1, 30), "Nam", "Mông", "12A2", True, "Khá", "Tốt"),
    Kid("1810000005", "Đỗ Thị Hằng", D(2007, 2, 14), "Nữ", "Kinh", "12A2", True, "Khá", "Tốt"),
]  # fmt: skip
LAN, HUNG, SEN, PAO, HANG = (k.code for k in KIDS)

# From "Mã học sinh" on: name, class date, certificate, mentor, assigned on, chi bộ, decision
# number, decision date, ceremony. Some dates real, some typed as text; rows stop early.
GOOD = [
    [LAN, "Nguyễn Thị Lan", D(2024, 7, 20), "CN-123", "Vũ Văn Tư", "01/09/2024",
     D(2025, 3, 3), "145-QĐ/ĐU", "10/03/2025", D(2025, 3, 20)],
    [HUNG, "Trần Văn Hùng", "21/07/2024", "CN-124"],
    [SEN, "Lò Thị Sen", D(2024, 7, 20), "CN-125", "Hà Thị Mơ", D(2024, 9, 1),
     "05/02/2025"],
]  # fmt: skip


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", TODAY)


@pytest.fixture(scope="module")
def roster_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("milestones")
    roster = plain_roster(directory / "ds.xlsx", KIDS).path
    return run_on(directory / "dangvien.db", ["import", roster, "--json"])


@pytest.fixture
def roster(roster_db: Path, db_path: Path) -> None:
    copy_db(roster_db, db_path)


def sheet(tmp_path: Path, body: list[list[object]], name: str = "tien-do.xlsx") -> Path:
    return xlsx_sheets(tmp_path / name, {"Tiến độ": progress_rows(body)})


def steps(db: Path) -> list[tuple[Any, ...]]:
    """(code, step, date, doc number, mentor) of every milestone, in a stable order."""
    return query(
        db,
        "SELECT s.student_code, m.step, m.on_date, m.doc_number, m.mentor FROM milestone m "
        "JOIN student s ON s.person_id = m.person_id ORDER BY s.student_code, m.on_date, m.step",
    )


def import_json(run, path: Path, code: int = 0) -> dict[str, Any]:
    data = run.json("import", path, code=code)
    (only,) = data["files"]
    return only


EXPECTED = [
    (LAN, "lop-boi-duong", "2024-07-20", "CN-123", None),
    (LAN, "phan-cong-giup-do", "2024-09-01", None, "Vũ Văn Tư"),
    (LAN, "chi-bo-de-nghi", "2025-03-03", None, None),
    (LAN, "quyet-dinh-ket-nap", "2025-03-10", "145-QĐ/ĐU", None),
    (LAN, "le-ket-nap", "2025-03-20", None, None),
    (HUNG, "lop-boi-duong", "2024-07-21", "CN-124", None),
    (SEN, "lop-boi-duong", "2024-07-20", "CN-125", None),
    (SEN, "phan-cong-giup-do", "2024-09-01", None, "Hà Thị Mơ"),
    (SEN, "chi-bo-de-nghi", "2025-02-05", None, None),
]


# ----------------------------------------------------------------------------- what is recorded


@pytest.mark.usefixtures("roster")
def test_a_progress_sheet_records_each_step_with_its_number_and_mentor(run, tmp_path, db_path):
    report = import_json(run, sheet(tmp_path, GOOD))

    assert steps(db_path) == EXPECTED
    (tab,) = report["sheets"]
    assert tab["kind"] == "milestones"
    assert tab["name"] == "Tiến độ"
    assert (tab["rows"], tab["created"], tab["unchanged"], tab["rejected"]) == (3, 9, 0, 0)
    assert (report["created"], report["updated"], report["rejected"]) == (9, 0, 0)
    assert report["errors"] == []
    # the steps are the same as typed with `record`: candidates and eligibility see them
    rows = {r["student_code"]: r for r in run.json("candidates", "--all")}
    assert rows[LAN]["stage"] == "le-ket-nap"
    assert rows[HUNG]["stage"] == "lop-boi-duong"
    assert rows[SEN]["stage"] == "chi-bo-de-nghi"
    history = run.json("history", LAN)["history"]
    assert any("145-QĐ/ĐU" in h["text"] for h in history)


@pytest.mark.usefixtures("roster")
def test_the_terminal_report_names_the_progress_sheet(run, tmp_path):
    result = run("import", sheet(tmp_path, GOOD))

    assert result.exit_code == 0
    assert "tiến độ" in result.stdout
    assert "đếm số mốc" in result.stdout


@pytest.mark.usefixtures("roster")
def test_a_second_import_changes_nothing(run, tmp_path, db_path):
    path = sheet(tmp_path, GOOD)
    import_json(run, path)
    before = snapshot(db_path)

    again = import_json(run, path)

    assert (again["created"], again["updated"], again["unchanged"], again["rejected"]) == (
        0, 0, len(EXPECTED), 0
    )  # fmt: skip
    assert snapshot(db_path) == before


@pytest.mark.usefixtures("roster")
def test_steps_already_recorded_by_hand_count_as_unchanged(run, tmp_path, db_path):
    run.ok("record", LAN, "lop-boi-duong", "--date", "20/07/2024", "--doc-number", "CN-123")

    report = import_json(run, sheet(tmp_path, GOOD))

    assert (report["created"], report["unchanged"]) == (len(EXPECTED) - 1, 1)
    assert steps(db_path) == EXPECTED


@pytest.mark.usefixtures("roster")
def test_a_sheet_row_that_adds_a_later_step_is_checked_against_the_recorded_ones(
    run, tmp_path, db_path
):
    run.ok("record", PAO, "chi-bo-de-nghi", "--date", "10/03/2025")

    report = import_json(run, sheet(tmp_path, [[PAO, "Giàng A Páo", None, None, None, None,
                                                None, "QĐ-9", "05/03/2025"]]), code=3)  # fmt: skip

    (error,) = report["errors"]
    assert "quyết định kết nạp (05/03/2025)" in error["reason"]
    assert "chi bộ đề nghị kết nạp (10/03/2025)" in error["reason"]
    assert [s[1] for s in steps(db_path)] == ["chi-bo-de-nghi"]


# ----------------------------------------------------------------------------- rejected rows


@pytest.mark.usefixtures("roster")
def test_a_row_out_of_order_is_rejected_whole_and_the_others_are_written(run, tmp_path, db_path):
    bad = [PAO, "Giàng A Páo", D(2024, 7, 20), "CN-126", "Vũ Văn Tư", "01/09/2024",
           "10/03/2025", "QĐ-1", "05/03/2025"]  # fmt: skip
    result = run("import", sheet(tmp_path, [*GOOD, bad]))

    assert result.exit_code == 3
    assert steps(db_path) == EXPECTED  # nothing of Páo's row, not even the class
    report = import_json(run, sheet(tmp_path, [*GOOD, bad], name="lai.xlsx"), code=3)
    (error,) = report["errors"]
    assert error["row"] == 7  # title, blank, header, three good rows
    assert error["sheet"] == "Tiến độ"
    assert "Ngày quyết định kết nạp" in error["column"]
    assert (
        "Ngày quyết định kết nạp (05/03/2025) không thể trước ngày chi bộ đề nghị kết nạp "
        "(10/03/2025)" in error["reason"]
    )
    assert report["rejected"] == 1 and report["unchanged"] == len(EXPECTED)


@pytest.mark.usefixtures("roster")
def test_a_rejected_date_is_shown_as_the_sheet_shows_it(run, tmp_path):
    bad = [PAO, "Giàng A Páo", None, None, None, None, D(2025, 3, 10), "QĐ-1", D(2025, 3, 5)]

    report = import_json(run, sheet(tmp_path, [bad]), code=3)

    (error,) = report["errors"]
    assert "05/03/2025" in error["value"]
    assert "2025-03-05" not in error["value"]


@pytest.mark.usefixtures("roster")
def test_a_row_with_an_unknown_code_is_rejected(run, tmp_path, db_path):
    report = import_json(
        run, sheet(tmp_path, [*GOOD, ["1899999999", "Người Lạ", D(2024, 7, 20)]]), code=3
    )

    (error,) = report["errors"]
    assert error["column"] == "Mã học sinh" and error["value"] == "1899999999"
    assert "Không có học sinh mã 1899999999" in error["reason"]
    assert "nhập danh sách lớp" in error["reason"]
    assert steps(db_path) == EXPECTED


@pytest.mark.usefixtures("roster")
def test_a_code_whose_name_differs_is_rejected(run, tmp_path, db_path):
    report = import_json(run, sheet(tmp_path, [[PAO, "Giàng Thị Mai", D(2024, 7, 20)]]), code=3)

    (error,) = report["errors"]
    assert error["column"] == "Họ và tên" and error["value"] == "Giàng Thị Mai"
    assert PAO in error["reason"] and "họ tên khác" in error["reason"]
    assert "Giàng A Páo" not in error["reason"]  # the other student's name is not told
    assert steps(db_path) == []


@pytest.mark.usefixtures("roster")
def test_the_name_may_be_written_without_diacritics(run, tmp_path, db_path):
    report = import_json(run, sheet(tmp_path, [[PAO, "GIANG A PAO", D(2024, 7, 20)]]))

    assert report["created"] == 1
    assert steps(db_path) == [(PAO, "lop-boi-duong", "2024-07-20", None, None)]


@pytest.mark.usefixtures("roster")
def test_a_sheet_keyed_by_code_alone_needs_no_names(run, tmp_path, db_path):
    rows = [["TIẾN ĐỘ LỚP BỒI DƯỠNG"], ["STT", "Mã học sinh", "Ngày học lớp bồi dưỡng"]]
    rows += [[1, PAO, "20/07/2024"], [2, HANG, D(2024, 7, 21)]]
    path = xlsx_sheets(tmp_path / "lop-bd.xlsx", {"Lớp BD": rows})

    report = import_json(run, path)

    assert report["sheets"][0]["kind"] == "milestones"
    assert steps(db_path) == [
        (PAO, "lop-boi-duong", "2024-07-20", None, None),
        (HANG, "lop-boi-duong", "2024-07-21", None, None),
    ]


@pytest.mark.usefixtures("roster")
def test_a_recommendation_before_18_is_rejected_with_the_date(run, tmp_path, db_path):
    report = import_json(
        run, sheet(tmp_path, [[HUNG, "Trần Văn Hùng", None, None, None, None, "20/03/2025"]]),
        code=3,
    )  # fmt: skip

    (error,) = report["errors"]
    assert "18 tuổi" in error["reason"] and "01/09/2025" in error["reason"]
    assert steps(db_path) == []


@pytest.mark.usefixtures("roster")
def test_bad_dates_and_numbers_without_dates_are_rejected(run, tmp_path, db_path):
    body = [
        [PAO, "Giàng A Páo", "31/02/2024", "CN-1"],  # no such day
        [HANG, "Đỗ Thị Hằng", D(2025, 4, 2)],  # after today (01/04/2025)
        [SEN, "Lò Thị Sen", None, None, None, None, None, "QĐ-7"],  # a number, no date
    ]
    report = import_json(run, sheet(tmp_path, body), code=3)

    reasons = {e["row"]: e["reason"] for e in report["errors"]}
    assert set(reasons) == {4, 5, 6}
    assert "31" in reasons[4]
    assert "tương lai" in reasons[5]
    assert "Số quyết định kết nạp" in reasons[6] and "Ngày quyết định kết nạp" in reasons[6]
    assert steps(db_path) == []


@pytest.mark.usefixtures("roster")
def test_a_rejected_row_changes_nothing_and_dry_run_writes_nothing(run, tmp_path, db_path):
    before = snapshot(db_path)

    dry = run.json("import", sheet(tmp_path, GOOD), "--dry-run")

    assert dry["files"][0]["written"] is False
    assert snapshot(db_path) == before


# ----------------------------------------------------------------------------- with a roster


def test_a_roster_workbook_with_a_progress_sheet_imports_both_at_once(run, tmp_path, db_path):
    kids = KIDS[:3]
    roster_rows: list[list[object]] = [[t] for t in SCHOOL_TITLES]
    roster_rows += [[], PLAIN_HEADER]
    for i, k in enumerate(kids, start=1):
        roster_rows.append([i, k.code, k.name, k.dmy, k.gender, k.ethnicity, k.klass,
                            k.academic, k.conduct, "x"])  # fmt: skip
    # the progress sheet comes first in the workbook: the students must still be found
    path = xlsx_sheets(
        tmp_path / "chi-bo.xlsx", {"Tiến độ": progress_rows(GOOD), "12A1": roster_rows}
    )

    report = import_json(run, path)

    kinds = {s["name"]: s["kind"] for s in report["sheets"]}
    assert kinds == {"Tiến độ": "milestones", "12A1": "roster"}
    by_name = {s["name"]: s for s in report["sheets"]}
    assert by_name["12A1"]["created"] == 3
    assert by_name["Tiến độ"]["created"] == len(EXPECTED)
    assert report["rejected"] == 0
    assert sorted(s["student_code"] for s in run.students()) == [LAN, HUNG, SEN]
    assert steps(db_path) == EXPECTED
    assert query(db_path, "SELECT COUNT(*) FROM import_batch") == [(1,)]
    batch = query(db_path, "SELECT DISTINCT batch_id FROM milestone")
    assert len(batch) == 1 and batch[0][0] is not None


def test_the_sheet_columns_make_steps_of_the_pipeline_in_its_order():
    from dangvien_cli.admission.pipeline import STEPS
    from dangvien_cli.importing.milestone_sheet import STEP_COLUMNS

    steps = [step for step, *_ in STEP_COLUMNS]
    assert all(step in STEPS for step in steps)
    order = list(STEPS)
    assert steps == sorted(steps, key=order.index)
