"""`dangvien eligible`: who the chi bộ may vote on at a meeting date (issue 3, "Eligibility")."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from builders import PLAIN_HEADER, Kid, plain_roster, progress_rows, xlsx_sheets

D = dt.date
CRITERIA = ["age", "academic", "conduct", "youth_union", "mentor", "awareness_class", "discipline"]
IDENTITY = ["student_code", "full_name", "school", "class_name", "date_of_birth"]
HK1 = ("TRƯỜNG THPT BÌNH LƯ", "DANH SÁCH HỌC SINH - HỌC KỲ I - NĂM HỌC 2024-2025")
TODAY = "15/04/2025"

LAN = Kid("1510000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt")
HUNG = Kid(
    "1510000002", "Trần Văn Hùng", D(2007, 9, 20), "Nam", "Kinh", "12A1", True, "Giỏi", "Tốt"
)
SANG = Kid("1510000003", "Lò Văn Sáng", 2007, "Nam", "Thái", "12A2", True, "Khá", "Tốt")
NGA = Kid("1510000004", "Đỗ Thị Ngà", D(2007, 1, 2), "Nữ", "Kinh", "12A2", False, "Khá", "Tốt")
# Grade 11 in 2024-2025: 18 in March 2026, before leaving school on 31/05/2026.
TUAN = Kid(
    "1510000005", "Hoàng Minh Tuấn", D(2008, 3, 10), "Nam", "Kinh", "11A1", True, "Khá", "Tốt"
)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", TODAY)


def dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def load(run, tmp_path: Path, kids: list[Kid], name: str = "ds.xlsx", **kw: Any) -> None:
    run.json("import", plain_roster(tmp_path / name, kids, **kw).path)


CLASS_ON, MENTOR_ON = D(2024, 7, 20), D(2024, 9, 1)


def prepare(run, *codes: str, class_on: dt.date = CLASS_ON, mentor_on: dt.date = MENTOR_ON):
    """Awareness class and mentor recorded for every student named, with one progress sheet
    (what the chi bộ does for every candidate)."""
    body = [[code, None, class_on, "CN-1", "Vũ Văn Tư", mentor_on] for code in codes]
    path = Path.cwd() / f"tien-do-{codes[0]}-{class_on}.xlsx"  # the test's own tmp_path
    run.json("import", xlsx_sheets(path, {"Tiến độ": progress_rows(body)}))


def eligible(run, *args: object) -> dict[str, dict[str, Any]]:
    """`eligible --all --json …` keyed by student code."""
    data = run.json("eligible", "--all", *args)
    assert isinstance(data, list)
    return {row["student_code"]: row for row in data}


def verdict(row: dict[str, Any], key: str) -> bool | None:
    return row["criteria"][key]["ok"]


# ----------------------------------------------------------------------------- the JSON contract


def test_json_carries_the_contract_keys_for_every_student(run, tmp_path):
    load(run, tmp_path, [LAN, HUNG, SANG])
    prepare(run, LAN.code)
    students = run.by_code()

    rows = eligible(run, "--as-of", "15/03/2025")

    assert set(rows) == {LAN.code, HUNG.code, SANG.code}
    for code, row in rows.items():
        for key in IDENTITY:
            assert row[key] == students[code][key], key
        assert isinstance(row["eligible"], bool)
        assert isinstance(row["leaves_before_age_eligible"], bool)
        assert list(row["criteria"]) == CRITERIA
        for key in CRITERIA:
            assert row["criteria"][key]["ok"] in (True, False, None)
            assert isinstance(row["criteria"][key]["detail"], str)
            assert row["criteria"][key]["detail"]
        assert row["failed"] == [k for k in CRITERIA if row["criteria"][k]["ok"] is not True]
        assert row["eligible"] is (not row["failed"])
    lan = rows[LAN.code]
    assert lan["eligible"] is True and lan["failed"] == []
    assert lan["date_of_birth"] == "2007-03-15"
    assert lan["first_age_eligible_date"] == "2025-03-01"
    assert lan["leaves_before_age_eligible"] is False
    assert rows[SANG.code]["date_of_birth"] == "2007"
    assert rows[HUNG.code]["failed"] == ["age", "mentor", "awareness_class"]


def test_by_default_only_the_eligible_are_listed_and_all_lists_everyone(run, tmp_path):
    load(run, tmp_path, [LAN, HUNG, SANG, NGA])
    prepare(run, LAN.code, NGA.code)

    only = run.json("eligible", "--as-of", "15/03/2025")
    everyone = run.json("eligible", "--as-of", "15/03/2025", "--all")

    assert [r["student_code"] for r in only] == [LAN.code]
    assert {r["student_code"] for r in everyone} == {LAN.code, HUNG.code, SANG.code, NGA.code}
    text = run.ok("eligible", "--as-of", "15/03/2025").stdout
    assert "1/4" in text
    assert LAN.name in text and HUNG.name not in text
    text_all = run.ok("eligible", "--as-of", "15/03/2025", "--all").stdout
    assert all(k.name in text_all for k in (LAN, HUNG, SANG, NGA))
    # the reason for each ✗ is printed under the table
    assert "Chưa đủ 18 tuổi: đủ từ 01/09/2025" in text_all


def test_no_one_eligible_says_so(run, tmp_path):
    load(run, tmp_path, [HUNG])

    result = run.ok("eligible", "--as-of", "15/03/2025")

    assert "0/1" in result.stdout
    assert "Không có học sinh nào đủ điều kiện" in result.stdout
    assert run.json("eligible", "--as-of", "15/03/2025") == []


def test_as_of_takes_day_first_or_iso_and_defaults_to_today(run, tmp_path):
    load(run, tmp_path, [LAN, HUNG])
    prepare(run, LAN.code)

    dmy_rows = run.json("eligible", "--all", "--as-of", "01/03/2025")
    iso_rows = run.json("eligible", "--all", "--as-of", "2025-03-01")

    assert dmy_rows == iso_rows
    assert "Xét ngày 01/03/2025" in run.ok("eligible", "--as-of", "2025-03-01").stdout
    assert f"Xét ngày {TODAY}" in run.ok("eligible").stdout
    # the day before the birthday month: not yet 18 (and 03/01 is 3 January, never 1 March)
    assert eligible(run, "--as-of", "28/02/2025")[LAN.code]["criteria"]["age"]["ok"] is False
    bad = run("eligible", "--as-of", "31/02/2025")
    assert bad.exit_code == 2
    assert "31/02/2025" in bad.stderr


# ----------------------------------------------------------------------------- age


def test_age_by_month_or_by_day_changes_the_answer_before_the_birthday(run, tmp_path):
    load(run, tmp_path, [LAN])
    prepare(run, LAN.code)

    by_month = eligible(run, "--as-of", "10/03/2025")[LAN.code]
    run.ok("config", "set", "age.mode", "day")
    by_day = eligible(run, "--as-of", "10/03/2025")[LAN.code]
    on_birthday = eligible(run, "--as-of", "15/03/2025")[LAN.code]

    assert verdict(by_month, "age") is True and by_month["eligible"] is True
    assert by_month["first_age_eligible_date"] == "2025-03-01"
    assert verdict(by_day, "age") is False and by_day["failed"] == ["age"]
    assert "15/03/2025" in by_day["criteria"]["age"]["detail"]
    assert by_day["first_age_eligible_date"] == "2025-03-15"
    assert verdict(on_birthday, "age") is True and on_birthday["eligible"] is True


def test_29_february_birthday_by_day_is_28_february(run, tmp_path):
    leap = Kid(
        "1510000029", "Phan Thị Nhuận", D(2008, 2, 29), "Nữ", "Kinh", "11A1", True, "Khá", "Tốt"
    )
    load(run, tmp_path, [leap])
    run.ok("config", "set", "age.mode", "day")

    row = eligible(run, "--as-of", "28/02/2026")[leap.code]

    assert row["first_age_eligible_date"] == "2026-02-28"
    assert verdict(row, "age") is True


def test_only_a_birth_year_is_never_a_tick_inside_the_18th_year(run, tmp_path):
    load(run, tmp_path, [SANG])
    prepare(run, SANG.code)

    before = eligible(run, "--as-of", "31/12/2024")[SANG.code]
    middle = eligible(run, "--as-of", "15/03/2025")[SANG.code]
    certain = eligible(run, "--as-of", "01/12/2025")[SANG.code]

    assert verdict(before, "age") is False
    assert verdict(middle, "age") is None
    assert middle["eligible"] is False and middle["failed"] == ["age"]
    assert "2007" in middle["criteria"]["age"]["detail"]
    assert "01/12/2025" in middle["criteria"]["age"]["detail"]
    assert verdict(certain, "age") is True
    assert run.json("eligible", "--as-of", "15/03/2025") == []
    text = run.ok("eligible", "--all", "--as-of", "15/03/2025").stdout
    assert "? Tuổi" in text


# ----------------------------------------------------------------------------- results


def test_a_first_term_result_counts_only_from_16_january(run, tmp_path):
    load(run, tmp_path, [dataclasses.replace(NGA, youth=True)])
    prepare(run, NGA.code)

    before = eligible(run, "--as-of", "15/01/2025")[NGA.code]
    after = eligible(run, "--as-of", "16/01/2025")[NGA.code]

    assert verdict(before, "academic") is None and verdict(before, "conduct") is None
    assert before["failed"] == ["academic", "conduct"]
    assert "16/01/2025" in before["criteria"]["academic"]["detail"]
    assert verdict(after, "academic") is True and verdict(after, "conduct") is True
    assert "Học kỳ I 2024-2025" in after["criteria"]["academic"]["detail"]
    assert after["eligible"] is True
    # the school may publish term results earlier
    run.ok("config", "set", "term.hk1_known_from", "10/01")
    assert eligible(run, "--as-of", "15/01/2025")[NGA.code]["eligible"] is True


def test_the_most_recent_result_wins_and_full_year_counts_from_june(run, tmp_path):
    load(run, tmp_path, [LAN])
    prepare(run, LAN.code)
    worse = dataclasses.replace(LAN, academic="Trung bình")
    hk2 = ("TRƯỜNG THPT BÌNH LƯ", "DANH SÁCH HỌC SINH - CẢ NĂM - NĂM HỌC 2024-2025")
    load(run, tmp_path, [worse], name="cn.xlsx", titles=hk2)

    may = eligible(run, "--as-of", "31/05/2025")[LAN.code]
    june = eligible(run, "--as-of", "01/06/2025")[LAN.code]

    assert verdict(may, "academic") is True
    assert "Học kỳ I 2024-2025" in may["criteria"]["academic"]["detail"]
    assert verdict(june, "academic") is False
    assert "Cả năm 2024-2025" in june["criteria"]["academic"]["detail"]


def test_tt58_roster_grades(run, tmp_path):
    kids = [
        Kid("1520000001", "Bùi Thị Giỏi", D(2007, 1, 3), "Nữ", "Kinh", "12A1", True, "Giỏi", "Tốt"),
        Kid("1520000002", "Bùi Văn Trung", D(2007, 1, 4), "Nam", "Kinh", "12A1", True,
            "Trung bình", "Tốt"),
        Kid("1520000003", "Bùi Văn Hạnh", D(2007, 1, 5), "Nam", "Kinh", "12A1", True, "Khá", "Khá"),
        Kid("1520000004", "Bùi Thị Kha", D(2007, 1, 6), "Nữ", "Kinh", "12A1", True, "K", "T"),
    ]  # fmt: skip
    load(run, tmp_path, kids)
    prepare(run, *(k.code for k in kids if k.code))

    rows = eligible(run, "--as-of", "15/03/2025")

    assert rows["1520000001"]["eligible"] is True
    assert "Giỏi" in rows["1520000001"]["criteria"]["academic"]["detail"]
    assert rows["1520000002"]["failed"] == ["academic"]
    assert "Trung bình" in rows["1520000002"]["criteria"]["academic"]["detail"]
    assert rows["1520000003"]["failed"] == ["conduct"]
    assert rows["1520000004"]["eligible"] is True


def test_tt22_roster_grades(run, tmp_path):
    kids = [
        Kid("1530000001", "Đinh Thị Tốt", D(2007, 1, 3), "Nữ", "Kinh", "12A1", True),
        Kid("1530000002", "Đinh Văn Đạt", D(2007, 1, 4), "Nam", "Kinh", "12A1", True),
        Kid("1530000003", "Đinh Văn Khá", D(2007, 1, 5), "Nam", "Kinh", "12A1", True),
        Kid("1530000004", "Đinh Thị Rèn", D(2007, 1, 6), "Nữ", "Kinh", "12A1", True),
    ]
    header = [h for h in PLAIN_HEADER if h not in ("Học lực", "Hạnh kiểm")]
    extra = {
        "Kết quả học tập": ["Tốt", "Đạt", "Khá", "Khá"],
        "Kết quả rèn luyện": ["Tốt", "Tốt", "Tốt", "Đạt"],
    }
    load(run, tmp_path, kids, header=header, extra=extra)
    prepare(run, *(k.code for k in kids if k.code))

    rows = eligible(run, "--as-of", "15/03/2025")

    assert rows["1530000001"]["eligible"] is True
    assert rows["1530000002"]["failed"] == ["academic"]
    assert "Đạt" in rows["1530000002"]["criteria"]["academic"]["detail"]
    assert rows["1530000003"]["eligible"] is True
    assert rows["1530000004"]["failed"] == ["conduct"]
    assert "Đạt" in rows["1530000004"]["criteria"]["conduct"]["detail"]


# ----------------------------------------------------------------------------- the other criteria


def test_a_student_not_in_the_youth_union(run, tmp_path):
    load(run, tmp_path, [NGA])
    prepare(run, NGA.code)

    row = eligible(run, "--as-of", "15/03/2025")[NGA.code]

    assert verdict(row, "youth_union") is False
    assert row["failed"] == ["youth_union"]
    assert run.json("eligible", "--as-of", "15/03/2025") == []
    run.ok("config", "set", "require.youth_union", "false")
    assert eligible(run, "--as-of", "15/03/2025")[NGA.code]["eligible"] is True


def test_youth_union_join_date_decides_at_the_meeting_date(run, tmp_path):
    kid = Kid(
        "1540000001", "Lương Văn Đoàn", D(2007, 1, 2), "Nam", "Kinh", "12A1", None, "Khá", "Tốt"
    )
    header = [h for h in PLAIN_HEADER if h != "Đoàn viên"]
    load(run, tmp_path, [kid], header=header, extra={"Ngày vào Đoàn": ["20/03/2025"]})
    prepare(run, kid.code)

    before = eligible(run, "--as-of", "15/03/2025")[kid.code]
    after = eligible(run, "--as-of", "20/03/2025")[kid.code]

    assert verdict(before, "youth_union") is False
    assert "20/03/2025" in before["criteria"]["youth_union"]["detail"]
    assert verdict(after, "youth_union") is True and after["eligible"] is True


def test_an_awareness_class_certificate_expires_after_60_months(run, tmp_path):
    load(run, tmp_path, [LAN])
    prepare(run, LAN.code, class_on=D(2020, 3, 10))

    last_day = eligible(run, "--as-of", "09/03/2025")[LAN.code]
    expired = eligible(run, "--as-of", "10/03/2025")[LAN.code]

    assert verdict(last_day, "awareness_class") is True
    assert "09/03/2025" in last_day["criteria"]["awareness_class"]["detail"]
    assert verdict(expired, "awareness_class") is False
    assert expired["failed"] == ["awareness_class"]
    assert "học lại" in expired["criteria"]["awareness_class"]["detail"]
    run.ok("config", "set", "awareness_class.valid_months", "72")
    assert eligible(run, "--as-of", "10/03/2025")[LAN.code]["eligible"] is True
    run.ok("config", "set", "awareness_class.valid_months", "60")
    run.ok("record", LAN.code, "lop-boi-duong", "--date", "20/07/2024")  # taken again
    renewed = eligible(run, "--as-of", "10/03/2025")[LAN.code]
    assert verdict(renewed, "awareness_class") is True
    assert "20/07/2024" in renewed["criteria"]["awareness_class"]["detail"]


def test_an_awareness_class_after_the_meeting_does_not_count(run, tmp_path):
    load(run, tmp_path, [LAN])
    prepare(run, LAN.code, class_on=D(2025, 3, 20))

    row = eligible(run, "--as-of", "15/03/2025")[LAN.code]

    assert verdict(row, "awareness_class") is False
    assert "20/03/2025" in row["criteria"]["awareness_class"]["detail"]


def test_a_discipline_blocks_for_12_months(run, tmp_path):
    load(run, tmp_path, [LAN])
    prepare(run, LAN.code)
    run.ok("record", LAN.code, "ky-luat", "--date", "01/06/2024", "--note", "Khiển trách")

    within = eligible(run, "--as-of", "31/05/2025")[LAN.code]
    after = eligible(run, "--as-of", "01/06/2025")[LAN.code]

    assert verdict(within, "discipline") is False and within["failed"] == ["discipline"]
    assert "Khiển trách" in within["criteria"]["discipline"]["detail"]
    assert "01/06/2024" in within["criteria"]["discipline"]["detail"]
    assert verdict(after, "discipline") is True and after["eligible"] is True


def test_a_missing_mentor_fails_unless_the_setting_drops_it(run, tmp_path):
    load(run, tmp_path, [LAN])
    run.ok("record", LAN.code, "lop-boi-duong", "--date", "20/07/2024")

    required = eligible(run, "--as-of", "15/03/2025")[LAN.code]
    run.ok("config", "set", "require.mentor", "false")
    optional = eligible(run, "--as-of", "15/03/2025")[LAN.code]

    assert verdict(required, "mentor") is False and required["failed"] == ["mentor"]
    assert optional["eligible"] is True and optional["failed"] == []
    assert verdict(optional, "mentor") is False  # still judged and reported
    assert optional["criteria"]["mentor"]["detail"] == required["criteria"]["mentor"]["detail"]
    assert [r["student_code"] for r in run.json("eligible", "--as-of", "15/03/2025")] == [LAN.code]


def test_the_mentor_detail_names_the_party_member(run, tmp_path):
    load(run, tmp_path, [LAN])
    prepare(run, LAN.code)

    row = eligible(run, "--as-of", "15/03/2025")[LAN.code]

    assert "Vũ Văn Tư" in row["criteria"]["mentor"]["detail"]
    assert "01/09/2024" in row["criteria"]["mentor"]["detail"]


# ----------------------------------------------------------------------------- the age window


def test_a_grade_12_student_born_in_september_leaves_before_turning_18(run, tmp_path):
    load(run, tmp_path, [LAN, HUNG, TUAN])
    prepare(run, LAN.code, HUNG.code, TUAN.code)

    rows = eligible(run, "--as-of", "15/03/2025")
    text = run.ok("eligible", "--all", "--as-of", "15/03/2025").stdout

    hung = rows[HUNG.code]
    assert hung["leaves_before_age_eligible"] is True
    assert hung["first_age_eligible_date"] == "2025-09-01"
    assert rows[LAN.code]["leaves_before_age_eligible"] is False
    assert rows[TUAN.code]["leaves_before_age_eligible"] is False  # grade 11: another year
    assert rows[TUAN.code]["first_age_eligible_date"] == "2026-03-01"
    assert "⚠ 1 học sinh ra trường trước khi đủ tuổi" in text
    hung_line = next(line for line in text.splitlines() if HUNG.name in line and "│" in line)
    assert "01/09/2025 ⚠" in hung_line
    lan_line = next(line for line in text.splitlines() if LAN.name in line and "│" in line)
    assert "⚠" not in lan_line
    # the warning shows even when the late student is not eligible and so not listed
    assert "⚠ 1 học sinh" in run.ok("eligible", "--as-of", "15/03/2025").stdout


def test_the_school_years_last_day_moves_the_leave_date(run, tmp_path):
    summer = Kid(
        "1510000006", "Mùa Thị Hè", D(2007, 6, 10), "Nữ", "Mông", "12A1", True, "Khá", "Tốt"
    )
    load(run, tmp_path, [summer])

    assert eligible(run, "--as-of", "15/03/2025")[summer.code]["leaves_before_age_eligible"]
    run.ok("config", "set", "school_year.last_day", "30/06")
    row = eligible(run, "--as-of", "15/03/2025")[summer.code]
    assert row["leaves_before_age_eligible"] is False


# ----------------------------------------------------------------------------- out of the question


def test_admitted_stopped_and_handed_over_students_are_never_listed(run, tmp_path):
    kids = [
        Kid("1550000001", "Tạ Văn Kết", D(2007, 1, 2), "Nam", "Kinh", "12A1", True, "Khá", "Tốt"),
        Kid("1550000002", "Tạ Thị Dừng", D(2007, 1, 3), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt"),
        Kid("1550000003", "Tạ Văn Chuyển", D(2007, 1, 4), "Nam", "Kinh", "12A1", True,
            "Khá", "Tốt"),
        Kid("1550000004", "Tạ Thị Còn", D(2007, 1, 5), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt"),
    ]  # fmt: skip
    load(run, tmp_path, kids)
    prepare(run, *(k.code for k in kids if k.code))
    run.ok("record", "1550000001", "chi-bo-de-nghi", "--date", "03/03/2025")
    run.ok("record", "1550000001", "quyet-dinh-ket-nap", "--date", "10/03/2025")
    run.ok(
        "record", "1550000002", "dung", "--date", "01/03/2025", "--note", "Gia đình không đồng ý"
    )
    run.ok("record", "1550000003", "chuyen-di", "--date", "01/03/2025", "--note", "THPT Lai Châu")

    listed = run.json("eligible", "--as-of", "15/03/2025")
    everyone = eligible(run, "--as-of", "15/03/2025")
    before_decision = eligible(run, "--as-of", "05/03/2025")
    on_decision_day = eligible(run, "--as-of", "10/03/2025")

    assert [r["student_code"] for r in listed] == ["1550000004"]
    assert set(everyone) == {"1550000004"}
    assert "1550000001" in before_decision  # the decision had not been taken yet
    assert "1550000001" not in on_decision_day
    text = run.ok("eligible", "--all", "--as-of", "15/03/2025").stdout
    assert "Tạ Văn Kết" not in text and "Tạ Thị Dừng" not in text and "Tạ Văn Chuyển" not in text


# ----------------------------------------------------------------------------- filters and export


def two_schools(run, tmp_path: Path) -> None:
    load(run, tmp_path, [LAN, HUNG, SANG, NGA, TUAN])
    other = [
        Kid("1560000001", "Lò Thị Nhàn", D(2007, 2, 8), "Nữ", "Thái", "12A1", True, "Khá", "Tốt")
    ]
    titles = ("TRƯỜNG THPT PHONG THỔ", "DANH SÁCH HỌC SINH - HỌC KỲ I - NĂM HỌC 2024-2025")
    load(run, tmp_path, other, name="pt.xlsx", titles=titles)


def test_grade_and_class_filters(run, tmp_path):
    two_schools(run, tmp_path)

    grade12 = eligible(run, "--as-of", "15/03/2025", "--grade", "12")
    grade11 = eligible(run, "--as-of", "15/03/2025", "--grade", "11")
    klass = eligible(run, "--as-of", "15/03/2025", "--class", "12a2")
    both = eligible(run, "--as-of", "15/03/2025", "--class", "12A1", "--school", "Bình Lư")

    assert set(grade12) == {LAN.code, HUNG.code, SANG.code, NGA.code, "1560000001"}
    assert set(grade11) == {TUAN.code}
    assert set(klass) == {SANG.code, NGA.code}
    assert {r["class_name"] for r in klass.values()} == {"12A2"}
    assert set(both) == {LAN.code, HUNG.code}


def test_school_is_matched_without_diacritics(run, tmp_path):
    two_schools(run, tmp_path)

    rows = eligible(run, "--as-of", "15/03/2025", "--school", "binh lu")
    other = eligible(run, "--as-of", "15/03/2025", "--school", "PHONG THO")

    assert set(rows) == {LAN.code, HUNG.code, SANG.code, NGA.code, TUAN.code}
    assert {r["school"] for r in rows.values()} == {"THPT Bình Lư"}
    assert set(other) == {"1560000001"}
    unknown = run("eligible", "--school", "Mường Tè")
    assert unknown.exit_code == 2
    assert "Mường Tè" in unknown.stderr


def test_xlsx_export_reads_back_as_a_table(run, tmp_path):
    load(run, tmp_path, [LAN, HUNG, SANG])
    prepare(run, LAN.code)
    out = tmp_path / "du-dieu-kien.xlsx"

    result = run.ok("eligible", "--all", "--as-of", "15/03/2025", "--xlsx", out)

    assert str(out) in result.stdout or out.name in result.stdout
    ws = load_workbook(out).active
    assert "15/03/2025" in str(ws["A1"].value)
    header_row = next(r for r in range(1, 10) if ws.cell(row=r, column=2).value == "Mã học sinh")
    header = [c.value for c in ws[header_row]]
    body = [
        dict(zip(header, (c.value for c in row), strict=True))
        for row in ws.iter_rows(min_row=header_row + 1)
        if row[1].value
    ]
    assert sorted(r["Mã học sinh"] for r in body) == sorted([LAN.code, HUNG.code, SANG.code])
    by_code = {r["Mã học sinh"]: r for r in body}
    rows = eligible(run, "--as-of", "15/03/2025")
    marks = {True: "✓", False: "✗", None: "?"}
    criteria_columns = header[header.index("Đủ tuổi từ") + 2 : header.index("Đủ tuổi từ") + 9]
    assert len(criteria_columns) == 7
    for code, row in rows.items():
        cells = [by_code[code][c] for c in criteria_columns]
        assert cells == [marks[row["criteria"][k]["ok"]] for k in CRITERIA], code
        assert set(cells) <= {"✓", "✗", "?"}
    lan, hung, sang = by_code[LAN.code], by_code[HUNG.code], by_code[SANG.code]
    assert lan["Họ và tên"] == LAN.name and lan["Lớp"] == "12A1"
    assert isinstance(lan["Ngày sinh"], dt.datetime)
    assert lan["Ngày sinh"].date() == D(2007, 3, 15)
    assert isinstance(hung["Đủ tuổi từ"], dt.datetime)
    assert hung["Đủ tuổi từ"].date() == D(2025, 9, 1)
    assert sang["Ngày sinh"] == 2007
    assert lan["Đủ điều kiện"] == "Có" and hung["Đủ điều kiện"] == "Chưa"


def test_xlsx_export_needs_an_xlsx_name(run, tmp_path):
    load(run, tmp_path, [LAN])

    result = run("eligible", "--xlsx", tmp_path / "ra.csv")

    assert result.exit_code == 2
    assert ".xlsx" in result.stderr
    assert not (tmp_path / "ra.csv").exists()
