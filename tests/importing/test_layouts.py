"""One test per roster layout schools send: import it, then look at what a user would look at."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import builders
from builders import Kid, Roster
from dbcheck import query, results

# How each spelling in the files is stored: (code). The scale is checked per layout.
GRADE_CODES = {
    "Giỏi": "gioi", "Khá": "kha", "Kha": "kha", "K": "kha", "TB": "tb", "Trung bình": "tb",
    "Yếu": "yeu", "Tốt": "tot", "Tot": "tot", "T": "tot", "Đ": "dat", "Đạt": "dat",
    "Dat": "dat", "CĐ": "chua_dat",
}  # fmt: skip


def check_students(
    run: Any, roster: Roster, school: str, *, school_year: str = "2024-2025"
) -> None:
    """`students --json` lists exactly the roster's students, each as the file says."""
    got = run.by_code()
    assert sorted(got) == sorted(k.code for k in roster.kids)
    for kid in roster.kids:
        s = got[kid.code]
        assert s["student_code"] == kid.code and ".0" not in s["student_code"]
        assert s["full_name"] == kid.name
        assert unicodedata.is_normalized("NFC", s["full_name"])
        assert s["date_of_birth"] == kid.birth_iso, kid.name
        assert s["class_name"] == kid.klass, kid.name
        assert s["gender"] == kid.gender, kid.name
        assert s["ethnicity"] == kid.ethnicity, kid.name
        assert s["youth_union_member"] == kid.youth, kid.name
        assert s["school"] == school
        assert s["school_year"] == school_year


def check_results(db: Path, kids: list[Kid], scale: str, *, term: str = "hk1") -> None:
    """One term result per student, with the value and scale of each grade."""
    stored = results(db)
    for kid in kids:
        assert kid.code is not None and kid.academic and kid.conduct
        expected = ("2024-2025", term, GRADE_CODES[kid.academic], scale,
                    GRADE_CODES[kid.conduct], scale)  # fmt: skip
        assert stored[kid.code] == [expected], kid.name


def only_sheet_counts(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (s["name"], s["kind"], s["rows"], s["created"], s["updated"], s["unchanged"], s["rejected"])
        for s in report["files"][0]["sheets"]
    ]


def test_csdl_nganh_export_with_school_and_year_from_options(run, tmp_path, db_path):
    roster = builders.csdl_nganh(tmp_path)

    report = run.json(
        "import", roster.path, "--school", "THPT Bình Lư", "--school-year", "2024-2025"
    )

    assert only_sheet_counts(report) == [("Sheet1", "roster", 4, 4, 0, 0, 0)]
    assert report["files"][0]["sheets"][0]["unknown_columns"] == []
    check_students(run, roster, "THPT Bình Lư")
    # Codes and ID numbers kept as text, leading zeros included; no grades in this layout.
    assert "0103656231" in run.by_code()
    ids = dict(query(db_path, "SELECT full_name, national_id FROM person"))
    assert ids == {k.name: k.national_id for k in roster.kids}
    religions = {s["full_name"]: s["religion"] for s in run.students()}
    assert religions["Giàng A Sình"] == "Tin lành"
    assert query(db_path, "SELECT count(*) FROM term_result") == [(0,)]


def test_vnedu_xls_with_three_class_blocks_and_merged_term_header(run, tmp_path, db_path):
    roster = builders.vnedu_xls(tmp_path)

    # School, year and classes come from each block's titles, the term from the merged cell.
    report = run.json("import", roster.path)

    assert only_sheet_counts(report) == [("DanhSach", "roster", 7, 7, 0, 0, 0)]
    sheet = report["files"][0]["sheets"][0]
    assert sheet["classes"] == ["12A1", "12A2", "12A3"]
    check_students(run, roster, "THPT Phong Thổ")
    # Codes were numbers in the file: they come back as text without ".0".
    assert run.by_code()["1200145576"]["full_name"] == "Lù Xuân Chiến"
    # The three date styles: text dd/mm/yyyy, real dates, d/m/yyyy.
    assert run.by_code()["1222220002"]["date_of_birth"] == "2007-12-31"
    assert run.by_code()["1233330001"]["date_of_birth"] == "2007-01-07"
    check_results(db_path, roster.kids, "tt58")


def test_smas_tt22_with_nfd_names_abbreviations_and_signature_block(run, tmp_path, db_path):
    roster = builders.smas_tt22(tmp_path)

    report = run.json("import", roster.path)

    # The signature block ("NGƯỜI LẬP BIỂU", "HIỆU TRƯỞNG", the signers' names) is not a student.
    assert only_sheet_counts(report) == [("12A2", "roster", 6, 6, 0, 0, 0)]
    assert report["files"][0]["errors"] == []
    check_students(run, roster, "THPT Sìn Hồ")
    assert {s["full_name"] for s in run.students("--search", "hieu")} == set()
    # Every TT22 spelling (T, Tot, K, Kha, Đ, Dat, CĐ) is stored on the TT22 scale.
    check_results(db_path, roster.kids, "tt22")
    joined = dict(
        query(
            db_path,
            "SELECT s.student_code, y.joined_on FROM youth_union y "
            "JOIN student s ON s.person_id = y.person_id",
        )
    )
    for kid in roster.kids:
        expected = kid.youth_joined.isoformat() if kid.youth_joined else None
        assert joined[kid.code] == expected, kid.name


def test_one_sheet_per_class_takes_classes_from_sheet_names(run, tmp_path, db_path):
    roster = builders.multi_sheet(tmp_path)

    report = run.json("import", roster.path)

    assert only_sheet_counts(report) == [
        ("12A1", "roster", 2, 2, 0, 0, 0),
        ("12A2", "roster", 2, 2, 0, 0, 0),
        ("12A3", "roster", 2, 2, 0, 0, 0),
    ]
    check_students(run, roster, "THPT Mường Kim")
    assert [s["full_name"] for s in run.students("--class", "12A2")] == [
        "Hoàng Thị Lụa",
        "Mùa A Pó",
    ]
    check_results(db_path, roster.kids, "tt58")


def test_ods_with_years_of_birth_as_number_and_text(run, tmp_path, db_path):
    roster = builders.ods_years(tmp_path)

    report = run.json("import", roster.path)

    assert only_sheet_counts(report) == [("11A3", "roster", 4, 4, 0, 0, 0)]
    assert report["files"][0]["sheets"][0]["unknown_columns"] == ["Ghi chú"]
    check_students(run, roster, "THPT Tân Uyên")
    got = run.by_code()
    assert got["1161610002"]["date_of_birth"] == "2008"  # the number 2008, not an Excel serial
    assert got["1161610004"]["date_of_birth"] == "2008"  # the text "2008"
    assert got["1161610001"]["date_of_birth"] == "2008-03-03"
    births = dict(query(db_path, "SELECT full_name, birth_year FROM person"))
    assert set(births.values()) == {2008}
    extra = dict(query(db_path, "SELECT student_code, extra FROM student"))
    assert json.loads(extra["1161610002"]) == {"Ghi chú": "Chỉ có năm sinh"}


def test_error_file_rejects_exactly_the_bad_rows(run, tmp_path, db_path):
    roster = builders.error_file(tmp_path)

    result = run("import", roster.path, "--json")

    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)
    # 11 data rows: the blank row 9 and the "Tổng số: 45" footer on row 17 are not rows.
    assert only_sheet_counts(report) == [("12A4", "roster", 11, 5, 0, 0, 6)]
    errors = report["files"][0]["errors"]
    assert [e["row"] for e in errors] == sorted(builders.ERROR_ROWS)
    for error in errors:
        letter, header, value, word = builders.ERROR_ROWS[error["row"]]
        assert error["sheet"] == "12A4"
        assert error["column"] == header, error
        assert error["column_letter"] == letter, error
        assert error["value"] == value, error
        assert word.lower() in error["reason"].lower(), error
        if value:
            assert value in error["reason"], error  # the reason names the value
    assert 9 not in {e["row"] for e in errors} and 17 not in {e["row"] for e in errors}
    # The reasons are Vietnamese sentences.
    assert all(
        any(ch in e["reason"] for ch in "ảạầấậắằặẻẽếềệểễỉịọỏốồổộớờởợụủứừửữựđ") for e in errors
    )
    # The valid rows were written; the first holder of the repeated code keeps it.
    check_students(run, roster, "THPT Than Uyên")
    assert run.by_code()["1270000001"]["full_name"] == "Đặng Văn Hậu"
    check_results(db_path, roster.kids, "tt58")


def test_error_file_terminal_summary_names_row_column_and_reason(run, tmp_path):
    roster = builders.error_file(tmp_path)

    result = run("import", roster.path)

    assert result.exit_code == 3
    out = result.stdout
    assert "02/13/2007" in out and "tháng 13" in out
    assert "Xuất sắc" in out and "danh hiệu thi đua" in out
    assert "Tổng số" not in out  # the footer is not reported as a rejected row


def test_tcvn3_file_is_converted_to_unicode(run, tmp_path, db_path):
    roster = builders.tcvn3_file(tmp_path)

    report = run.json("import", roster.path)

    assert only_sheet_counts(report) == [("Sheet1", "roster", 5, 5, 0, 0, 0)]
    assert any("TCVN3" in note for note in report["files"][0]["notes"])
    assert report["files"][0]["sheets"][0]["unknown_columns"] == ["Nơi sinh"]
    check_students(run, roster, "THPT Mường Tè")
    check_results(db_path, roster.kids, "tt58")
    extra = {
        code: json.loads(e) for code, e in query(db_path, "SELECT student_code, extra FROM student")
    }
    assert extra["1280000002"] == {"Nơi sinh": "Hà Nội"}
    assert extra["1280000001"] == {"Nơi sinh": "Tam Đường, Lai Châu"}


def test_vni_file_is_converted_to_unicode(run, tmp_path, db_path):
    roster = builders.vni_file(tmp_path)

    report = run.json("import", roster.path)

    assert only_sheet_counts(report) == [("Sheet1", "roster", 3, 3, 0, 0, 0)]
    assert any("VNI" in note for note in report["files"][0]["notes"])
    check_students(run, roster, "THPT Bình Lư")
    check_results(db_path, roster.kids, "tt58")
