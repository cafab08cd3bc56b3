"""Write a large, made-up class roster (.xlsx, one sheet) for the import benchmarks.

    python benchmarks/make_roster.py OUT.xlsx [--rows 100000] [--seed 2024]

The sheet looks like what school-management systems export: title rows ("TRƯỜNG THPT …",
"DANH SÁCH HỌC SINH LỚP 12A1", "NĂM HỌC 2024-2025", "HỌC KỲ I"), a blank row, the header row,
then one row per student. The class changes every 45 rows and is given in a "Lớp" column.
Codes are 10-digit text; dates of birth are text dd/mm/yyyy or real Excel dates, mixed; grades
use the TT58 wording; "Đoàn viên" is "x" or blank. Every name is made up; the same seed gives the
same rows.

openpyxl's write_only mode streams rows to disk, so 1,000,000 rows need little memory.
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

CLASS_SIZE = 45

FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Lò",
    "Hà",
    "Triệu",
)
MIDDLE_MALE = ("Văn", "Đức", "Minh", "Quốc", "Hữu", "Thành", "Công", "Gia", "Đình", "Xuân")
MIDDLE_FEMALE = ("Thị", "Ngọc", "Thu", "Thanh", "Phương", "Khánh", "Bảo", "Mỹ", "Diệu", "Hồng")
GIVEN_MALE = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Huy",
    "Khải",
    "Khoa",
    "Lâm",
    "Long",
    "Mạnh",
    "Nam",
    "Nghĩa",
    "Phúc",
    "Quân",
    "Sơn",
    "Thắng",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
)
GIVEN_FEMALE = (
    "Anh",
    "Châu",
    "Chi",
    "Diệp",
    "Giang",
    "Hà",
    "Hằng",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phượng",
    "Quyên",
    "Thảo",
    "Thư",
    "Trâm",
    "Uyên",
    "Vân",
    "Yến",
    "Ánh",
)
# (name, weight): mostly Kinh, as in most schools.
ETHNICITIES = (
    ("Kinh", 80),
    ("Tày", 5),
    ("Thái", 4),
    ("Mường", 3),
    ("Nùng", 2),
    ("H'Mông", 2),
    ("Dao", 2),
    ("Khmer", 1),
    ("Ê Đê", 1),
)
ACADEMIC = (("Giỏi", 25), ("Khá", 45), ("Trung bình", 25), ("Yếu", 4), ("Kém", 1))
CONDUCT = (("Tốt", 70), ("Khá", 22), ("Trung bình", 7), ("Yếu", 1))

HEADER = (
    "STT",
    "Mã học sinh",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Lớp",
    "Học lực",
    "Hạnh kiểm",
    "Đoàn viên",
)
TITLES = (
    ("TRƯỜNG THPT HOÀNG LIÊN SƠN",),
    ("DANH SÁCH HỌC SINH LỚP 12A1",),
    ("NĂM HỌC 2024-2025",),
    ("HỌC KỲ I",),
    (),
)


def class_name(index: int) -> str:
    """The class of the index-th block of 45 rows: 10A1, 11A1, 12A1, 10A2, … up to 12A30."""
    return f"{10 + index % 3}A{index // 3 % 30 + 1}"


def _picker(rng: random.Random, table: tuple[tuple[str, int], ...]) -> Callable[[], str]:
    values = [v for v, _ in table]
    cum = list(itertools.accumulate(w for _, w in table))
    return lambda: rng.choices(values, cum_weights=cum)[0]


def rows(n: int, seed: int = 2024) -> Iterator[tuple[object, ...]]:
    """The n data rows, as tuples in HEADER order."""
    if n > 10_000_000:
        raise ValueError("at most 10,000,000 rows (the codes must stay 10 digits)")
    rng = random.Random(seed)
    ethnicity = _picker(rng, ETHNICITIES)
    academic = _picker(rng, ACADEMIC)
    conduct = _picker(rng, CONDUCT)
    # Distinct 10-digit codes: a random start and a random stride (≤ 799, so that
    # start + 10,000,000 × stride stays below 10^10).
    start = rng.randrange(10**9, 2 * 10**9)
    stride = rng.randrange(1, 400) * 2 + 1
    first_birth = date(2006, 1, 1)
    for i in range(n):
        klass = class_name(i // CLASS_SIZE)
        grade = int(klass[:2])
        female = rng.random() < 0.52
        name = " ".join(
            (
                rng.choice(FAMILY),
                rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE),
                rng.choice(GIVEN_FEMALE if female else GIVEN_MALE),
            )
        )
        born = first_birth + timedelta(days=(12 - grade) * 365 + rng.randrange(365))
        dob: object = born.strftime("%d/%m/%Y") if rng.random() < 0.5 else born
        code = str(start + i * stride)
        yield (
            i % CLASS_SIZE + 1,
            code,
            name,
            dob,
            "Nữ" if female else "Nam",
            ethnicity(),
            klass,
            academic(),
            conduct(),
            "x" if rng.random() < 0.7 else None,
        )


def write_roster(path: Path, n: int, seed: int = 2024) -> Path:
    """Write the roster of n rows to path (an .xlsx) and return the path."""
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    for title in TITLES:
        ws.append(list(title))
    ws.append(list(HEADER))
    for row in rows(n, seed):
        ws.append(row)
    tmp = path.with_name(path.name + ".part")
    wb.save(tmp)
    tmp.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the .xlsx to write")
    parser.add_argument("--rows", type=int, default=100_000, help="data rows (default 100000)")
    parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    args = parser.parse_args()
    started = time.perf_counter()
    write_roster(args.out, args.rows, args.seed)
    print(f"{args.out}: {args.rows} rows in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
