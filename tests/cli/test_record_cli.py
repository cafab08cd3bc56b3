"""`dangvien record` and `dangvien history`: a dossier's steps, appended and checked (issue 3)."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path

import pytest

from builders import Kid, copy_db, plain_roster, run_on
from dbcheck import query, snapshot

D = dt.date
TODAY = "01/04/2025"

LAN = Kid("1610000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt")
HUNG = Kid(
    "1610000002", "Trần Văn Hùng", D(2007, 9, 20), "Nam", "Kinh", "12A1", True, "Giỏi", "Tốt"
)
MAI_BL = Kid("1610000003", "Phạm Thị Mai", D(2007, 4, 1), "Nữ", "Kinh", "12A2", True, "Khá", "Tốt")
MAI_PT = Kid("1620000001", "Phạm Thị Mai", D(2007, 5, 9), "Nữ", "Thái", "12A3", True, "Khá", "Tốt")
STEPS = ["cam-tinh", "lop-boi-duong", "phan-cong-giup-do", "don-xin-vao-dang", "tham-tra-ly-lich",
         "gioi-thieu", "lay-y-kien", "chi-bo-de-nghi", "dang-uy-co-so", "quyet-dinh-ket-nap",
         "le-ket-nap", "chinh-thuc", "ky-luat", "dung", "chuyen-di"]  # fmt: skip


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", TODAY)


@pytest.fixture(scope="module")
def school_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two schools; "Phạm Thị Mai" is a name in both. Built once, copied into each test."""
    directory = tmp_path_factory.mktemp("record")
    titles = ("TRƯỜNG THPT PHONG THỔ", "DANH SÁCH HỌC SINH - HỌC KỲ I - NĂM HỌC 2024-2025")
    return run_on(
        directory / "dangvien.db",
        ["import", plain_roster(directory / "bl.xlsx", [LAN, HUNG, MAI_BL]).path, "--json"],
        ["import", plain_roster(directory / "pt.xlsx", [MAI_PT], titles=titles).path, "--json"],
    )


@pytest.fixture
def school(school_db: Path, db_path: Path) -> None:
    copy_db(school_db, db_path)


def milestones(db: Path, code: str | None = None) -> list[tuple[object, ...]]:
    """(id, student code, step, date, doc number, mentor, note, replaces) of every milestone."""
    rows = query(
        db,
        "SELECT m.id, s.student_code, m.step, m.on_date, m.doc_number, m.mentor, m.note, "
        "m.replaces_id FROM milestone m JOIN student s ON s.person_id = m.person_id ORDER BY m.id",
    )
    return [r for r in rows if code is None or r[1] == code]


def audit_count(db: Path) -> int:
    return int(query(db, "SELECT COUNT(*) FROM audit_log")[0][0])


def record(run, *args: object) -> dict[str, object]:
    data = run.json("record", *args)
    assert isinstance(data, dict)
    return data


# ----------------------------------------------------------------------------- who


@pytest.mark.usefixtures("school")
def test_record_by_code(run, db_path):
    result = run.ok("record", LAN.code, "lop-boi-duong", "--date", "20/07/2024",
                    "--doc-number", "CN-123")  # fmt: skip

    assert "Nguyễn Thị Lan" in result.stdout
    assert "Học lớp bồi dưỡng nhận thức về Đảng" in result.stdout
    assert "20/07/2024" in result.stdout
    assert milestones(db_path) == [
        (1, LAN.code, "lop-boi-duong", "2024-07-20", "CN-123", None, None, None)
    ]


@pytest.mark.usefixtures("school")
@pytest.mark.parametrize("name", ["Nguyễn Thị Lan", "nguyen thi lan", "  NGUYỄN THỊ LAN "])
def test_record_by_exact_name_with_or_without_diacritics(run, db_path, name):
    data = record(run, name, "phan-cong-giup-do", "--date", "01/09/2024",
                  "--mentor", "Trần Văn Hùng")  # fmt: skip

    assert data["student_code"] == LAN.code
    assert data["recorded"] is True
    assert milestones(db_path, LAN.code)[0][2:6] == (
        "phan-cong-giup-do", "2024-09-01", None, "Trần Văn Hùng"
    )  # fmt: skip


@pytest.mark.usefixtures("school")
def test_a_name_matching_nobody_is_refused(run, db_path):
    result = run("record", "Nguyễn Thị", "cam-tinh", "--date", "01/09/2024")

    assert result.exit_code == 2
    assert "Không tìm thấy học sinh “Nguyễn Thị”" in result.stderr
    assert milestones(db_path) == []


@pytest.mark.usefixtures("school")
def test_a_name_matching_two_students_lists_both(run, db_path):
    result = run("record", "Pham Thi Mai", "cam-tinh", "--date", "01/09/2024")

    assert result.exit_code == 2
    assert "2 học sinh" in result.stderr
    assert MAI_BL.code in result.stderr and MAI_PT.code in result.stderr
    assert "THPT Bình Lư" in result.stderr and "THPT Phong Thổ" in result.stderr
    assert "mã học sinh" in result.stderr
    assert milestones(db_path) == []
    # the code settles it
    assert record(run, MAI_PT.code, "cam-tinh", "--date", "01/09/2024")["recorded"] is True


# ----------------------------------------------------------------------------- what and when


@pytest.mark.usefixtures("school")
def test_an_unknown_step_lists_the_steps(run, db_path):
    result = run("record", LAN.code, "ket-nap", "--date", "01/09/2024")

    assert result.exit_code == 2
    assert "Không có bước “ket-nap”" in result.stderr
    for slug in STEPS:
        assert slug in result.stderr.replace("\n", "")
    assert milestones(db_path) == []


@pytest.mark.usefixtures("school")
def test_a_step_may_be_written_as_its_vietnamese_label(run):
    assert record(run, LAN.code, "Lễ kết nạp", "--date", "20/03/2025")["step"] == "le-ket-nap"
    assert record(run, LAN.code, "cam tinh", "--date", "01/09/2024")["step"] == "cam-tinh"


@pytest.mark.usefixtures("school")
@pytest.mark.parametrize("text", ["31/02/2025", "2025-02-31", "hôm qua"])
def test_an_impossible_date_is_refused(run, db_path, text):
    result = run("record", LAN.code, "cam-tinh", "--date", text)

    assert result.exit_code == 2
    assert "--date" in result.stderr
    assert milestones(db_path) == []


@pytest.mark.usefixtures("school")
def test_a_date_in_the_future_is_refused_and_today_is_not(run, db_path):
    result = run("record", LAN.code, "lop-boi-duong", "--date", "02/04/2025")

    assert result.exit_code == 2
    assert "02/04/2025" in result.stderr and "tương lai" in result.stderr
    assert TODAY in result.stderr
    assert milestones(db_path) == []
    assert record(run, LAN.code, "lop-boi-duong", "--date", TODAY)["recorded"] is True


@pytest.mark.usefixtures("school")
def test_a_recommendation_before_18_is_refused_with_the_date_they_become_eligible(run, db_path):
    result = run("record", HUNG.code, "chi-bo-de-nghi", "--date", "25/03/2025")

    assert result.exit_code == 2
    assert "18 tuổi" in result.stderr
    assert "01/09/2025" in result.stderr
    assert HUNG.name in result.stderr
    assert milestones(db_path) == []


@pytest.mark.usefixtures("school")
def test_the_age_check_follows_the_age_mode(run):
    # 15/03/2007: 18 from 01/03/2025 by month, from 15/03/2025 by day
    run.ok("config", "set", "age.mode", "day")
    refused = run("record", LAN.code, "chi-bo-de-nghi", "--date", "10/03/2025")

    assert refused.exit_code == 2
    assert "15/03/2025" in refused.stderr
    run.ok("config", "set", "age.mode", "month")
    assert record(run, LAN.code, "chi-bo-de-nghi", "--date", "10/03/2025")["recorded"] is True


@pytest.mark.usefixtures("school")
def test_a_decision_before_the_recommendation_is_refused_naming_the_rule(run, db_path):
    run.ok("record", LAN.code, "chi-bo-de-nghi", "--date", "10/03/2025")

    result = run("record", LAN.code, "quyet-dinh-ket-nap", "--date", "05/03/2025")

    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "Ngày quyết định kết nạp (05/03/2025) không thể trước ngày chi bộ đề nghị kết nạp " \
        "(10/03/2025)" in message  # fmt: skip
    assert [m[2] for m in milestones(db_path)] == ["chi-bo-de-nghi"]


@pytest.mark.usefixtures("school")
def test_a_recommendation_after_a_recorded_decision_is_refused(run, db_path):
    # old dossiers are incomplete: the decision may be recorded first
    run.ok("record", LAN.code, "quyet-dinh-ket-nap", "--date", "10/03/2025")

    result = run("record", LAN.code, "chi-bo-de-nghi", "--date", "12/03/2025")

    assert result.exit_code == 2
    assert "không thể sau" in " ".join(result.stderr.split())
    assert [m[2] for m in milestones(db_path)] == ["quyet-dinh-ket-nap"]


@pytest.mark.usefixtures("school")
def test_a_ceremony_before_the_decision_is_refused(run, db_path):
    run.ok("record", LAN.code, "quyet-dinh-ket-nap", "--date", "10/03/2025")

    result = run("record", LAN.code, "le-ket-nap", "--date", "09/03/2025")

    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "lễ kết nạp (09/03/2025)" in message and "quyết định kết nạp (10/03/2025)" in message
    assert len(milestones(db_path)) == 1


@pytest.mark.usefixtures("school")
def test_equal_dates_along_the_chain_are_allowed(run, db_path):
    for step in ("chi-bo-de-nghi", "dang-uy-co-so", "quyet-dinh-ket-nap", "le-ket-nap"):
        run.ok("record", LAN.code, step, "--date", "20/03/2025")

    assert [m[2] for m in milestones(db_path)] == [
        "chi-bo-de-nghi", "dang-uy-co-so", "quyet-dinh-ket-nap", "le-ket-nap"
    ]  # fmt: skip


@pytest.mark.usefixtures("school")
def test_steps_outside_the_chain_are_never_refused_for_their_order(run, db_path):
    run.ok("record", LAN.code, "chi-bo-de-nghi", "--date", "10/03/2025")

    # a late-recorded application dated after the recommendation: a warning at most
    run.ok("record", LAN.code, "don-xin-vao-dang", "--date", "20/03/2025")

    assert len(milestones(db_path)) == 2


@pytest.mark.usefixtures("school")
@pytest.mark.parametrize("step", ["ky-luat", "dung", "chuyen-di"])
def test_discipline_stop_and_handover_need_a_note(run, db_path, step):
    missing = run("record", LAN.code, step, "--date", "01/03/2025")
    blank = run("record", LAN.code, step, "--date", "01/03/2025", "--note", "   ")

    for result in (missing, blank):
        assert result.exit_code == 2
        assert "--note" in result.stderr
    assert milestones(db_path) == []
    run.ok("record", LAN.code, step, "--date", "01/03/2025", "--note", "THPT Lai Châu")
    assert milestones(db_path)[0][6] == "THPT Lai Châu"


# ----------------------------------------------------------------------------- append-only


@pytest.mark.usefixtures("school")
def test_replaces_supersedes_an_entry_without_touching_it(run, db_path):
    first = record(run, LAN.code, "chi-bo-de-nghi", "--date", "03/03/2025")
    second = record(run, LAN.code, "chi-bo-de-nghi", "--date", "10/03/2025",
                    "--replaces", first["id"])  # fmt: skip

    rows = milestones(db_path)
    assert rows == [
        (first["id"], LAN.code, "chi-bo-de-nghi", "2025-03-03", None, None, None, None),
        (second["id"], LAN.code, "chi-bo-de-nghi", "2025-03-10", None, None, None, first["id"]),
    ]
    lines = [h for h in run.json("history", LAN.code)["history"] if h["kind"] == "milestone"]
    assert [(h["milestone_id"], h["superseded"]) for h in lines] == [
        (first["id"], True),
        (second["id"], False),
    ]
    assert "đã được thay" in run.ok("history", LAN.code).stdout
    (candidate,) = run.json("candidates", "--as-of", "20/03/2025")
    assert candidate["stage"] == "chi-bo-de-nghi"
    assert candidate["stage_date"] == "2025-03-10"


@pytest.mark.usefixtures("school")
def test_a_correction_is_checked_like_any_record(run, db_path):
    run.ok("record", LAN.code, "chi-bo-de-nghi", "--date", "10/03/2025")
    decision = record(run, LAN.code, "quyet-dinh-ket-nap", "--date", "12/03/2025")

    # the decision was in fact on 08/03 and the recommendation on 05/03: fix both
    refused = run("record", LAN.code, "quyet-dinh-ket-nap", "--date", "08/03/2025",
                  "--replaces", decision["id"])  # fmt: skip
    assert refused.exit_code == 2  # still before the recorded recommendation of 10/03
    assert "chi bộ đề nghị kết nạp (10/03/2025)" in " ".join(refused.stderr.split())


@pytest.mark.usefixtures("school")
def test_replaces_must_name_a_milestone_of_that_student(run, db_path):
    other = record(run, HUNG.code, "cam-tinh", "--date", "01/09/2024")

    unknown = run("record", LAN.code, "cam-tinh", "--date", "02/09/2024", "--replaces", 99)
    foreign = run("record", LAN.code, "cam-tinh", "--date", "02/09/2024",
                  "--replaces", other["id"])  # fmt: skip

    for result in (unknown, foreign):
        assert result.exit_code == 2
        assert "--replaces" in result.stderr
    assert len(milestones(db_path)) == 1


@pytest.mark.usefixtures("school")
def test_an_entry_already_superseded_cannot_be_replaced_again(run, db_path):
    first = record(run, LAN.code, "chi-bo-de-nghi", "--date", "03/03/2025")
    run.ok("record", LAN.code, "chi-bo-de-nghi", "--date", "10/03/2025", "--replaces", first["id"])
    before = snapshot(db_path)

    again = run("record", LAN.code, "chi-bo-de-nghi", "--date", "12/03/2025",
                "--replaces", first["id"])  # fmt: skip

    assert again.exit_code == 2
    assert snapshot(db_path) == before


@pytest.mark.usefixtures("school")
def test_the_same_step_and_date_twice_is_written_once(run, db_path):
    first = record(run, LAN.code, "lop-boi-duong", "--date", "20/07/2024")
    again = run("record", LAN.code, "lop-boi-duong", "--date", "20/07/2024")

    assert first["recorded"] is True
    assert again.exit_code == 0
    assert "đã được ghi" in again.stderr
    assert len(milestones(db_path)) == 1
    assert record(run, LAN.code, "lop-boi-duong", "--date", "20/07/2024")["recorded"] is False
    # another date is another class (the certificate may be renewed)
    run.ok("record", LAN.code, "lop-boi-duong", "--date", "21/07/2024")
    assert len(milestones(db_path)) == 2


REFUSALS = {
    "unknown student": ["Ai Đó", "cam-tinh", "--date", "01/09/2024"],
    "ambiguous name": ["Phạm Thị Mai", "cam-tinh", "--date", "01/09/2024"],
    "unknown step": [LAN.code, "ket-nap", "--date", "01/09/2024"],
    "impossible date": [LAN.code, "cam-tinh", "--date", "31/02/2025"],
    "future date": [LAN.code, "cam-tinh", "--date", "02/04/2025"],
    "under 18": [HUNG.code, "chi-bo-de-nghi", "--date", "20/03/2025"],
    "out of order": [LAN.code, "quyet-dinh-ket-nap", "--date", "01/03/2025"],
    "no note": [LAN.code, "dung", "--date", "01/03/2025"],
    "unknown replaces": [LAN.code, "cam-tinh", "--date", "01/09/2024", "--replaces", "999"],
}


@pytest.mark.usefixtures("school")
@pytest.mark.parametrize("args", list(REFUSALS.values()), ids=list(REFUSALS))
def test_nothing_is_written_on_a_refusal(run, db_path, args):
    run.ok("record", LAN.code, "chi-bo-de-nghi", "--date", "10/03/2025")
    before, audits = snapshot(db_path), audit_count(db_path)

    result = run("record", *args)

    assert result.exit_code == 2, result.output
    assert result.stderr.strip()
    assert result.stdout == ""
    assert snapshot(db_path) == before
    assert audit_count(db_path) == audits


@pytest.mark.usefixtures("school")
def test_warnings_do_not_stop_the_record(run, db_path):
    result = run("record", LAN.code, "phan-cong-giup-do", "--date", "01/09/2024")

    assert result.exit_code == 0
    assert "Lưu ý" in result.stderr and "--mentor" in result.stderr
    assert len(milestones(db_path)) == 1
    data = record(run, LAN.code, "chi-bo-de-nghi", "--date", "10/03/2025")
    assert data["recorded"] is True
    assert any("lớp bồi dưỡng" in w for w in data["warnings"])  # type: ignore[union-attr]


@pytest.mark.usefixtures("school")
def test_a_record_is_in_the_audit_log(run, db_path):
    data = record(run, LAN.code, "cam-tinh", "--date", "01/09/2024")

    rows = query(
        db_path,
        "SELECT action, entity, entity_id, command FROM audit_log WHERE entity = 'milestone'",
    )
    assert rows == [("record", "milestone", data["id"], rows[0][3])]
    assert rows[0][3].startswith("dangvien")  # the command line (pytest's, in a test)


# ----------------------------------------------------------------------------- history


@pytest.mark.usefixtures("school")
def test_history_shows_each_milestone_with_number_date_and_who_recorded_it(run):
    a = record(run, LAN.code, "lop-boi-duong", "--date", "20/07/2024", "--doc-number", "CN-123")
    b = record(run, "Nguyễn Thị Lan", "phan-cong-giup-do", "--date", "01/09/2024",
               "--mentor", "Trần Văn Hùng", "--by", "Chi ủy")  # fmt: skip

    data = run.json("history", LAN.code)
    text = run.ok("history", "nguyen thi lan").stdout

    for key in ("student_code", "full_name", "school", "class_name", "date_of_birth"):
        assert key in data
    assert data["student_code"] == LAN.code
    lines = [h for h in data["history"] if h["kind"] == "milestone"]
    assert [(h["milestone_id"], h["date"]) for h in lines] == [
        (a["id"], "2024-07-20"),
        (b["id"], "2024-09-01"),
    ]
    assert "CN-123" in lines[0]["text"]
    assert "Trần Văn Hùng" in lines[1]["text"] and "Chi ủy" in lines[1]["text"]
    user = getpass.getuser()
    for h in lines:
        assert dt.datetime.fromisoformat(h["recorded_at"]).tzinfo is not None
        assert h["recorded_by"] == user
        assert h["superseded"] is False
    assert "Học lớp bồi dưỡng nhận thức về Đảng" in text
    assert "20/07/2024" in text and "01/09/2024" in text
    assert user in text
    recorded = dt.datetime.fromisoformat(lines[0]["recorded_at"])
    assert recorded.strftime("%d/%m/%Y") in text


@pytest.mark.usefixtures("school")
def test_history_of_a_student_with_nothing_recorded(run):
    data = run.json("history", HUNG.code)

    assert [h["kind"] for h in data["history"]] == ["import"]
    assert "bl.xlsx" in data["history"][0]["text"]


def test_history_shows_a_roster_that_changed_the_student(run, tmp_path):
    run.json("import", plain_roster(tmp_path / "hk1.xlsx", [LAN]).path)
    moved = Kid(LAN.code, LAN.name, LAN.born, "Nữ", "Kinh", "12A3", True, "Khá", "Tốt")
    run.json("import", plain_roster(tmp_path / "chuyen-lop.xlsx", [moved]).path)

    data = run.json("history", LAN.code)

    assert data["class_name"] == "12A3"
    imports = [h for h in data["history"] if h["kind"] == "import"]
    assert len(imports) == 2
    assert any("hk1.xlsx" in h["text"] for h in imports)
    change = next(h for h in imports if "chuyen-lop.xlsx" in h["text"])
    assert change["recorded_by"] == getpass.getuser()
    assert "chuyen-lop.xlsx" in run.ok("history", LAN.code).stdout


def test_history_says_what_a_roster_changed_in_vietnamese(run, tmp_path):
    run.json("import", plain_roster(tmp_path / "hk1.xlsx", [LAN]).path)
    moved = Kid(LAN.code, LAN.name, LAN.born, "Nữ", "Kinh", "12A3", True, "Khá", "Tốt")
    run.json("import", plain_roster(tmp_path / "chuyen-lop.xlsx", [moved]).path)

    data = run.json("history", LAN.code)

    change = next(h for h in data["history"] if "chuyen-lop.xlsx" in h["text"])
    assert "class_name" not in change["text"]
    assert "Lớp" in change["text"] or "lớp" in change["text"]
    assert "12A1" in change["text"] and "12A3" in change["text"]


def test_history_of_an_unknown_student(run, tmp_path):
    run.json("import", plain_roster(tmp_path / "bl.xlsx", [LAN]).path)

    result = run("history", "9999999999")

    assert result.exit_code == 2
    assert "9999999999" in result.stderr
