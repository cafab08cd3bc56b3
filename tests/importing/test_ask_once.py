"""Ask once (issue 12): a file that does not say its school, its school year, nor the term of
its grades is refused with every missing option named in one message (exit 2), so that the
next run, with all of them, goes through; `--json` names them in "missing_options"."""

from __future__ import annotations

import json

from builders import PLAIN_HEADER, Kid, plain_roster, xlsx_sheets

KIDS = [
    Kid("2700000001", "Lò Thị Xuân", 2007, "Nữ", klass="12A1", academic="Khá", conduct="Tốt"),
    Kid("2700000002", "Vì Văn Thắng", 2007, klass="12A1", academic="Giỏi", conduct="Tốt"),
]


def bare(tmp_path, name="12A1.xlsx"):
    """A roster whose only title says nothing of school, year or term; it has grades."""
    return plain_roster(tmp_path / name, KIDS, titles=("DANH SÁCH HỌC SINH",)).path


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_missing_option_is_named_in_one_message(run, tmp_path):
    result = run("import", bare(tmp_path))

    assert result.exit_code == 2, result.output
    said = flat(result.stderr)
    assert "tệp thiếu 3 thông tin" in said
    for option in ("--school", "--school-year", "--term"):
        assert f"{option}:" in said
    assert (
        'dangvien import 12A1.xlsx --school "THPT Bình Lư" --school-year 2024-2025 --term hk1'
        in said
    )
    assert run.students() == []


def test_the_run_with_all_of_them_goes_through(run, tmp_path):
    roster = bare(tmp_path)
    result = run("import", roster, "--school", "THPT Bình Lư", "--school-year", "2024-2025",
                 "--term", "hk1")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(run.students()) == 2


def test_only_what_is_missing_is_asked(run, tmp_path):
    result = run("import", bare(tmp_path), "--school-year", "2024-2025")

    assert result.exit_code == 2, result.output
    said = flat(result.stderr)
    assert "tệp thiếu 2 thông tin" in said and "--school:" in said and "--term:" in said
    assert "--school-year:" not in said


def test_json_names_the_missing_options(run, tmp_path):
    result = run("import", bare(tmp_path), "--school", "THPT Bình Lư", "--json")

    assert result.exit_code == 2, result.output
    out = json.loads(result.stdout)
    assert out["missing_options"] == ["--school-year", "--term"]
    assert out["files"][0]["missing_options"] == ["--school-year", "--term"]


def test_a_workbook_asks_once_for_all_its_sheets(run, tmp_path):
    """One sheet lacks the term of its grades, the other has no grades: both sheets are named
    under --school, the term only under the graded sheet."""
    graded = [
        ["DANH SÁCH LỚP 12A1"],
        [],
        PLAIN_HEADER,
        [1, "2700000001", "Lò Thị Xuân", "01/01/2007", "Nữ", "Thái", "12A1", "Khá", "Tốt", "x"],
    ]
    plain = [
        ["DANH SÁCH LỚP 12A2"],
        [],
        PLAIN_HEADER[:7],
        [1, "2700000003", "Cầm Văn Hoan", "02/02/2007", "Nam", "Thái", "12A2"],
    ]
    book = xlsx_sheets(tmp_path / "khoi12.xlsx", {"12A1": graded, "12A2": plain})  # fmt: skip

    result = run("import", book, "--school-year", "2024-2025", "--json")

    assert result.exit_code == 2, result.output
    out = json.loads(result.stdout)
    assert out["missing_options"] == ["--school", "--term"]
    said = flat(out["files"][0]["error"])
    assert "--school: tệp không ghi tên trường (trang “12A1”, trang “12A2”)" in said
    assert "--term: tệp không ghi học kỳ (có cột học lực/hạnh kiểm) (trang “12A1”)" in said


def test_a_complete_file_has_no_missing_options_key(run, tmp_path):
    roster = plain_roster(tmp_path / "12A1.xlsx", KIDS).path
    out = run.json("import", roster, "--term", "hk1")
    assert "missing_options" not in out
