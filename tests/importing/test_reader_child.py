"""The reader's last line of defence (importing.sandbox): calamine tries the bytes in a child
process first. Whatever ends that child — the Rust reader aborting on an allocation it cannot
make, the time limit — becomes "tệp quá lớn hoặc hỏng" naming the file; an ordinary error of a
broken file is left to the reader, which explains it as before."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dangvien_cli.core.errors import UnreadableFileError
from dangvien_cli.importing import sandbox
from dangvien_cli.importing.reader import read_workbook

CORPUS = Path(__file__).parents[1] / "corpus"


def test_an_abort_in_the_child_is_a_refusal_not_a_crash() -> None:
    """The grid bomb, past the guard: calamine asks for 549 GB and aborts — in the child."""
    data = (CORPUS / "bom-o.xlsx").read_bytes()
    started = time.monotonic()

    with pytest.raises(UnreadableFileError) as caught:
        sandbox.try_read(Path("bom-o.xlsx"), data, None)

    assert str(caught.value).startswith("bom-o.xlsx: tệp quá lớn hoặc hỏng")
    assert "không có gì được ghi" in str(caught.value)
    assert time.monotonic() - started < 30


def test_a_child_past_its_time_is_killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = tmp_path / "cham.py"
    slow.write_text("import time\ntime.sleep(60)\n")
    monkeypatch.setattr(sandbox, "CHILD", slow)
    monkeypatch.setattr(sandbox, "BASE_SECONDS", 1.0)
    started = time.monotonic()

    with pytest.raises(UnreadableFileError) as caught:
        sandbox.try_read(Path("lop.xlsx"), b"PK", None)

    assert "lop.xlsx: tệp quá lớn hoặc hỏng: trình đọc bảng tính chạy quá thời gian" in str(
        caught.value
    )
    assert time.monotonic() - started < 10


def test_a_broken_file_is_still_explained_by_the_reader() -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_workbook(CORPUS / "xml-hong.xlsx")

    assert "tệp bị hỏng" in str(caught.value)
    assert "quá lớn" not in str(caught.value)


def test_the_limits_grow_with_what_the_guard_measured() -> None:
    from dangvien_cli.importing.grids import Budget

    small, large = Budget(Path("a.xlsx"), area=500, cells=400), Budget(Path("b.xlsx"), area=10**7)

    assert sandbox.memory_limit(small, 20_000) < 400 * 1024**2
    assert sandbox.memory_limit(large, 50 * 1024**2) > 1024**3  # a million-row roster
    assert sandbox.time_limit(small, 20_000) < sandbox.time_limit(large, 50 * 1024**2)


def test_a_file_too_large_to_walk_is_measured_by_calamine_in_the_child(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sheets over WALK_LIMIT bytes of XML are not walked: the child's calamine says how large
    each sheet is, and the same limits refuse it before the tool's process reads it."""
    from dangvien_cli.importing import grids, sheet_walk

    monkeypatch.setattr(sheet_walk, "WALK_LIMIT", 0)
    monkeypatch.setattr(grids, "MAX_AREA", 100_000)

    with pytest.raises(UnreadableFileError) as caught:
        read_workbook(CORPUS / "16384-cot.xlsx")  # a roster with a cell in XFD7

    assert "trang “12A1” trải trên vùng A1:XFD7" in str(caught.value)
    assert "vượt giới hạn 100.000 ô" in str(caught.value)


def test_a_grid_bomb_too_large_to_walk_dies_in_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    from dangvien_cli.importing import sheet_walk

    monkeypatch.setattr(sheet_walk, "WALK_LIMIT", 0)

    with pytest.raises(UnreadableFileError) as caught:
        read_workbook(CORPUS / "bom-o-dong-1.xlsx")

    assert str(caught.value).startswith("bom-o-dong-1.xlsx: tệp quá lớn hoặc hỏng")


def test_xml_expat_rejects_but_calamine_reads_is_measured_by_calamine(tmp_path: Path) -> None:
    """A raw control character in a cell (written by a careless program) is not XML, but
    calamine reads it; such a file is not refused for it, only measured by the child."""
    import sys

    sys.path.insert(0, str(CORPUS))
    import make_corpus

    rows = make_corpus.roster(make_corpus.KIDS)
    rows[-1][2] = "Vàng A Sử\x0b"
    path = tmp_path / "ky-tu-tho.xlsx"
    sheet = make_corpus.sheet_xml(make_corpus.SheetSpec("12A1", rows)).replace(b"_x000B_", b"\x0b")
    assert b"\x0b" in sheet
    entries = make_corpus.xlsx_entries([make_corpus.SheetSpec("12A1", rows)])
    path.write_bytes(make_corpus.replace_entry(entries, "xl/worksheets/sheet1.xml", sheet))

    sheets = read_workbook(path)

    assert [s.name for s in sheets] == ["12A1"]
    assert any("Vàng A Sử" in str(v) for row in sheets[0].rows for v in row)


def test_a_sheet_the_walk_cannot_find_is_measured_by_calamine(tmp_path: Path) -> None:
    """The relation points at the sheet through "../": the walk does not follow it, calamine
    may. The far cell in it must not reach the tool's own process either way."""
    import sys

    sys.path.insert(0, str(CORPUS))
    import make_corpus

    path = tmp_path / "duong-vong.xlsx"
    entries = dict(make_corpus.xlsx_entries([make_corpus.SheetSpec("12A1", make_corpus.R)]))
    entries["xl/_rels/workbook.xml.rels"] = entries["xl/_rels/workbook.xml.rels"].replace(
        b'Target="worksheets/sheet1.xml"', b'Target="worksheets/../worksheets/sheet1.xml"'
    )
    entries["xl/worksheets/sheet1.xml"] = entries["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>",
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    path.write_bytes(make_corpus.zip_bytes(entries.items()))

    with pytest.raises(UnreadableFileError) as caught:
        read_workbook(path)

    said = str(caught.value)
    assert said.startswith("duong-vong.xlsx: tệp quá lớn hoặc hỏng") or "tệp bị hỏng" in said


def test_two_entries_of_one_name_are_refused() -> None:
    import io
    import warnings
    import zipfile

    from dangvien_cli.importing.guard import inspect_zip

    data = (CORPUS / "nen-11a1.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = [(i.filename, source.read(i)) for i in source.infolist()]
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        for name, body in [*entries, ("xl/worksheets/sheet1.xml", entries[-1][1])]:
            archive.writestr(name, body)

    with pytest.raises(UnreadableFileError) as caught:
        inspect_zip(Path("trung-ten.xlsx"), buffer.getvalue())

    assert "hai mục trùng tên" in str(caught.value)
