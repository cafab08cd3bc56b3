"""Several dangvien processes writing to one database at once lose nothing (issue 5).

Four processes import four schools' rosters at the same time, into a database none of them has
created yet; then two processes record steps for the same student at the same time. Here on one
SQLite file (WAL, busy timeout, BEGIN IMMEDIATE); tests/postgres/ runs the same on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from builders import Kid, plain_roster

SCHOOLS = ["THPT Bình Lư", "THPT Tân Phong", "PTDTNT Tam Đường", "THPT Mường Tè"]
PER_SCHOOL = 300
WHEN = ["--school-year", "2024-2025", "--term", "hk1"]
FAMILY = ["Nguyễn", "Lò", "Giàng", "Tẩn"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Đức", "Giang", "Hà", "Hùng", "Khang", "Lan", "Minh",
         "Nam", "Oanh", "Phúc", "Quang", "Sơn", "Thơ", "Uyên", "Vinh", "Yến"]  # fmt: skip
MAIN = "from dangvien_cli.cli import main; main()"


def rosters(directory: Path) -> list[tuple[str, Path]]:
    """One roster per school, with students of its own."""
    out = []
    for s, school in enumerate(SCHOOLS, start=1):
        kids = [
            Kid(
                f"{s:02d}{i:08d}",
                f"{FAMILY[s - 1]} Văn {GIVEN[i % 20]} {GIVEN[i // 20]}",
                2007,
                klass=f"12A{i % 8 + 1}",
            )
            for i in range(PER_SCHOOL)
        ]
        titles = (f"TRƯỜNG {school.upper()}", "DANH SÁCH HỌC SINH - NĂM HỌC 2024-2025")
        out.append((school, plain_roster(directory / f"truong-{s}.xlsx", kids, titles=titles).path))
    return out


def start(db: str, *args: object) -> subprocess.Popen[str]:
    """dangvien in a process of its own, as a second user at another desk would run it."""
    return subprocess.Popen(
        [sys.executable, "-c", MAIN, "--db", db, *(str(a) for a in args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DANGVIEN_TODAY": "05/06/2025"},
    )


def finish(processes: list[subprocess.Popen[str]]) -> list[Any]:
    """Wait for all; each must succeed. Their JSON outputs, in order."""
    outputs = []
    for p in processes:
        stdout, stderr = p.communicate(timeout=300)
        assert p.returncode == 0, (stderr, stdout[-2000:])
        outputs.append(json.loads(stdout))
    return outputs


def count(db: str, table: str) -> int:
    from sqlalchemy import create_engine, text

    url = db if "://" in db else f"sqlite:///{db}"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def four_schools_import_at_once(db: str, directory: Path) -> None:
    files = rosters(directory)
    processes = [
        start(db, "import", path, "--school", school, *WHEN, "--json") for school, path in files
    ]
    reports = finish(processes)

    assert [r["totals"]["created"] for r in reports] == [PER_SCHOOL] * len(SCHOOLS)
    assert count(db, "school") == len(SCHOOLS)
    assert count(db, "student") == PER_SCHOOL * len(SCHOOLS)
    assert count(db, "person") == PER_SCHOOL * len(SCHOOLS)
    assert count(db, "enrollment") == PER_SCHOOL * len(SCHOOLS)
    assert count(db, "school_year") == 1
    proc = start(db, "schools", "--json")
    schools = finish([proc])[0]
    assert sorted(s["name"] for s in schools) == sorted(SCHOOLS)


def two_record_for_one_student_at_once(db: str, directory: Path) -> None:
    kid = Kid("0100000001", "Nguyễn Thị Lan", 2007)
    roster = plain_roster(directory / "lan.xlsx", [kid]).path
    finish([start(db, "import", roster, "--school", SCHOOLS[0], *WHEN, "--json")])
    days = ["01/07/2024", "02/07/2024", "03/07/2024", "04/07/2024", "05/07/2024", "06/07/2024"]
    for first, second in zip(days[::2], days[1::2], strict=True):
        finish([
            start(db, "record", kid.code, "lop-boi-duong", "--date", day, "--json")
            for day in (first, second)
        ])  # fmt: skip

    history = finish([start(db, "history", kid.code, "--json")])[0]
    recorded = sorted(e["date"] for e in history["history"] if e["kind"] == "milestone")
    assert recorded == [f"2024-07-0{d}" for d in range(1, 7)]
    assert count(db, "milestone") == len(days)


def test_four_processes_import_four_schools_into_one_sqlite_file(tmp_path):
    four_schools_import_at_once(str(tmp_path / "tinh.db"), tmp_path)


def test_two_processes_record_steps_for_one_student_in_one_sqlite_file(tmp_path):
    two_record_for_one_student_at_once(str(tmp_path / "tinh.db"), tmp_path)
