"""A step recorded again with other facts is refused, never added beside the first: `record` of the
same step and date with another document number, a progress sheet that contradicts a recorded
admission decision or ceremony; and `check` finds the candidates an older version left with two."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from builders import Kid, copy_db, plain_roster, progress_rows, run_on, xlsx_sheets
from dbcheck import query, snapshot

D = dt.date
TODAY = "01/05/2025"

LAN = Kid("1910000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt")
HUNG = Kid(
    "1910000002", "Trần Văn Hùng", D(2007, 9, 20), "Nam", "Kinh", "12A1", True, "Giỏi", "Tốt"
)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", TODAY)


@pytest.fixture(scope="module")
def roster_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("once")
    roster = plain_roster(directory / "ds.xlsx", [LAN, HUNG]).path
    return run_on(directory / "dangvien.db", ["import", roster, "--json"])


@pytest.fixture
def roster(roster_db: Path, db_path: Path) -> None:
    copy_db(roster_db, db_path)


def milestones(db: Path) -> list[tuple[Any, ...]]:
    """(student code, step, date, doc number, replaces) of every milestone, in id order."""
    return query(
        db,
        "SELECT s.student_code, m.step, m.on_date, m.doc_number, m.replaces_id FROM milestone m "
        "JOIN student s ON s.person_id = m.person_id ORDER BY m.id",
    )


def flat(text: str) -> str:
    return " ".join(text.split())


# ----------------------------------------------------------------------------- record


@pytest.mark.usefixtures("roster")
def test_the_same_step_and_date_with_another_number_is_refused_pointing_to_replaces(
    run: Any, db_path: Path
) -> None:
    first = run.json(
        "record", LAN.code, "lop-boi-duong", "--date", "20/07/2024", "--doc-number", "CN-123"
    )
    before = snapshot(db_path)

    result = run(
        "record", LAN.code, "lop-boi-duong", "--date", "20/07/2024", "--doc-number", "CN-999"
    )

    assert result.exit_code == 2, result.output
    message = flat(result.stderr)
    assert "đã được ghi (số CN-123), khác số CN-999" in message
    assert f"--replaces {first['id']}" in message
    assert LAN.name not in message and LAN.code not in message
    assert snapshot(db_path) == before
    # the correction the message names is accepted
    fixed = run.json(
        "record", LAN.code, "lop-boi-duong", "--date", "20/07/2024", "--doc-number", "CN-999",
        "--replaces", first["id"],
    )  # fmt: skip
    assert fixed["recorded"] is True
    assert milestones(db_path)[-1] == (LAN.code, "lop-boi-duong", "2024-07-20", "CN-999", 1)


@pytest.mark.usefixtures("roster")
def test_a_number_for_a_step_recorded_without_one_says_how_to_add_it(
    run: Any, db_path: Path
) -> None:
    first = run.json("record", LAN.code, "lop-boi-duong", "--date", "20/07/2024")

    result = run(
        "record", LAN.code, "lop-boi-duong", "--date", "20/07/2024", "--doc-number", "CN-1"
    )

    assert result.exit_code == 0, result.output  # nothing contradicts: the step is there
    message = flat(result.stderr)
    assert "đã được ghi" in message and "chưa có số văn bản" in message
    assert f"--replaces {first['id']}" in message
    assert milestones(db_path) == [(LAN.code, "lop-boi-duong", "2024-07-20", None, None)]


@pytest.mark.usefixtures("roster")
@pytest.mark.parametrize("again", [["--doc-number", "CN-123"], ["--doc-number", " cn-123 "], []])
def test_the_same_step_date_and_number_stays_idempotent(
    run: Any, db_path: Path, again: list[str]
) -> None:
    run.ok("record", LAN.code, "lop-boi-duong", "--date", "20/07/2024", "--doc-number", "CN-123")

    data = run.json("record", LAN.code, "lop-boi-duong", "--date", "20/07/2024", *again)

    assert data["recorded"] is False
    assert milestones(db_path) == [(LAN.code, "lop-boi-duong", "2024-07-20", "CN-123", None)]


@pytest.mark.usefixtures("roster")
def test_a_second_admission_decision_on_another_date_is_refused(run: Any, db_path: Path) -> None:
    run.ok("record", LAN.code, "chi-bo-de-nghi", "--date", "03/03/2025")
    decision = run.json(
        "record", LAN.code, "quyet-dinh-ket-nap", "--date", "10/03/2025", "--doc-number", "145"
    )

    result = run("record", LAN.code, "quyet-dinh-ket-nap", "--date", "12/03/2025")

    assert result.exit_code == 2
    message = flat(result.stderr)
    assert "chỉ có một bước “Quyết định kết nạp”" in message
    assert "10/03/2025, số 145" in message and f"--replaces {decision['id']}" in message
    assert [m[1] for m in milestones(db_path)] == ["chi-bo-de-nghi", "quyet-dinh-ket-nap"]
    # steps a candidate may have more than once are still recorded beside each other
    run.ok("record", LAN.code, "phan-cong-giup-do", "--date", "01/09/2024", "--mentor", "Vũ Tư")
    run.ok("record", LAN.code, "phan-cong-giup-do", "--date", "01/10/2024", "--mentor", "Hà Mơ")


# ----------------------------------------------------------------------------- progress sheets

# From "Mã học sinh" on: name, class date, certificate, mentor, assigned on, chi bộ, decision
# number, decision date, ceremony.
FIRST = [
    [LAN.code, LAN.name, None, None, None, None, D(2025, 3, 3), "145-QĐ/ĐU", D(2025, 3, 10),
     D(2025, 3, 20)],
    [HUNG.code, HUNG.name, D(2024, 7, 21), "CN-124"],
]  # fmt: skip
CORRECTED = [
    [LAN.code, LAN.name, None, None, None, None, D(2025, 3, 3), "146-QĐ/ĐU", D(2025, 3, 11),
     D(2025, 3, 25)],
    [HUNG.code, HUNG.name, D(2024, 7, 21), "CN-124", "Vũ Văn Tư", D(2024, 9, 1)],
]  # fmt: skip


def sheet(tmp_path: Path, body: list[list[object]], name: str) -> Path:
    return xlsx_sheets(tmp_path / name, {"Tiến độ": progress_rows(body)})


@pytest.mark.usefixtures("roster")
def test_a_corrected_sheet_does_not_add_a_second_decision_and_ceremony(
    run: Any, tmp_path: Path, db_path: Path
) -> None:
    run.json("import", sheet(tmp_path, FIRST, "a.xlsx"))
    before = milestones(db_path)
    assert [m[1] for m in before if m[0] == LAN.code] == [
        "chi-bo-de-nghi",
        "quyet-dinh-ket-nap",
        "le-ket-nap",
    ]

    result = run("import", sheet(tmp_path, CORRECTED, "b.xlsx"), "--json")

    assert result.exit_code == 3, result.output
    (report,) = json.loads(result.stdout)["files"]
    (error,) = report["errors"]
    assert (error["sheet"], error["row"]) == ("Tiến độ", 4)  # title, blank, header, Lan
    reason = flat(error["reason"])
    assert "chỉ có một bước “Quyết định kết nạp”" in reason
    assert "chỉ có một bước “Lễ kết nạp”" in reason
    assert "--replaces" in reason and "sửa ô này" in reason
    assert LAN.name not in reason and LAN.code not in reason
    # Lan's row is refused whole; Hùng's row (a new step) is written
    after = milestones(db_path)
    assert [m for m in after if m[0] == LAN.code] == [m for m in before if m[0] == LAN.code]
    assert (HUNG.code, "phan-cong-giup-do", "2024-09-01", None, None) in after
    assert run.json("check")["ok"] is True


@pytest.mark.usefixtures("roster")
def test_a_sheet_with_another_number_for_a_recorded_date_is_a_row_error(
    run: Any, tmp_path: Path, db_path: Path
) -> None:
    run.ok("record", HUNG.code, "lop-boi-duong", "--date", "21/07/2024", "--doc-number", "CN-1")

    result = run("import", sheet(tmp_path, FIRST[1:], "c.xlsx"))

    assert result.exit_code == 3
    out = flat(result.stdout)
    assert "(số CN-1), khác số CN-124" in out
    assert len(milestones(db_path)) == 1


@pytest.mark.usefixtures("roster")
def test_the_same_sheet_twice_in_one_file_cannot_hold_two_decisions(
    run: Any, tmp_path: Path, db_path: Path
) -> None:
    both = [FIRST[0], CORRECTED[0]]
    result = run("import", sheet(tmp_path, both, "d.xlsx"), "--json")

    assert result.exit_code == 3
    (report,) = json.loads(result.stdout)["files"]
    (error,) = report["errors"]
    assert error["row"] == 5
    assert "một dòng trước trong bảng" in error["reason"]
    assert [m[1] for m in milestones(db_path)] == [
        "chi-bo-de-nghi",
        "quyet-dinh-ket-nap",
        "le-ket-nap",
    ]


# ----------------------------------------------------------------------------- check


def insert_milestone(db: Path, code: str, step: str, on: str, number: str | None = None) -> int:
    """A milestone written straight into the file, as an older version could have."""
    con = sqlite3.connect(db)
    try:
        (person,) = con.execute(
            "SELECT person_id FROM student WHERE student_code = ?", (code,)
        ).fetchone()
        cur = con.execute(
            "INSERT INTO milestone (person_id, step, on_date, doc_number, recorded_at) "
            "VALUES (?, ?, ?, ?, '2025-04-01 10:00:00.000000')",
            (person, step, on, number),
        )
        con.commit()
        assert cur.lastrowid is not None
        return cur.lastrowid
    finally:
        con.close()


@pytest.mark.usefixtures("roster")
def test_check_reports_two_decisions_of_one_candidate(run: Any, db_path: Path) -> None:
    insert_milestone(db_path, LAN.code, "chi-bo-de-nghi", "2025-03-03")
    first = insert_milestone(db_path, LAN.code, "quyet-dinh-ket-nap", "2025-03-10", "145")
    second = insert_milestone(db_path, LAN.code, "quyet-dinh-ket-nap", "2025-03-11", "146")

    data = run.json("check", code=1)

    problems = [p for p in data["problems"] if p["kind"] == "once_step_twice"]
    assert [(p["student_code"], p["full_name"]) for p in problems] == [(LAN.code, LAN.name)]
    message = problems[0]["message"]
    assert f"mốc số {first} ngày 10/03/2025, số 145" in message
    assert f"mốc số {second} ngày 11/03/2025, số 146" in message
    assert "--replaces" in message
    terminal = run("check")
    assert terminal.exit_code == 1
    assert "Quyết định kết nạp" in terminal.stdout

    # the fix the message names: the wrong one replaced by a copy of the right one
    run.ok(
        "record", LAN.code, "quyet-dinh-ket-nap", "--date", "10/03/2025", "--doc-number", "145",
        "--replaces", second,
    )  # fmt: skip
    assert run.json("check")["ok"] is True


@pytest.mark.usefixtures("roster")
def test_check_leaves_copies_that_agree_and_steps_that_repeat(run: Any, db_path: Path) -> None:
    insert_milestone(db_path, LAN.code, "chi-bo-de-nghi", "2025-03-03")
    insert_milestone(db_path, LAN.code, "quyet-dinh-ket-nap", "2025-03-10", "145")
    insert_milestone(db_path, LAN.code, "quyet-dinh-ket-nap", "2025-03-10")
    insert_milestone(db_path, LAN.code, "phan-cong-giup-do", "2024-09-01")
    insert_milestone(db_path, LAN.code, "phan-cong-giup-do", "2024-10-01")

    assert run.json("check")["ok"] is True
