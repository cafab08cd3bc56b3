"""Headers as real school files write them: the student code under its many names, numbers that
are not the code, headers typed without spaces or with marks, and other people's columns.

Each test builds the roster, imports it through the command line and looks at what a user
would look at: who is stored, with which code and name, and what is kept as extra data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from builders import xlsx_rows
from dbcheck import query

TITLES = [["TRƯỜNG THPT BÌNH LƯ"], ["DANH SÁCH HỌC SINH LỚP 12A1 - NĂM HỌC 2024-2025"], []]
KIDS = [
    ("1300000001", "Lò Thị Dế", "05/03/2007"),
    ("1300000002", "Sùng A Pó", "17/11/2007"),
    ("1300000003", "Ma Thị Hoa", "30/01/2007"),
]


def roster(path: Path, header: list[str], body: list[list[object]]) -> Path:
    """Titles, the header, the rows; every cell typed as text (codes keep their zeros)."""
    width = max(len(header), *(len(r) for r in body))
    return xlsx_rows(path, [*TITLES, header, *body], text_columns=range(1, width + 1))


def extras(db_path: Path) -> dict[str, dict[str, Any]]:
    """The extra data kept for each student, by full name."""
    rows = query(
        db_path,
        "SELECT p.full_name, s.extra FROM student s JOIN person p ON p.id = s.person_id",
    )
    return {name: json.loads(extra) if extra else {} for name, extra in rows}


def stored(run: Any) -> dict[str, tuple[Any, ...]]:
    """What `students --json` shows: name → (code, date of birth, class)."""
    return {
        s["full_name"]: (s["student_code"], s["date_of_birth"], s["class_name"])
        for s in run.students()
    }


EXPECTED = {
    "Lò Thị Dế": ("1300000001", "2007-03-05", "12A1"),
    "Sùng A Pó": ("1300000002", "2007-11-17", "12A1"),
    "Ma Thị Hoa": ("1300000003", "2007-01-30", "12A1"),
}
NO_CODE = {name: (None, *rest) for name, (_, *rest) in EXPECTED.items()}


# ---------------------------------------------------------------- pattern 3: the student code


@pytest.mark.parametrize(
    "code_header",
    ["MSHS", "Mã HS", "Mã số học sinh", "Mã số HS", "mã số hs", "MÃ SỐ HỌC SINH", "Mã\nHS",
     "Mã  số  HS", "MSHS:", "Mã HS (vnEdu)"],
)  # fmt: skip
def test_the_student_code_under_any_of_its_headers(run, tmp_path, code_header):
    body = [[n, code, name, born] for n, (code, name, born) in enumerate(KIDS, start=1)]
    path = roster(tmp_path / "ds.xlsx", ["STT", code_header, "Họ và tên", "Ngày sinh"], body)

    report = run.json("import", path)

    assert report["totals"]["created"] == 3
    assert report["files"][0]["sheets"][0]["unknown_columns"] == []
    assert stored(run) == EXPECTED


OTHER_NUMBERS = [
    "Mã số trên thẻ BHYT", "Số thẻ BHYT", "Mã BHYT", "Mã số BHYT", "Mã số BHXH", "CMND",
    "Số CMND", "Số tài khoản", "Số điện thoại", "SĐT", "Mã SV", "Mã sinh viên",
    "Số thẻ đoàn", "Số thẻ đoàn viên", "Mã số (thẻ BHYT)", "Mã học sinh trên thẻ BHYT",
    "Mã số thuế", "Mã định danh công dân", "Mã trường", "Mã lớp",
]  # fmt: skip


@pytest.mark.parametrize("other", OTHER_NUMBERS)
def test_another_number_is_never_the_student_code(run, tmp_path, db_path, other):
    # The other number first, as in the file that stored 627 students keyed by insurance
    # numbers; then the same without any code column at all.
    numbers = ["4010123456789", "4010123456790", "4010123456791"]
    body = [
        [n, number, code, name, born]
        for n, ((code, name, born), number) in enumerate(zip(KIDS, numbers, strict=True), 1)
    ]
    header = ["STT", other, "Mã học sinh", "Họ và tên", "Ngày sinh"]
    path = roster(tmp_path / "ds.xlsx", header, body)

    report = run.json("import", path)

    assert report["totals"]["created"] == 3
    assert report["files"][0]["sheets"][0]["unknown_columns"] == [other.replace("\n", " ")]
    assert stored(run) == EXPECTED
    assert extras(db_path) == {
        name: {other: number} for (_, name, _), number in zip(KIDS, numbers, strict=True)
    }

    body = [[n, number, name, born] for n, ((_, name, born), number) in
            enumerate(zip(KIDS, numbers, strict=True), 1)]  # fmt: skip
    path = roster(tmp_path / "khong-ma.xlsx", ["STT", other, "Họ và tên", "Ngày sinh"], body)
    run.json("import", path, "--school", "THPT Nậm Tăm")
    school = {s["full_name"]: s["student_code"] for s in run.students("--school", "THPT Nậm Tăm")}
    assert school == {name: None for _, name, _ in KIDS}


def test_citizen_id_headers_keep_their_field_and_are_never_the_code(run, tmp_path, db_path):
    ids = ["012307004512", "012207001234", "012307009876"]
    body = [[n, ident, code, name, born] for n, ((code, name, born), ident) in
            enumerate(zip(KIDS, ids, strict=True), 1)]  # fmt: skip
    header = ["STT", "Số định danh cá nhân", "Mã học sinh", "Họ và tên", "Ngày sinh"]
    path = roster(tmp_path / "ds.xlsx", header, body)

    run.json("import", path)

    assert stored(run) == EXPECTED
    assert sorted(query(db_path, "SELECT national_id FROM person")) == [(i,) for i in sorted(ids)]


# ---------------------------------------------------- pattern 4: no spaces, marks, line breaks


@pytest.mark.parametrize(
    "header",
    [
        ["STT", "mãhọcsinh*", "họvàtên", "ngàysinh"],
        ["STT", "Mã học sinh (*)", "Họ và tên (*)", "Ngày sinh\n(dd/mm/yyyy)"],
        ["STT", "Mã học sinh:", "Họ  và   tên:", "Ngày\nsinh"],
        ["STT", "MÃHỌCSINH", "HỌVÀTÊN", "NGÀYSINH (dd/mm/yyyy)"],
        ["STT", "Mã học\nsinh *", "Họ và\ntên\nhọc sinh", "Ngày tháng\nnăm sinh (*)"],
        ["STT", "Mãhọc sinh", "Họvà tên", "Ngàysinh"],
    ],
)
def test_headers_typed_without_spaces_or_with_marks(run, tmp_path, header):
    body = [[n, code, name, born] for n, (code, name, born) in enumerate(KIDS, start=1)]
    path = roster(tmp_path / "ds.xlsx", header, body)

    report = run.json("import", path)

    assert report["totals"]["created"] == 3
    assert report["files"][0]["sheets"][0]["unknown_columns"] == []
    assert stored(run) == EXPECTED


def test_names_that_look_like_headers_are_students_in_every_block(run, tmp_path):
    # Two class blocks one under the other, the header typed without spaces: every student of
    # both blocks comes in, a "Ma" or "Hồ" family name is never a header.
    kids = {
        "12A1": [("Ma Thị Hoa", "05/03/2007"), ("Hồ Văn Tên", "06/04/2007")],
        "12A2": [("Ma Văn Sinh", "07/05/2007"), ("Mã Thị Số", "08/06/2007")],
    }
    rows: list[list[object]] = []
    for klass, block in kids.items():
        rows += [[f"DANH SÁCH HỌC SINH LỚP {klass}"], ["STT", "họvàtên", "ngàysinh", "Dân tộc"]]
        rows += [[n, name, born, "Kinh"] for n, (name, born) in enumerate(block, start=1)]
    path = xlsx_rows(tmp_path / "khoi.xlsx", rows, text_columns=[3])

    report = run.json("import", path, "--school", "THPT Bình Lư", "--school-year", "2024-2025")

    assert report["totals"]["created"] == 4
    listed = {s["full_name"]: s["class_name"] for s in run.students()}
    assert listed == {name: klass for klass, block in kids.items() for name, _ in block}


# ------------------------------------------------------ pattern 5: other people's columns


PARENT_HEADERS = [
    "Họ tên mẹ", "Năm sinh mẹ", "Họ tên cha", "Năm sinh cha", "Họ và tên cha",
    "Nghề nghiệp cha/mẹ", "Họ tên người giám hộ", "GVCN", "Giáo viên chủ nhiệm",
    "Họ tên chủ hộ", "Ngày sinh của bố", "Dân tộc mẹ",
]  # fmt: skip


def test_parents_columns_first_are_never_the_students(run, tmp_path, db_path):
    # The mother's name and year of birth come first, as in the file that stored her name as
    # the student's; every other person's column stays extra data.
    def row(n: int, code: str, name: str, born: str) -> list[object]:
        theirs = [f"Người {n} {h}" if "năm" not in h.lower() else "1980" for h in PARENT_HEADERS]
        theirs[PARENT_HEADERS.index("Ngày sinh của bố")] = "01/01/1978"
        return [n, *theirs, code, name, born]

    header = ["STT", *PARENT_HEADERS, "Mã học sinh", "Họ và tên", "Ngày sinh"]
    body = [row(n, *kid) for n, kid in enumerate(KIDS, start=1)]
    path = roster(tmp_path / "phu-huynh.xlsx", header, body)

    report = run.json("import", path)

    assert report["totals"]["created"] == 3
    sheet = report["files"][0]["sheets"][0]
    assert sheet["unknown_columns"] == PARENT_HEADERS
    assert not [n for n in report["files"][0]["notes"] if "hai lần" in n]
    assert stored(run) == EXPECTED
    kept = extras(db_path)["Sùng A Pó"]
    assert kept["Họ tên mẹ"] == "Người 2 Họ tên mẹ"
    assert kept["Năm sinh cha"] == "1980"
    assert kept["Ngày sinh của bố"] == "01/01/1978"
    assert set(kept) == set(PARENT_HEADERS)


def test_the_name_in_use_is_the_full_name_and_the_birth_name_is_kept(run, tmp_path, db_path):
    header = ["STT", "Mã học sinh", "Họ tên khai sinh", "Họ tên đang dùng", "Ngày sinh"]
    body = [[n, code, f"{name} Khai", name, born] for n, (code, name, born) in
            enumerate(KIDS, start=1)]  # fmt: skip
    path = roster(tmp_path / "ds.xlsx", header, body)

    report = run.json("import", path)

    assert report["files"][0]["sheets"][0]["unknown_columns"] == []
    assert not [n for n in report["files"][0]["notes"] if "hai lần" in n]
    assert stored(run) == EXPECTED
    # The birth-certificate name is the person's own field (students --json birth_name).
    assert {s["full_name"]: s["birth_name"] for s in run.students()}["Lò Thị Dế"] == (
        "Lò Thị Dế Khai"
    )
    assert "Họ tên khai sinh" not in extras(db_path).get("Lò Thị Dế", {})


def test_a_birth_certificate_name_alone_is_the_full_name(run, tmp_path):
    header = ["STT", "Mã học sinh", "Họ và tên (ghi theo giấy khai sinh)", "Ngày sinh"]
    body = [[n, code, name, born] for n, (code, name, born) in enumerate(KIDS, start=1)]
    path = roster(tmp_path / "ds.xlsx", header, body)

    report = run.json("import", path)

    assert report["files"][0]["sheets"][0]["unknown_columns"] == []
    assert stored(run) == EXPECTED


def test_two_columns_read_as_one_field_are_named_each_by_its_header(run, tmp_path):
    # Two different headers that both name the full name: the note names each one as written.
    header = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Họ tên học sinh"]
    body = [[n, code, name, born, name] for n, (code, name, born) in enumerate(KIDS, start=1)]
    path = roster(tmp_path / "ds.xlsx", header, body)

    report = run.json("import", path)

    notes = [n for n in report["files"][0]["notes"] if "E" in n and "C" in n]
    assert notes and "“Họ tên học sinh”" in notes[0] and "“Họ và tên”" in notes[0]
    assert stored(run) == EXPECTED


def test_the_mentors_name_on_a_progress_sheet_is_the_mentor(run, tmp_path, db_path):
    # "Họ tên đảng viên giúp đỡ" after the candidate's own name: the mentor, not a second name.
    body = [[n, code, name, born] for n, (code, name, born) in enumerate(KIDS, start=1)]
    run.json("import", roster(tmp_path / "ds.xlsx", ["STT", "Mã học sinh", "Họ và tên",
                                                     "Ngày sinh"], body))  # fmt: skip
    header = ["STT", "Mã học sinh", "Họ và tên", "Ngày phân công", "Họ tên đảng viên giúp đỡ"]
    code, name, _ = KIDS[1]
    rows = [["THEO DÕI TIẾN ĐỘ KẾT NẠP ĐẢNG - CHI BỘ TRƯỜNG THPT BÌNH LƯ"], [], header,
            [1, code, name, "01/09/2024", "Vũ Văn Tư"]]  # fmt: skip
    path = xlsx_rows(tmp_path / "tien-do.xlsx", rows, text_columns=[2, 4])

    report = run.json("import", path)

    assert report["files"][0]["sheets"][0]["kind"] == "milestones"
    mentors = query(
        db_path,
        "SELECT s.student_code, m.step, m.on_date, m.mentor FROM milestone m "
        "JOIN student s ON s.person_id = m.person_id",
    )
    assert mentors == [(code, "phan-cong-giup-do", "2024-09-01", "Vũ Văn Tư")]


def test_name_and_year_under_a_merged_father_or_mother_cell_are_theirs(run, tmp_path, db_path):
    # | STT | Cha              | Mẹ               | Mã học sinh | Họ và tên | Ngày sinh |
    # |     | Họ tên | Năm sinh | Họ tên | Năm sinh |             |           |           |
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["TRƯỜNG THPT BÌNH LƯ - LỚP 12A1 - NĂM HỌC 2024-2025"])
    ws.append(["STT", "Cha", None, "Mẹ", None, "Mã học sinh", "Họ và tên", "Ngày sinh"])
    ws.append([None, "Họ tên", "Năm sinh", "Họ tên", "Năm sinh"])
    ws.merge_cells("B2:C2")
    ws.merge_cells("D2:E2")
    for n, (code, name, born) in enumerate(KIDS, start=1):
        ws.append([n, f"Bố {n}", "1979", f"Mẹ {n}", "1981", code, name, born])
    wb.save(tmp_path / "cha-me.xlsx")

    report = run.json("import", tmp_path / "cha-me.xlsx")

    assert report["files"][0]["sheets"][0]["unknown_columns"] == [
        "Cha / Họ tên", "Cha / Năm sinh", "Mẹ / Họ tên", "Mẹ / Năm sinh"
    ]  # fmt: skip
    assert not [n for n in report["files"][0]["notes"] if "Họ và tên" in n]
    assert stored(run) == EXPECTED
    assert extras(db_path)["Lò Thị Dế"] == {
        "Cha / Họ tên": "Bố 1", "Cha / Năm sinh": "1979",
        "Mẹ / Họ tên": "Mẹ 1", "Mẹ / Năm sinh": "1981",
    }  # fmt: skip


def test_students_json_gives_the_birth_name_and_the_given_name(run, tmp_path):
    header = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh"]
    body = [[n, code, name, born] for n, (code, name, born) in enumerate(KIDS, start=1)]
    run.json("import", roster(tmp_path / "ds.xlsx", header, body))

    for s in run.students():
        assert s["birth_name"] is None  # the file gave none
        assert s["given_name"] == s["full_name"].split()[-1]
