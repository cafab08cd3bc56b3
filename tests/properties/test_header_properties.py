"""Properties of header detection: in any arrangement, the columns found are the right ones."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st
from openpyxl import Workbook
from strategies import PROPERTY, SLOW_PROPERTY, names

from dangvien_cli.core.text import fold, school_key
from dangvien_cli.importing.headers import ALIASES, match_header
from dangvien_cli.importing.layout import (
    HEADER_SEARCH_ROWS,
    find_tables,
)
from dangvien_cli.importing.reader import Sheet, read_workbook
from dangvien_cli.importing.titles import school_from_title

# How schools write each roster header, with diacritics (the aliases in layout.py are folded).
HEADERS = {
    "stt": ["STT", "Số TT", "Số thứ tự", "TT"],
    "student_code": [
        "Mã học sinh",
        "Mã HS",
        "Mã định danh Bộ GD&ĐT",
        "Mã định danh",
        "Mã MOET",
        "Mã số học sinh",
        "Mã",
        "MSHS",
        "Mã số HS",
    ],
    "full_name": ["Họ và tên", "Họ tên", "Họ và tên học sinh", "Họ tên học sinh", "Tên học sinh"],
    "date_of_birth": [
        "Ngày sinh",
        "Ngày tháng năm sinh",
        "Ngày, tháng, năm sinh",
        "Năm sinh",
        "Ngày sinh (dd/mm/yyyy)",
    ],
    "gender": ["Giới tính", "Giới", "Nam/Nữ"],
    "ethnicity": ["Dân tộc"],
    "religion": ["Tôn giáo"],
    "national_id": ["Số định danh cá nhân", "CCCD", "Số CCCD", "Căn cước công dân"],
    "class_name": ["Lớp", "Tên lớp"],
    "academic": ["Học lực", "Kết quả học tập", "HL", "Xếp loại học lực", "KQHT"],
    "conduct": ["Hạnh kiểm", "Kết quả rèn luyện", "HK", "Xếp loại hạnh kiểm", "KQRL"],
    "youth_union": ["Đoàn viên", "Là đoàn viên", "ĐV"],
    "youth_union_joined": ["Ngày vào Đoàn", "Ngày kết nạp Đoàn", "Ngày kết nạp vào Đoàn"],
}
GRADED = ("academic", "conduct")
# A student's values, as text.
SAMPLE: dict[str, object] = {
    "student_code": "0130000001",
    "date_of_birth": "05/03/2007",
    "gender": "Nữ",
    "ethnicity": "Thái",
    "religion": "Không",
    "national_id": "012345678901",
    "class_name": "12A1",
    "academic": "Khá",
    "conduct": "Tốt",
    "youth_union": "x",
    "youth_union_joined": "26/03/2022",
}
# Columns rosters carry that the importer does not know: they must stay unknown.
UNKNOWN = [
    "Ghi chú", "Địa chỉ", "Số điện thoại", "Quê quán", "Chức vụ", "Hộ khẩu thường trú",
    # other numbers, never the student code
    "Mã số trên thẻ BHYT", "Số thẻ BHYT", "CMND", "Số tài khoản", "SĐT", "Mã SV", "Số thẻ đoàn",
    # other people, never the student
    "Họ tên mẹ", "Họ và tên cha", "Năm sinh cha", "Họ tên người giám hộ", "GVCN",
]  # fmt: skip
TITLES = [
    "SỞ GD&ĐT LAI CHÂU",
    "TRƯỜNG THPT BÌNH LƯ",
    "DANH SÁCH HỌC SINH LỚP 12A1",
    "NĂM HỌC 2024-2025",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "",
]
TERMS = {"hk1": ["Học kỳ I", "HỌC KỲ I", "HK1"], "hk2": ["Học kỳ II", "HKII"], "cn": ["Cả năm"]}


def written(text: str, how: str) -> str:
    """A header as someone typed it."""
    return {
        "as is": text,
        "upper": text.upper(),
        "lower": text.lower(),
        "no diacritics": fold(text),
        "NO DIACRITICS": fold(text).upper(),
        "nfd": unicodedata.normalize("NFD", text),
        "padded": f"  {text} :",
        "starred": f"{text}*",
        "marked": f"{text} (*)",
        "no spaces": text.replace(" ", ""),
        "broken": text.replace(" ", "\n", 1),
    }[how]


spellings = st.sampled_from(
    ["as is", "upper", "lower", "no diacritics", "NO DIACRITICS", "nfd", "padded", "starred",
     "marked", "no spaces", "broken"]
)  # fmt: skip


@st.composite
def header_rows(draw: st.DrawFn) -> tuple[list[tuple[str | None, str]], bool, str]:
    """The columns of a header, in any order: (field or None for unknown, text as written);
    whether the grade columns sit under a merged term cell; and that term."""
    others = [f for f in HEADERS if f != "full_name"]
    fields = ["full_name", *draw(st.lists(st.sampled_from(others), max_size=8, unique=True))]
    two_rows = draw(st.booleans()) and any(f in GRADED for f in fields)
    # A header needs the name and one more field; under a merged term cell the grades count.
    assume(len(set(fields) - {"stt"}) >= 2)
    cols: list[tuple[str | None, str]] = [
        (f, written(draw(st.sampled_from(HEADERS[f])), draw(spellings))) for f in fields
    ]
    cols += [(None, u) for u in draw(st.lists(st.sampled_from(UNKNOWN), max_size=3, unique=True))]
    cols = draw(st.permutations(cols))
    if two_rows:  # the merged term cell spans the grade columns, side by side
        cols = [c for c in cols if c[0] not in GRADED] + [c for c in cols if c[0] in GRADED]
    return cols, two_rows, draw(st.sampled_from(list(TERMS)))


def build_sheet(
    cols: list[tuple[str | None, str]],
    *,
    two_rows: bool,
    term: str,
    term_text: str,
    titles: list[str],
    blank_rows: int,
    lead: int,
) -> tuple[Sheet, int]:
    """The sheet as calamine hands it over, and the 0-based row of its header."""
    rows: list[list[object]] = [[""] * lead + [t] for t in titles]
    rows += [[] for _ in range(blank_rows)]
    h = len(rows)
    merged = []
    pad = [""] * lead
    if two_rows:
        others = [c for c in cols if c[0] not in GRADED]
        graded = [c for c in cols if c[0] in GRADED]
        top = pad + [t for _, t in others] + [term_text] + [""] * (len(graded) - 1)
        below = pad + [""] * len(others) + [t for _, t in graded]
        first = lead + len(others)
        if len(graded) > 1:
            merged.append(((h, first), (h, first + len(graded) - 1)))
        merged += [((h, lead + i), (h + 1, lead + i)) for i in range(len(others))]
        rows += [top, below]
    else:
        rows.append(pad + [t for _, t in cols])
    for n in range(3):
        # Every value typed as text, as many rosters have them.
        values = {**SAMPLE, "full_name": f"Nguyễn Thị Mai {'ABC'[n]}", "stt": n + 1}
        rows.append(pad + [values[f] if f else "ghi" for f, _ in cols])
    return Sheet("Danh sách", rows, merged), h


@PROPERTY
@given(
    header_rows(),
    st.lists(st.sampled_from(TITLES), max_size=8),
    st.integers(0, 3),
    st.integers(0, 2),
    st.data(),
)
def test_detected_columns_are_the_right_ones(
    header: tuple[list[tuple[str | None, str]], bool, str],
    titles: list[str],
    blank_rows: int,
    lead: int,
    data: st.DataObject,
) -> None:
    cols, two_rows, term = header
    term_text = data.draw(st.sampled_from(TERMS[term]))
    sheet, h = build_sheet(
        cols,
        two_rows=two_rows,
        term=term,
        term_text=term_text,
        titles=titles,
        blank_rows=blank_rows,
        lead=lead,
    )

    tables = find_tables(sheet)

    assert len(tables) == 1
    table = tables[0]
    assert (table.header_first, table.header_last) == (h, h + 1 if two_rows else h)
    assert table.first_row == table.header_last + 1
    expected: dict[str, int] = {}
    for i, (field, text) in enumerate(cols):
        column = table.columns[lead + i]
        assert column.field == field, text
        if field is not None:
            expected.setdefault(field, lead + i)
        if two_rows and field in GRADED:
            assert column.term == term, (text, term_text)
    assert {name: c.index for name, c in table.fields.items()} == expected
    assert [c.header for c in table.unknown_columns] == [t for f, t in cols if f is None]


@PROPERTY
@given(header_rows(), st.integers(2, 4), st.data())
def test_every_repeated_block_is_found_with_its_own_class(
    header: tuple[list[tuple[str | None, str]], bool, str], blocks: int, data: st.DataObject
) -> None:
    cols, two_rows, term = header
    rows: list[list[object]] = []
    merged = []
    starts = []
    for b in range(blocks):
        titles = [f"DANH SÁCH HỌC SINH LỚP 12A{b + 1}", "NĂM HỌC 2024-2025"]
        sheet, h = build_sheet(
            cols,
            two_rows=two_rows,
            term=term,
            term_text=data.draw(st.sampled_from(TERMS[term])),
            titles=titles,
            blank_rows=data.draw(st.integers(0, 2)),
            lead=0,
        )
        offset = len(rows)
        starts.append(offset + h)
        merged += [((r1 + offset, c1), (r2 + offset, c2)) for (r1, c1), (r2, c2) in sheet.merged]
        rows += sheet.rows

    tables = find_tables(Sheet("Cả khối", rows, merged))

    assert [t.header_first for t in tables] == starts
    assert [t.context.class_name for t in tables] == [f"12A{b + 1}" for b in range(blocks)]
    assert all(t.context.school_year == 2024 for t in tables)
    for t in tables:
        assert t.end_row - t.first_row >= 3  # each block keeps its three students
        assert [c.field for c in t.columns] == [f for f, _ in cols]


@PROPERTY
@given(
    st.sampled_from([(field, alias) for field, aliases in ALIASES.items() for alias in aliases]),
    st.sampled_from(["as is", "upper", "padded", "starred"]),
)
def test_every_alias_names_its_field_in_any_case(pair: tuple[str, str], how: str) -> None:
    field, alias = pair
    match = match_header(written(alias, how))
    assert match is not None and match.field == field


@PROPERTY
@given(
    names | st.builds("{} {}".format, st.sampled_from(["Ma", "Mã", "Ma Thị", "Hồ", "Hà"]), names),
    st.sampled_from(["as is", "upper", "no diacritics", "no spaces"]),
)
def test_a_name_is_never_a_header(name: str, how: str) -> None:
    # "Ma Thị Hoa", "Hồ Văn Tên": a student's name names no field, however it is typed.
    assert match_header(written(name, how)) is None


# Another number, as it follows "Mã" or "Số" in a header: never the student code.
OTHER_NUMBERS = [
    "thẻ BHYT", "BHYT", "BHXH", "bảo hiểm y tế", "CCCD", "CMND", "căn cước", "tài khoản",
    "điện thoại", "SĐT", "SV", "sinh viên", "thẻ đoàn", "đoàn viên", "định danh cá nhân",
]  # fmt: skip


@PROPERTY
@given(
    st.sampled_from(HEADERS["student_code"]),
    st.sampled_from(["", "trên", "số", "của", "(", "-"]),
    st.sampled_from(OTHER_NUMBERS),
    st.sampled_from(["as is", "upper", "no diacritics", "padded", "marked"]),
)
def test_a_header_naming_another_number_is_never_the_code(
    code: str, between: str, number: str, how: str
) -> None:
    header = " ".join(w for w in (code, between, number) if w)
    match = match_header(written(header, how))
    assert match is None or match.field != "student_code", header


# Someone else, as a header names them after the field: never the student's own.
OTHER_PEOPLE = [
    "cha", "mẹ", "bố", "cha/mẹ", "của mẹ", "người giám hộ", "GVCN", "giáo viên chủ nhiệm",
    "chủ hộ", "phụ huynh", "vợ/chồng",
]  # fmt: skip


@PROPERTY
@given(
    st.sampled_from([f for f in HEADERS if f not in ("stt", *GRADED)]),
    st.data(),
    st.sampled_from(OTHER_PEOPLE),
    st.sampled_from(["as is", "upper", "no diacritics", "marked"]),
)
def test_a_header_naming_someone_else_is_never_the_students(
    field: str, data: st.DataObject, person: str, how: str
) -> None:
    header = data.draw(st.sampled_from(HEADERS[field])) + " " + person
    assert match_header(written(header, how)) is None, header


@PROPERTY
@given(
    st.sampled_from(GRADED),
    st.data(),
    st.sampled_from(list(TERMS)),
    st.sampled_from(["as is", "upper", "no diacritics"]),
)
def test_a_grade_header_naming_a_term_keeps_it(
    field: str, data: st.DataObject, term: str, how: str
) -> None:
    header = (
        data.draw(st.sampled_from(HEADERS[field])) + " " + data.draw(st.sampled_from(TERMS[term]))
    )
    match = match_header(written(header, how))
    assert match is not None
    assert (match.field, match.term) == (field, term)


@SLOW_PROPERTY
@given(header_rows(), st.integers(HEADER_SEARCH_ROWS, HEADER_SEARCH_ROWS + 20), st.data())
def test_a_header_below_row_30_is_not_found(
    header: tuple[list[tuple[str | None, str]], bool, str], row: int, data: st.DataObject
) -> None:
    cols, two_rows, term = header
    titles = data.draw(st.lists(st.sampled_from(TITLES), max_size=row, min_size=row))
    sheet, h = build_sheet(
        cols,
        two_rows=two_rows,
        term=term,
        term_text="Học kỳ I",
        titles=titles,
        blank_rows=0,
        lead=0,
    )
    assert h == row
    assert find_tables(sheet) == []


def test_import_says_the_header_must_be_in_the_first_30_rows(run, tmp_path: Path) -> None:
    # Row 31 in Excel: one row too far down.
    wb = Workbook()
    ws = wb.active
    ws.title = "Lớp 12A1"
    ws.cell(row=1, column=1, value="TRƯỜNG THPT BÌNH LƯ")
    ws.append(["Họ và tên", "Ngày sinh", "Lớp"])  # row 2: found where it is
    ws.append(["Lò Thị Dế", "05/03/2007", "12A1"])
    late = wb.create_sheet("Lớp 12A2")
    late.cell(row=1, column=1, value="TRƯỜNG THPT BÌNH LƯ")
    for r, values in ((31, ["Họ và tên", "Ngày sinh", "Lớp"]), (32, ["Sùng A Pó", "", "12A2"])):
        for c, value in enumerate(values, start=1):
            late.cell(row=r, column=c, value=value)
    path = tmp_path / "muon.xlsx"
    wb.save(path)
    assert [len(find_tables(s)) for s in read_workbook(path)] == [1, 0]

    report = run.json("import", path, "--school-year", "2024-2025")

    notes = " ".join(report["files"][0]["notes"])
    assert "Lớp 12A2" in notes and "30 dòng đầu" in notes
    assert [s["full_name"] for s in run.students()] == ["Lò Thị Dế"]

    # Only the late sheet: nothing to import, and the message says where the header must be.
    del wb["Lớp 12A1"]
    wb.save(path)
    result = run("import", path, "--school-year", "2024-2025")
    assert result.exit_code != 0
    assert "30 dòng đầu" in result.stderr


school_names = st.builds(
    lambda kind, place: f"{kind} {place}",
    st.sampled_from(
        ["THPT", "THCS", "PT DTNT", "PTDTNT", "TT GDNN-GDTX", "THPT Chuyên", "THPT số 1"]
    ),
    names,
)


@PROPERTY
@given(school_names, st.sampled_from(["TRƯỜNG", "Trường", "truong"]))
def test_the_school_in_a_title_reads_as_written(school: str, word: str) -> None:
    assert school_from_title(f"{word} {school}") == school
    assert school_from_title(f"{word} {school} - NĂM HỌC 2024-2025") == school
    # A title in capitals gives the same school, its words in ordinary case.
    shouted = school_from_title(f"{word} {school}".upper())
    assert shouted is not None and school_key(shouted) == school_key(school)
    assert not shouted.isupper() or len(shouted.split()) == 1


def test_students_at_the_end_of_a_class_block_are_all_imported(run, tmp_path: Path) -> None:
    # Classes one under another, rows of a name and a date of birth typed as text: the last
    # rows of a block were once taken for the next block's title rows and dropped unsaid.
    wb = Workbook()
    ws = wb.active
    for klass, kids in (
        ("12A1", ["Lò Thị Dế", "Sùng A Pó"]),
        ("12A2", ["Hà Văn Chư", "Cầm Thị Ly"]),
    ):
        ws.append([f"DANH SÁCH HỌC SINH LỚP {klass}"])
        ws.append(["Họ và tên", "Ngày sinh"])
        for kid in kids:
            ws.append([kid, "05/03/2007"])
    wb.save(tmp_path / "khoi-12.xlsx")

    report = run.json("import", tmp_path / "khoi-12.xlsx", "--school", "THPT Bình Lư",
                      "--school-year", "2024-2025")  # fmt: skip

    assert report["totals"]["created"] == 4
    listed = {s["full_name"]: s["class_name"] for s in run.students()}
    assert listed == {"Lò Thị Dế": "12A1", "Sùng A Pó": "12A1", "Hà Văn Chư": "12A2",
                      "Cầm Thị Ly": "12A2"}  # fmt: skip


def test_a_header_with_only_the_name_above_merged_term_cells_is_imported(
    run, sql, tmp_path: Path
) -> None:
    # | STT | Họ và tên | Học kỳ I          | Cả năm            |
    # |     |           | Học lực | H.kiểm  | Học lực | H.kiểm  |
    wb = Workbook()
    ws = wb.active
    ws.append(["TRƯỜNG THPT BÌNH LƯ - LỚP 12A1 - NĂM HỌC 2024-2025"])
    ws.append(["STT", "Họ và tên", "Học kỳ I", None, "Cả năm", None])
    ws.append([None, None, "Học lực", "Hạnh kiểm", "Học lực", "Hạnh kiểm"])
    ws.merge_cells("C2:D2")
    ws.merge_cells("E2:F2")
    ws.append([1, "Lò Thị Dế", "Khá", "Tốt", "Giỏi", "Tốt"])
    wb.save(tmp_path / "tong-hop.xlsx")

    report = run.json("import", tmp_path / "tong-hop.xlsx")

    assert report["totals"]["created"] == 1
    [student] = run.students()
    assert (student["full_name"], student["class_name"]) == ("Lò Thị Dế", "12A1")
    results = sql("SELECT term, academic, conduct FROM term_result ORDER BY term")
    assert results == [("cn", "gioi", "tot"), ("hk1", "kha", "tot")]


# Qualified headers that still name the person listed: the words after the field's name are
# no one else's (a staff list's teacher or officer is the person), or the ministry's.
OWN = {
    "Họ tên giáo viên": "full_name",
    "Họ tên cán bộ": "full_name",
    "Họ và tên đảng viên": "full_name",
    "Họ tên học viên": "full_name",
    "Họ và tên học sinh (viết in hoa có dấu)": "full_name",
    "Họ tên đang dùng": "full_name",
    "Họ và tên (ghi theo giấy khai sinh)": "birth_name",
    "Ngày sinh (chỉ ghi năm nếu không rõ ngày)": "date_of_birth",
    "Mã định danh (Bộ GD&ĐT)": "student_code",
    "Mã định danh Bộ Giáo dục": "student_code",
    "Mã số định danh cá nhân": "national_id",
    "Số CCCD": "national_id",
    "Họ tên đảng viên giúp đỡ": "mentor",
}


def test_qualified_headers_that_name_the_person_listed() -> None:
    got = {header: getattr(match_header(header), "field", None) for header in OWN}
    assert got == OWN
