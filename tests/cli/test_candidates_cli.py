"""`dangvien candidates`: each dossier's stage, next step and deadline in working days (issue 3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import holidays
import pytest

from builders import Kid, copy_db, plain_roster, run_on

D = dt.date
TODAY = "30/06/2025"
KEYS = ["student_code", "full_name", "stage", "stage_date", "next_step", "deadline", "overdue_days"]

# Everyone is 18 by January 2025, so any recommendation date may be recorded.
NAMES = {
    "1710000001": "Nguyễn Văn Cảm",  # cam-tinh
    "1710000002": "Trần Thị Bồi",  # lop-boi-duong
    "1710000003": "Lê Văn Đề",  # chi-bo-de-nghi on 06/01/2025 (across Tết)
    "1710000004": "Phạm Thị Định",  # quyet-dinh-ket-nap
    "1710000005": "Hoàng Văn Lễ",  # le-ket-nap
    "1710000006": "Vũ Thị Chính",  # chinh-thuc
    "1710000007": "Đặng Văn Dừng",  # dung
    "1710000008": "Bùi Thị Chuyển",  # chuyen-di
    "1710000009": "Đỗ Văn Luật",  # ky-luat only
    "1710000010": "Ngô Thị Trống",  # nothing
    "1710000011": "Lý Văn Đúng",  # chi-bo-de-nghi on 02/06/2025, not yet due
}
KIDS = [
    Kid(code, name, D(2006, 12, i + 1), "Nữ" if " Thị " in name else "Nam", "Kinh", "12A1",
        True, "Khá", "Tốt")
    for i, (code, name) in enumerate(NAMES.items())
]  # fmt: skip
STEPS = [
    ("1710000001", "cam-tinh", "01/09/2024", []),
    ("1710000002", "cam-tinh", "01/09/2024", []),
    ("1710000002", "lop-boi-duong", "20/07/2024", []),  # an earlier date: the stage is by date
    ("1710000002", "lop-boi-duong", "15/10/2024", []),
    ("1710000003", "lop-boi-duong", "20/07/2024", []),
    ("1710000003", "chi-bo-de-nghi", "06/01/2025", []),
    ("1710000004", "chi-bo-de-nghi", "03/03/2025", []),
    ("1710000004", "quyet-dinh-ket-nap", "10/04/2025", ["--doc-number", "145-QĐ/ĐU"]),
    ("1710000005", "quyet-dinh-ket-nap", "10/01/2025", []),
    ("1710000005", "le-ket-nap", "20/01/2025", []),
    ("1710000006", "le-ket-nap", "10/05/2024", []),
    ("1710000006", "chinh-thuc", "10/05/2025", []),
    ("1710000007", "cam-tinh", "01/09/2024", []),
    ("1710000007", "dung", "01/03/2025", ["--note", "Không còn nguyện vọng"]),
    ("1710000008", "lop-boi-duong", "20/07/2024", []),
    ("1710000008", "chuyen-di", "31/05/2025", ["--note", "Đảng ủy phường Đông Phong"]),
    ("1710000009", "ky-luat", "01/02/2025", ["--note", "Khiển trách"]),
    ("1710000011", "chi-bo-de-nghi", "02/06/2025", []),
]


@pytest.fixture(scope="module")
def pipeline_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("candidates")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DANGVIEN_TODAY", TODAY)
        return run_on(
            directory / "dangvien.db",
            ["import", plain_roster(directory / "ds.xlsx", KIDS).path, "--json"],
            *(["record", code, step, "--date", day, *extra] for code, step, day, extra in STEPS),
        )


@pytest.fixture(autouse=True)
def pipeline(pipeline_db: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", TODAY)
    copy_db(pipeline_db, db_path)


def candidates(run, *args: object) -> dict[str, dict[str, Any]]:
    data = run.json("candidates", *args)
    assert isinstance(data, list)
    return {row["student_code"]: row for row in data}


def add_working_days(start: dt.date, n: int) -> dt.date:
    """Counted here independently: weekdays that are not Vietnamese public holidays, and the
    Saturdays the government made working days in exchange for a day off."""
    calendar = holidays.country_holidays("VN", years=range(start.year, start.year + 2))
    worked = set(calendar.weekend_workdays)
    day = start
    while n:
        day += dt.timedelta(days=1)
        if (day.weekday() < 5 and day not in calendar) or day in worked:
            n -= 1
    return day


# ----------------------------------------------------------------------------- who is listed


def test_json_keys_and_stages(run):
    rows = candidates(run)

    for row in rows.values():
        for key in KEYS:
            assert key in row, key
        assert row["full_name"] == NAMES[row["student_code"]]
        assert isinstance(row["overdue_days"], int)
    assert {code: row["stage"] for code, row in rows.items()} == {
        "1710000001": "cam-tinh",
        "1710000002": "lop-boi-duong",
        "1710000003": "chi-bo-de-nghi",
        "1710000004": "quyet-dinh-ket-nap",
        "1710000005": "le-ket-nap",
        "1710000011": "chi-bo-de-nghi",
    }
    assert rows["1710000002"]["stage_date"] == "2024-10-15"  # the latest step by date
    assert rows["1710000002"]["next_step"] == "phan-cong-giup-do"
    assert rows["1710000002"]["deadline"] is None  # no legal deadline before the chi bộ votes
    assert rows["1710000004"]["next_step"] == "le-ket-nap"
    assert rows["1710000005"]["next_step"] == "chinh-thuc"


def test_finished_stopped_and_handed_over_only_with_all(run):
    listed = candidates(run)
    everyone = candidates(run, "--all")

    for code in ("1710000006", "1710000007", "1710000008"):
        assert code not in listed
        assert code in everyone
    assert everyone["1710000006"]["stage"] == "chinh-thuc"
    assert everyone["1710000007"]["stage"] == "dung"
    assert everyone["1710000008"]["stage"] == "chuyen-di"
    for code in ("1710000006", "1710000007", "1710000008"):
        assert everyone[code]["next_step"] is None
        assert everyone[code]["deadline"] is None
        assert everyone[code]["overdue_days"] == 0


def test_a_discipline_alone_does_not_make_a_candidate(run):
    everyone = candidates(run, "--all")

    assert "1710000009" not in everyone
    assert "1710000010" not in everyone
    run.ok("record", "1710000009", "cam-tinh", "--date", "01/03/2025")
    row = candidates(run)["1710000009"]
    assert row["stage"] == "cam-tinh"  # the later discipline is not a stage


def test_the_funnel_counts_each_stage(run):
    text = run.ok("candidates").stdout

    lines = text.splitlines()
    assert "Phễu kết nạp đến ngày 30/06/2025" in lines[0]
    assert "(6 người)" in lines[0]
    funnel = {}
    for line in lines[1:]:
        if "█" not in line:
            break
        label, count = line.split("█")[0].strip(), line.rsplit(" ", 1)[1]
        funnel[label] = int(count)
    assert funnel == {
        "Đưa vào danh sách cảm tình Đảng": 1,
        "Học lớp bồi dưỡng nhận thức về Đảng": 1,
        "Chi bộ xét, đề nghị kết nạp": 2,
        "Quyết định kết nạp": 1,
        "Lễ kết nạp": 1,
    }
    for name in ("Nguyễn Văn Cảm", "Lê Văn Đề", "Hoàng Văn Lễ"):
        assert name in text
    assert "Vũ Thị Chính" not in text


def test_the_funnel_with_all_counts_the_finished_too(run):
    text = run.ok("candidates", "--all").stdout

    assert "(9 người)" in text
    assert "Công nhận đảng viên chính thức" in text
    assert "Dừng xem xét" in text


# ----------------------------------------------------------------------------- deadlines


def test_the_decision_deadline_is_60_working_days_across_tet(run):
    expected = add_working_days(D(2025, 1, 6), 60)

    row = candidates(run, "--as-of", "01/02/2025")["1710000003"]

    # Tết 27–31/01/2025 and Giỗ Tổ 07/04/2025 are not working days: not 31/03 but 08/04
    assert expected == D(2025, 4, 8)
    assert row["deadline"] == "2025-04-08"
    assert row["stage_date"] == "2025-01-06"
    assert row["next_step"] in ("dang-uy-co-so", "quyet-dinh-ket-nap")
    assert row["overdue_days"] == 0


def test_overdue_days_count_from_the_deadline(run):
    on_deadline = candidates(run, "--as-of", "08/04/2025")["1710000003"]
    later = candidates(run, "--as-of", "18/04/2025")["1710000003"]

    assert on_deadline["overdue_days"] == 0
    assert later["overdue_days"] == 10
    text = run.ok("candidates", "--as-of", "18/04/2025").stdout
    line = next(line for line in text.splitlines() if "Lê Văn Đề" in line)
    assert "08/04/2025" in line and "10 ngày" in line


def test_the_ceremony_deadline_is_30_working_days_after_the_decision(run):
    row = candidates(run, "--as-of", "01/06/2025")["1710000004"]

    # 30/04 and 01/05 are holidays, 02/05 was swapped for Saturday 26/04
    assert row["deadline"] == add_working_days(D(2025, 4, 10), 30).isoformat()
    assert row["overdue_days"] == (D(2025, 6, 1) - D.fromisoformat(row["deadline"])).days


def test_the_full_membership_vote_is_due_30_working_days_after_12_months(run):
    row = candidates(run, "--as-of", "01/06/2025")["1710000005"]

    assert row["deadline"] == add_working_days(D(2026, 1, 20), 30).isoformat()
    assert row["overdue_days"] == 0


def test_overdue_lists_only_late_dossiers(run):
    late = candidates(run, "--overdue", "--as-of", "18/04/2025")
    none_yet = candidates(run, "--overdue", "--as-of", "08/04/2025")

    assert set(late) == {"1710000003"}
    assert all(row["overdue_days"] > 0 for row in late.values())
    assert "1710000003" not in none_yet
    assert set(candidates(run, "--overdue", "--as-of", "01/06/2025")) == {
        "1710000003",
        "1710000004",
    }


def test_as_of_defaults_to_today(run):
    rows = candidates(run)

    assert rows["1710000003"]["overdue_days"] == (D(2025, 6, 30) - D(2025, 4, 8)).days
    assert "1710000011" in rows and rows["1710000011"]["overdue_days"] == 0
    assert "Phễu kết nạp đến ngày 30/06/2025" in run.ok("candidates").stdout


# ----------------------------------------------------------------------------- filters


def test_stage_filter(run):
    recommended = candidates(run, "--stage", "chi-bo-de-nghi")
    by_label = candidates(run, "--stage", "Chi bộ xét, đề nghị kết nạp")
    stopped = candidates(run, "--stage", "dung", "--all")

    assert set(recommended) == {"1710000003", "1710000011"}
    assert by_label == recommended
    assert set(stopped) == {"1710000007"}
    bad = run("candidates", "--stage", "ket-nap")
    assert bad.exit_code == 2
    assert "chi-bo-de-nghi" in bad.stderr


def test_school_filter_and_an_empty_list(run, tmp_path):
    other = [Kid("1720000001", "Lò Thị Nhàn", D(2006, 2, 8), "Nữ", "Thái", "12A1")]
    titles = ("TRƯỜNG THPT PHONG THỔ", "DANH SÁCH HỌC SINH - HỌC KỲ I - NĂM HỌC 2024-2025")
    run.json("import", plain_roster(tmp_path / "pt.xlsx", other, titles=titles).path)

    assert candidates(run, "--school", "phong tho") == {}
    assert len(candidates(run, "--school", "binh lu")) == 6
    text = run.ok("candidates", "--school", "phong tho").stdout
    assert "Chưa có quần chúng nào" in text
