"""The Word report, opened with python-docx: the Party's layout, the table, the signature."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from sample_report import BAN_BO, BINH_LU, SCHOOL_AT_RISK, SCHOOL_NO_TARGET, SCHOOL_OK

from dangvien_cli.reports.model import Report
from dangvien_cli.reports.render_docx import render_docx


def _render(report: Report, tmp_path: Path, **options: Any) -> Any:
    path = tmp_path / "bao-cao-2024-2025.docx"
    render_docx(report, path, **options)
    return docx.Document(str(path))


def _party(report: Report, tmp_path: Path) -> Any:
    return _render(
        report, tmp_path, issuer="Đảng bộ tỉnh Lai Châu", place="Lai Châu", number="15-BC/TU"
    )


def _lines(cell: Any) -> list[str]:
    return [p.text for p in cell.paragraphs]


def test_the_header_names_the_issuer_the_party_the_number_place_and_date(
    report: Report, tmp_path: Path
) -> None:
    document = _party(report, tmp_path)
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert _lines(left) == ["ĐẢNG BỘ TỈNH LAI CHÂU", "TỈNH LAI CHÂU", "*", "Số 15-BC/TU"]
    assert left.paragraphs[1].runs[0].bold
    party = right.paragraphs[0].runs[0]
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and party.bold and party.underline
    date_line = [p for p in right.paragraphs if p.text][-1]
    assert date_line.text == "Lai Châu, ngày 05 tháng 6 năm 2025"
    assert date_line.runs[0].italic
    borders = header._tbl.tblPr.xpath("./w:tblBorders/w:top/@w:val")
    assert borders == ["nil"]  # the header has no lines


def test_without_issuer_place_or_number_the_gaps_are_left_to_fill(
    report: Report, tmp_path: Path
) -> None:
    document = _render(report, tmp_path)
    left, right = document.tables[0].rows[0].cells
    assert _lines(left)[0] == "……………"
    assert _lines(left)[3] == "Số ……-BC/……"
    assert _lines(right)[-1] == "……………, ngày 05 tháng 6 năm 2025"


def test_title_and_summary(report: Report, tmp_path: Path) -> None:
    document = _party(report, tmp_path)
    texts = [p.text for p in document.paragraphs]
    title = texts.index("BÁO CÁO")
    assert texts[title + 1] == "kết quả phát triển đảng viên trong học sinh năm học 2024-2025"
    for index in (title, title + 1):
        paragraph = document.paragraphs[index]
        assert paragraph.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.bold for run in paragraph.runs)
    body = " ".join(texts)
    assert "có 4.940 học sinh" in body
    assert "Đã cử 20 học sinh học lớp bồi dưỡng nhận thức về Đảng (chỉ tiêu 20, đạt 100%)" in body
    assert "Đã kết nạp 2 học sinh vào Đảng (chỉ tiêu 5, đạt 40%)" in body
    assert "Tỷ lệ kết nạp so với số học sinh đã học lớp bồi dưỡng: 10%" in body
    assert f"Có 1 trường có nguy cơ không đạt chỉ tiêu kết nạp: {SCHOOL_AT_RISK}." in body


def test_the_table_of_rows(report: Report, tmp_path: Path) -> None:
    document = _party(report, tmp_path)
    table = document.tables[1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0][:4] == ["TT", "Trường, đơn vị", "Số học sinh", "Học lớp bồi dưỡng"]
    assert rows[1][3:7] == ["Chỉ tiêu", "Đã học", "Chỉ tiêu", "Đã kết nạp"]
    body = rows[2:]
    names = [r[1].replace("\u00a0", " ").strip() for r in body]
    assert names == [
        SCHOOL_OK,
        SCHOOL_AT_RISK,  # written as text, not markup
        f"Cộng {BINH_LU}",
        SCHOOL_NO_TARGET,
        f"Cộng {BAN_BO}",
        "Tổng cộng",
    ]
    assert body[0] == ["1", body[0][1], "4.410", "10", "12", "2", "2", "16,7%", "3", "1", "1", "0"]
    assert body[2][3] == "18 (Σ)" and body[2][5] == "5 (Σ)"
    assert body[3][0] == "3" and body[3][3] == "—" and body[3][5] == "—"
    assert body[5] == ["", "Tổng cộng", "4.940", "20", "20", "5", "2", "10%", "5", "1", "1", "0"]
    unit_run = table.rows[4].cells[1].paragraphs[0].runs[0]
    school_run = table.rows[2].cells[1].paragraphs[0].runs[0]
    assert unit_run.bold and not school_run.bold
    header_rows = table._tbl.xpath("./w:tr[w:trPr/w:tblHeader]")
    assert len(header_rows) == 2  # repeated on every page


def test_signature_block(report: Report, tmp_path: Path) -> None:
    document = _party(report, tmp_path)
    left, right = document.tables[2].rows[0].cells
    assert _lines(left) == [
        "Nơi nhận:",
        "- Cấp ủy cấp trên (để báo cáo),",
        "- Các chi bộ trường học,",
        "- Lưu văn phòng.",
    ]
    assert left.paragraphs[0].runs[0].underline
    assert _lines(right)[:2] == ["T/M ĐẢNG ỦY", "BÍ THƯ"]
    assert all(run.bold for p in right.paragraphs[:2] for run in p.runs)


def test_a_school_signs_for_its_party_cell(report: Report, tmp_path: Path) -> None:
    school = dataclasses.replace(report, scope=SCHOOL_OK, rows=report.rows[:1])
    document = _party(school, tmp_path)
    left = document.tables[0].rows[0].cells[0]
    assert _lines(left)[1] == "CHI BỘ TRƯỜNG THPT BÌNH LƯ"
    recipients, signature = document.tables[2].rows[0].cells
    assert _lines(signature)[:2] == ["T/M CHI BỘ", "BÍ THƯ"]
    assert _lines(recipients)[-1] == "- Lưu chi bộ."


def test_page_and_font_follow_the_party_rules(report: Report, tmp_path: Path) -> None:
    document = _party(report, tmp_path)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    # Word keeps margins in twentieths of a point: 15 mm is stored as 14.99 mm
    assert 20 <= round(section.top_margin.mm, 1) <= 25
    assert 20 <= round(section.bottom_margin.mm, 1) <= 25
    assert 30 <= round(section.left_margin.mm, 1) <= 35
    assert 15 <= round(section.right_margin.mm, 1) <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt in (13, 14)


def test_written_atomically(report: Report, tmp_path: Path) -> None:
    _party(report, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao-2024-2025.docx"]


def test_libreoffice_opens_it(report: Report, tmp_path: Path) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("no LibreOffice on this machine: the PDF check is skipped")
    _party(report, tmp_path)
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "bao-cao-2024-2025.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert (tmp_path / "bao-cao-2024-2025.pdf").read_bytes().startswith(b"%PDF")
