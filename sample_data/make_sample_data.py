#!/usr/bin/env python3
"""Write the small rosters that the README's first command imports (made-up people only).

Run: python sample_data/make_sample_data.py   (needs openpyxl and xlwt: pip install -e ".[test]")
Seeded: the same files every run.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHOOL = "TRƯỜNG THPT BÌNH LƯ"
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Lò",
    "Tòng",
    "Giàng",
    "Vàng",
    "Tẩn",
    "Hoàng",
    "Đặng",
    "Vũ",
]
MIDDLE = {
    "Nam": ["Văn", "Đức", "Minh", "Quang", "Hữu"],
    "Nữ": ["Thị", "Thu", "Ngọc", "Thanh", "Kim"],
}
GIVEN = {
    "Nam": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Đạt",
        "Hải",
        "Khánh",
        "Long",
        "Nam",
        "Phúc",
        "Sơn",
        "Tâm",
    ],
    "Nữ": [
        "Ánh",
        "Chi",
        "Dung",
        "Giang",
        "Hà",
        "Hương",
        "Lan",
        "Mai",
        "Nga",
        "Oanh",
        "Thảo",
        "Yến",
    ],
}
ETHNIC = ["Kinh", "Kinh", "Kinh", "Thái", "Thái", "Mông", "Dao", "Giáy"]


def people(rng: random.Random, n: int, year: int, prefix: str) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    names: set[str] = set()
    while len(out) < n:
        gender = rng.choice(["Nam", "Nữ"])
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
        if name in names:
            continue
        names.add(name)
        out.append(
            {
                "code": f"{prefix}{len(out) + 1:04d}",
                "name": name,
                "gender": gender,
                "dob": dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                "ethnic": rng.choice(ETHNIC),
                "academic": rng.choices(["Tốt", "Khá", "Đạt", "Chưa đạt"], [25, 45, 25, 5])[0],
                "conduct": rng.choices(["Tốt", "Khá", "Đạt"], [75, 20, 5])[0],
                "yu": rng.random() < 0.85,
            }
        )
    return out


def write_xlsx(path: Path, klass: str, rows: list[dict[str, object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = klass
    for i, title in enumerate(
        [SCHOOL, f"DANH SÁCH HỌC SINH LỚP {klass}", "NĂM HỌC 2024-2025", "HỌC KỲ I"], start=1
    ):
        ws.cell(row=i, column=1, value=title).font = Font(bold=True)
    header = [
        "STT",
        "Mã học sinh",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Dân tộc",
        "Kết quả học tập",
        "Kết quả rèn luyện",
        "Đoàn viên",
    ]
    for j, h in enumerate(header, start=1):
        ws.cell(row=6, column=j, value=h).font = Font(bold=True)
    for i, s in enumerate(rows, start=1):
        dob = s["dob"]
        assert isinstance(dob, dt.date)
        values = [
            i,
            s["code"],
            s["name"],
            dob.strftime("%d/%m/%Y"),
            s["gender"],
            s["ethnic"],
            s["academic"],
            s["conduct"],
            "x" if s["yu"] else None,
        ]
        for j, v in enumerate(values, start=1):
            cell = ws.cell(row=6 + i, column=j, value=v)
            if j in (2, 4):
                cell.number_format = "@"
    for letter, width in zip("ABCDEFGHI", [5, 13, 24, 12, 9, 9, 15, 16, 10], strict=True):
        ws.column_dimensions[letter].width = width
    wb.save(path)


def write_xls(path: Path, klass: str, rows: list[dict[str, object]]) -> None:
    """A vnEdu-style legacy .xls: a two-row header with "Học kỳ I" merged over the grades."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("DanhSach")
    bold = xlwt.easyxf("font: bold on; align: horiz centre")
    ws.write(0, 0, "SỞ GD&ĐT LAI CHÂU", bold)
    ws.write(1, 0, SCHOOL, bold)
    ws.write_merge(2, 2, 0, 8, f"DANH SÁCH HỌC SINH LỚP {klass} - NĂM HỌC 2024-2025", bold)
    for c, name in enumerate(
        ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc"]
    ):
        ws.write_merge(4, 5, c, c, name, bold)
    ws.write_merge(4, 4, 6, 7, "Học kỳ I", bold)
    ws.write(5, 6, "Học lực", bold)
    ws.write(5, 7, "Hạnh kiểm", bold)
    ws.write_merge(4, 5, 8, 8, "Đoàn viên", bold)
    tt58 = {"Tốt": "Giỏi", "Khá": "Khá", "Đạt": "TB", "Chưa đạt": "Yếu"}
    for i, s in enumerate(rows, start=1):
        dob = s["dob"]
        assert isinstance(dob, dt.date)
        r = 5 + i
        ws.write(r, 0, i)
        ws.write(r, 1, s["code"])
        ws.write(r, 2, s["name"])
        ws.write(r, 3, dob.strftime("%d/%m/%Y"))
        ws.write(r, 4, s["gender"])
        ws.write(r, 5, s["ethnic"])
        ws.write(r, 6, tt58[str(s["academic"])])
        ws.write(r, 7, "TB" if s["conduct"] == "Đạt" else s["conduct"])
        ws.write(r, 8, "x" if s["yu"] else "")
    wb.save(str(path))


def main() -> None:
    rng = random.Random(20241121)
    write_xlsx(HERE / "12A1-hk1.xlsx", "12A1", people(rng, 24, 2007, "90000"))
    write_xls(HERE / "12A2-hk1.xls", "12A2", people(rng, 22, 2007, "90001"))
    write_xlsx(HERE / "11A1-hk1.xlsx", "11A1", people(rng, 20, 2008, "90002"))


if __name__ == "__main__":
    main()
