#!/usr/bin/env python3
"""Write a synthetic province into a SQLite file, fast, for timing `eligible` and `report`.

    python benchmarks/make_province.py [PATH] [--schools 25] [--seed 2024] [--year 2024]

N schools × 40 classes × 45 students (25 schools ≈ 45,000 students, 556 ≈ 1,000,000), made-up
people only. The schema comes from the project's own migrations (`open_database`), so the file is
what the app itself would hold; the rows then go in with sqlite3 `executemany` in one
transaction, with the secondary indexes dropped during the load and built again after it from
their own SQL (the schema ends up exactly as the migrations made it).

What a province's office would have in March–May of school year YEAR-(YEAR+1):

- units: one province, communes and wards under it (about five schools each), the schools;
- rosters of school year YEAR (grades 10, 11, 12: 14, 13 and 13 classes) and of the year before
  for grades 11 and 12 (a class "12A3" was "11A3"), one import batch per school and roster;
- term results: học kỳ I of YEAR for everyone (TT22), học kỳ I and cả năm of YEAR-1 for grades 11
  and 12 — on TT58 for one school in five and for repeaters (older files), TT22 otherwise;
  a latent "strength" per student keeps a student's terms alike; a few results lack a value;
- Youth Union membership (more members in higher grades; a date of joining for some, a few
  joining after the meeting day), none recorded for some students;
- about 200 milestones per school (≈ 100,000 for 556 schools): promising students of grades 12
  and 11 on the list, the summer awareness class (a few with a certificate older than 60
  months), mentors (some reassigned), applications, checks, introductions, opinions, and for
  grade-12 students whose 18th birthday month has come by March–May, the chi bộ's vote, the
  decision and the ceremony; a few disciplines, stops, hand-overs and corrections (`replaces`);
- targets for calendar year YEAR+1 and school year YEAR for every school and commune.

Without PATH the file is benchmarks/out/province-<schools>-s<seed>-y<year>.db, re-used while
the parameters, this script and the migrations are unchanged (a .json beside it records them);
`--regenerate` writes it again. The path is printed on stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
MIGRATIONS = ROOT / "src" / "dangvien_cli" / "db" / "migrations" / "versions"

CLASSES = (("10", 14), ("11", 13), ("12", 13))  # 40 classes per school
CLASS_SIZE = 45
STAMP = "2025-03-01 08:00:00.000000"  # created_at of everything: SQLAlchemy's SQLite format

FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý", "Lò", "Giàng", "Tẩn", "Sùng", "Vàng", "Hà", "Lường", "Quàng", "Đinh", "Mai", "Cao",
)  # fmt: skip
MIDDLE = {
    "Nam": ("Văn", "Minh", "Quang", "Đức", "Hữu", "Thành", "A", "Công", "Xuân", "Tiến"),
    "Nữ": ("Thị", "Thu", "Ngọc", "Thanh", "Kim", "Hồng", "Mai", "Phương", "Diệu", "Bích"),
}
GIVEN = {
    "Nam": ("An", "Bình", "Dũng", "Hùng", "Khang", "Long", "Nam", "Phúc", "Quân", "Sơn",
            "Tâm", "Thắng", "Trung", "Vinh", "Đạt", "Hiếu", "Khôi", "Lâm", "Nghĩa", "Sình"),
    "Nữ": ("Anh", "Chi", "Duyên", "Hà", "Hằng", "Lan", "Linh", "Mai", "Ngân", "Nhung",
           "Oanh", "Quỳnh", "Thảo", "Thơ", "Trang", "Uyên", "Vân", "Yến", "Xuân", "Ánh"),
}  # fmt: skip
ETHNICITIES = (("Kinh", 70), ("Thái", 9), ("Mông", 7), ("Dao", 5), ("Giáy", 3), ("Hà Nhì", 2),
               ("Lự", 2), ("Khơ Mú", 2))  # fmt: skip
RELIGIONS = (("Không", 80), (None, 10), ("Phật giáo", 4), ("Công giáo", 3), ("Tin lành", 3))
PLACE_A = ("Tân", "Bình", "Phúc", "Hòa", "Thanh", "Đông", "Tây", "Nam", "Bắc", "Trung",
           "Vĩnh", "Quảng", "Hưng", "An", "Long", "Mường", "Nậm", "Phong", "Sơn", "Thượng",
           "Hạ", "Kim", "Ngọc", "Minh", "Yên")  # fmt: skip
PLACE_B = ("Lư", "Lập", "Phú", "Thịnh", "Xuân", "Hải", "Sơn", "Hà", "Lâm", "Tiến", "Thành",
           "Khê", "Lợi", "Hòa", "Mỹ", "Lạc", "Than", "Tè", "Cường", "Quang", "Bình", "Đức",
           "Yên", "Giang", "Châu")  # fmt: skip
MENTORS = tuple(
    f"{f} {m} {g}"
    for f, m, g in zip(
        FAMILY * 3,
        ("Văn", "Thị", "Minh", "Thu", "Quang", "Ngọc") * 12,
        ("Hùng", "Lan", "Tuấn", "Hương", "Cường", "Nga", "Thắng", "Hoa", "Bảo") * 8,
        strict=False,
    )
)
# (academic, conduct) codes, best first, per scale: what the importer stores.
CODES = {
    "tt22": (("tot", "kha", "dat", "chua_dat"), ("tot", "kha", "dat", "chua_dat")),
    "tt58": (("gioi", "kha", "tb", "yeu", "kem"), ("tot", "kha", "tb", "yeu")),
}
RANK = {"gioi": 4, "tot": 4, "kha": 3, "tb": 2, "dat": 2, "yeu": 1, "chua_dat": 1, "kem": 0}


def d(day: date) -> str:
    return day.isoformat()


def weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


def add_days(day: date, n: int) -> date:
    return day + timedelta(days=n)


class Province:
    """The rows of every table, generated school by school."""

    def __init__(self, schools: int, seed: int, year: int) -> None:
        from dangvien_cli.core.text import fold, school_key

        self.fold, self.school_key = fold, school_key
        self.rng = random.Random(seed)
        self.n_schools, self.year = schools, year
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.ids: dict[str, int] = {}
        self.name_keys: dict[str, str] = {}

    def add(self, table: str, row: tuple[Any, ...]) -> int:
        """Append a row whose first column is its id; returns the id."""
        new_id = self.ids.get(table, 0) + 1
        self.ids[table] = new_id
        self.rows.setdefault(table, []).append((new_id, *row))
        return new_id

    def key(self, name: str) -> str:
        found = self.name_keys.get(name)
        if found is None:
            found = self.name_keys[name] = self.fold(name)
        return found

    # ------------------------------------------------------------------ units, schools, years

    def organisation(self) -> list[tuple[int, str, int]]:
        """(school id, school name, commune id) for every school."""
        rng, y = self.rng, self.year
        province = "Tỉnh Sơn Hà"
        pid = self.add("unit", (province, self.fold(province), "tinh", None, None, STAMP))
        by_key = {self.fold(f"{a} {b}"): f"{a} {b}" for a in PLACE_A for b in PLACE_B if a != b}
        places = sorted(by_key.values())  # one name per folded key: school names must differ
        rng.shuffle(places)
        if self.n_schools > len(places):
            places += [f"{p} {i}" for i in range(2, 10) for p in places]
        out = []
        commune_id = 0
        for i in range(self.n_schools):
            if i % 5 == 0:
                kind = "phuong" if rng.random() < 0.3 else "xa"
                word = "phường" if kind == "phuong" else "xã"
                name = f"Đảng ủy {word} {places[i]}"
                commune_id = self.add("unit", (name, self.fold(name), kind, pid, None, STAMP))
                self.targets(None, commune_id, 5 * 12, 5 * 3)
            school = f"THPT {places[i]}"
            sid = self.add(
                "school",
                (school, self.school_key(school), f"Chi bộ Trường {school}", commune_id, STAMP),
            )
            out.append((sid, school, commune_id))
            self.targets(sid, None, rng.randint(8, 20), rng.randint(1, 5))
        self.targets(None, pid, self.n_schools * 12, self.n_schools * 3)
        for start in (y - 1, y):
            self.add("school_year", (start, f"{start}-{start + 1}"))
        return out

    def targets(self, school_id: int | None, unit_id: int | None, cls: int, adm: int) -> None:
        y = self.year
        periods = (
            (date(y + 1, 1, 1), date(y + 1, 12, 31), f"năm {y + 1}"),
            (date(y, 9, 1), date(y + 1, 8, 31), f"năm học {y}-{y + 1}"),
        )
        for start, end, label in periods:
            self.add("target", (unit_id, school_id, d(start), d(end), label, cls, adm, STAMP))

    # ------------------------------------------------------------------ students

    def school(self, school_id: int, name: str, index: int) -> None:
        rng, y = self.rng, self.year
        old_files = index % 5 == 0  # this school's rosters of last year came on TT58
        batches = {}
        for start, term in ((y, "hk1"), (y - 1, "hk1"), (y - 1, "cn")):
            batches[start, term] = self.add(
                "import_batch",
                (
                    f"DS-{school_id:03d}-{start}-{term}.xlsx",
                    hashlib.sha256(f"{school_id}/{start}/{term}".encode()).hexdigest(),
                    STAMP,
                    "vanthu",
                    school_id,
                    start - y + 2,  # school_year ids: 1 = y-1, 2 = y
                    term,
                    0,
                    0,
                    0,
                    0,
                    0,
                ),
            )
        counts = {key: 0 for key in batches}
        candidates: list[tuple[int, date | None, int]] = []
        seq = 0
        for grade, n_classes in CLASSES:
            g = int(grade)
            for c in range(1, n_classes + 1):
                klass = f"{grade}A{c}"
                for _ in range(CLASS_SIZE):
                    seq += 1
                    pid, sid, dob, strength = self.student(school_id, seq, g, klass, batches)
                    counts[y, "hk1"] += 1
                    if g >= 11:
                        counts[y - 1, "hk1"] += 1
                        counts[y - 1, "cn"] += 1
                    self.results(sid, g, dob, strength, old_files, batches)
                    # about 8.5% of the good students of grade 12 and 4% of grade 11
                    chance = {12: (2.2, 0.085), 11: (2.6, 0.04)}.get(g)
                    if chance and strength >= chance[0] and rng.random() < chance[1]:
                        candidates.append((pid, dob, g))
        rows = self.rows["import_batch"]
        for key, batch_id in batches.items():
            i = batch_id - 1
            rows[i] = (*rows[i][:8], counts[key], counts[key], 0, 0, 0)
            self.add(
                "audit_log",
                (STAMP, "vanthu", "import", "create", "student", None, batch_id,
                 json.dumps({"students_created": counts[key]})),
            )  # fmt: skip
        commune_classes = [
            add_days(date(y, 7, 8), 7 * k + index % 3) for k in range(4)
        ]  # the summer classes of this school's area
        for cand in candidates:
            self.pipeline(*cand, commune_classes)
        self.loose_milestones(school_id, seq)

    def student(
        self, school_id: int, seq: int, grade: int, klass: str, batches: dict[Any, int]
    ) -> tuple[int, int, date | None, float]:
        rng, y = self.rng, self.year
        gender = "Nữ" if rng.random() < 0.52 else "Nam"
        full = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
        born_year = y - 5 - grade  # grade 12 in 2024-2025: born 2007
        repeater = rng.random() < 0.04
        if repeater:
            born_year -= 1
        dob: date | None = date(born_year, 1, 1) + timedelta(days=rng.randrange(365))
        if rng.random() < 0.01:
            dob = None  # only the year is known
        person_id = self.add(
            "person",
            (
                full,
                self.key(full),
                None if dob is None else d(dob),
                born_year,
                gender,
                weighted(rng, ETHNICITIES),
                weighted(rng, RELIGIONS),
                None,
                STAMP,
            ),
        )
        code = f"25{school_id:03d}{seq:05d}"
        student_id = self.add(
            "student",
            (
                person_id,
                school_id,
                code,
                self.key(full),
                None,
                None,
                batches[y, "hk1"],
                STAMP,
                None,
            ),
        )
        self.add("enrollment", (student_id, 2, klass, grade, batches[y, "hk1"]))
        if grade >= 11:
            before = f"{grade - 1}{klass[2:]}"
            self.add("enrollment", (student_id, 1, before, grade - 1, batches[y - 1, "hk1"]))
        member_p = {10: 0.55, 11: 0.75, 12: 0.88}[grade]
        roll = rng.random()
        if roll < member_p:
            joined = None
            if rng.random() < 0.4:
                joined = date(y - rng.randint(0, 2), 3, 26)
                if grade == 10 and rng.random() < 0.2:
                    joined = date(y + 1, 3, 26)  # joins after a March meeting
            self.add(
                "youth_union",
                (person_id, 1, None if joined is None else d(joined), y, "hk1", batches[y, "hk1"]),
            )
        elif roll < member_p + 0.08:
            self.add("youth_union", (person_id, 0, None, y, "hk1", batches[y, "hk1"]))
        strength = rng.gauss(2.4, 0.8) + (0.3 if gender == "Nữ" else 0.0)
        return person_id, student_id, dob, strength

    def results(
        self,
        student_id: int,
        grade: int,
        dob: date | None,
        strength: float,
        old_files: bool,
        batches: dict[Any, int],
    ) -> None:
        y = self.year
        terms = [(y, "hk1", "tt22")]
        if grade >= 11:
            repeater = dob is not None and dob.year < y - 5 - grade
            old = "tt58" if old_files or repeater else "tt22"
            terms = [(y - 1, "hk1", old), (y - 1, "cn", old), *terms]
        for start, term, scale in terms:
            academic = self.grade(strength, CODES[scale][0])
            conduct = self.grade(strength + 1.3, CODES[scale][1])
            if self.rng.random() < 0.004:
                academic = None  # a row where the column was left empty
            self.add(
                "term_result",
                (
                    student_id,
                    start - y + 2,
                    term,
                    academic,
                    None if academic is None else scale,
                    None if academic is None else RANK[academic],
                    conduct,
                    scale,
                    RANK[conduct],
                    batches[start, term],
                ),
            )

    def grade(self, strength: float, codes: Sequence[str]) -> str:
        value = strength + self.rng.gauss(0, 0.45)
        # codes best first; 3.0+ is the best, then one step per 0.9
        step = 0 if value >= 3.0 else 1 if value >= 2.1 else 2 if value >= 1.0 else 3
        return codes[min(step, len(codes) - 1)]

    # ------------------------------------------------------------------ milestones

    def milestone(
        self,
        person_id: int,
        step: str,
        on: date,
        *,
        doc: str | None = None,
        mentor: str | None = None,
        note: str | None = None,
        replaces: int | None = None,
    ) -> int:
        recorded = f"{d(on)} 16:30:00.000000"
        return self.add(
            "milestone",
            (person_id, step, d(on), doc, mentor, note, None, replaces, None, recorded, "vanthu"),
        )

    def pipeline(
        self,
        person_id: int,
        dob: date | None,
        grade: int,
        classes: list[date],
    ) -> None:
        rng, y = self.rng, self.year
        n = self.ids.get("milestone", 0)
        if grade == 11:
            self.milestone(person_id, "cam-tinh", date(y, 10, 15))
            if rng.random() < 0.5:
                self.milestone(person_id, "lop-boi-duong", date(y + 1, 1, 10), doc=f"CN-{n}")
            return
        self.milestone(person_id, "cam-tinh", date(y, 5, 20))
        if rng.random() < 0.02:
            # attended a class long ago (older than the certificate's 60 months)
            self.milestone(person_id, "lop-boi-duong", date(y - 5, 1, 5), doc=f"CN-{n}")
            return
        taken = rng.choice(classes)
        if rng.random() < 0.03:
            wrong = self.milestone(person_id, "lop-boi-duong", taken + timedelta(days=365))
            self.milestone(person_id, "lop-boi-duong", taken, doc=f"CN-{n}", replaces=wrong)
        else:
            self.milestone(person_id, "lop-boi-duong", taken, doc=f"CN-{n}")
        if rng.random() < 0.08:
            return  # no mentor yet
        assigned = date(y, 9, 5) + timedelta(days=rng.randrange(25))
        self.milestone(person_id, "phan-cong-giup-do", assigned, mentor=rng.choice(MENTORS))
        if rng.random() < 0.04:
            later = date(y + 1, 2, 1) + timedelta(days=rng.randrange(120))
            self.milestone(person_id, "phan-cong-giup-do", later, mentor=rng.choice(MENTORS))
        if rng.random() < 0.03:
            self.milestone(
                person_id, "ky-luat", date(y, 11, 1) + timedelta(days=rng.randrange(90)),
                note="Khiển trách",
            )  # fmt: skip
        if rng.random() < 0.02:
            self.milestone(person_id, "dung", date(y + 1, 1, 20), note="Gia đình chuyển nơi ở")
            return
        if rng.random() < 0.4:
            return
        on = date(y, 10, 1) + timedelta(days=rng.randrange(60))
        self.milestone(person_id, "don-xin-vao-dang", on, doc="1-KNĐ")
        for step, gap in (("tham-tra-ly-lich", 30), ("gioi-thieu", 40), ("lay-y-kien", 20)):
            if rng.random() < 0.15:
                return
            on = on + timedelta(days=gap + rng.randrange(10))
            self.milestone(person_id, step, on)
        if dob is None:
            return
        eighteen = date(dob.year + 18, dob.month, 1)
        vote = max(eighteen, on) + timedelta(days=3 + rng.randrange(20))
        if vote > date(y + 1, 5, 25) or rng.random() < 0.1:
            return  # not 18 before leaving school: the dossier waits (or goes with them)
        self.milestone(person_id, "chi-bo-de-nghi", vote, doc="6-KNĐ")
        decision = vote + timedelta(days=20 + rng.randrange(30))
        if rng.random() < 0.15:
            return
        self.milestone(person_id, "quyet-dinh-ket-nap", decision, doc=f"{n % 900 + 1}-QĐ/ĐU")
        if rng.random() < 0.2:
            return
        self.milestone(person_id, "le-ket-nap", decision + timedelta(days=10 + rng.randrange(15)))

    def loose_milestones(self, school_id: int, size: int) -> None:
        """A few hand-overs of students who are not candidates (moved school)."""
        first_person = self.ids["person"] - size + 1
        for _ in range(2):
            pid = first_person + self.rng.randrange(size)
            self.milestone(
                pid, "chuyen-di", date(self.year + 1, 2, 15), note="Chuyển trường trong tỉnh"
            )


COLUMNS = {
    "unit": "id, name, name_key, kind, parent_id, dissolved_on, created_at",
    "school": "id, name, name_key, party_cell, unit_id, created_at",
    "school_year": "id, start_year, label",
    "target": "id, unit_id, school_id, period_start, period_end, period_label, class_target, "
    "admitted_target, created_at",
    "import_batch": "id, file_name, sha256, imported_at, imported_by, school_id, school_year_id, "
    "term, rows, created, updated, unchanged, rejected",
    "audit_log": "id, at, os_user, command, action, entity, entity_id, batch_id, changes",
    "person": "id, full_name, name_key, date_of_birth, birth_year, gender, ethnicity, religion, "
    "national_id, created_at",
    "student": "id, person_id, school_id, student_code, name_key, extra, roster_hash, "
    "created_batch_id, created_at, updated_at",
    "enrollment": "id, student_id, school_year_id, class_name, grade, batch_id",
    "term_result": "id, student_id, school_year_id, term, academic, academic_scale, "
    "academic_rank, conduct, conduct_scale, conduct_rank, batch_id",
    "youth_union": "id, person_id, is_member, joined_on, roster_year, roster_term, batch_id",
    "milestone": "id, person_id, step, on_date, doc_number, mentor, note, acted_by, replaces_id, "
    "batch_id, recorded_at, recorded_by",
}


def write(path: Path, schools: int, seed: int, year: int) -> dict[str, int]:
    """Create the schema with the app's migrations, then bulk-load the province."""
    from dangvien_cli.db.engine import open_database

    for p in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        p.unlink(missing_ok=True)
    open_database(str(path)).close()

    province = Province(schools, seed, year)
    for index, (school_id, name, _unit) in enumerate(province.organisation()):
        province.school(school_id, name, index)

    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = OFF")
        con.execute("PRAGMA cache_size = -262144")
        con.execute("PRAGMA foreign_keys = OFF")
        indexes = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ).fetchall()
        con.execute("BEGIN")
        for name, _ in indexes:
            con.execute(f'DROP INDEX "{name}"')
        for table, columns in COLUMNS.items():
            rows = province.rows.get(table, [])
            marks = ", ".join("?" * len(columns.split(",")))
            con.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        for _, sql in indexes:
            con.execute(sql)
        con.execute("COMMIT")
        problems = con.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise SystemExit(f"foreign keys broken: {problems[:5]}")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    path.chmod(0o600)
    return {table: len(rows) for table, rows in province.rows.items()}


def meta(schools: int, seed: int, year: int) -> dict[str, Any]:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for migration in sorted(MIGRATIONS.glob("*.py")):
        digest.update(migration.read_bytes())
    return {"schools": schools, "seed": seed, "year": year, "sha256": digest.hexdigest()[:16]}


def cached(schools: int, seed: int, year: int, *, regenerate: bool = False) -> Path:
    """The province file for these parameters in benchmarks/out/, written unless it is there."""
    path = OUT / f"province-{schools}-s{seed}-y{year}.db"
    meta_path = path.with_name(path.name + ".json")
    wanted = meta(schools, seed, year)
    if not regenerate and path.exists() and meta_path.exists():
        try:
            if json.loads(meta_path.read_text())["meta"] == wanted:
                return path
        except (ValueError, KeyError):
            pass
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    counts = write(path, schools, seed, year)
    took = time.perf_counter() - started
    meta_path.write_text(
        json.dumps({"meta": wanted, "seconds": round(took, 1), "rows": counts}, indent=2)
    )
    print(f"wrote {path} in {took:.1f} s: {counts}", file=sys.stderr)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, help="the SQLite file (default: cached)")
    parser.add_argument("--schools", type=int, default=25, help="schools (default 25)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--year", type=int, default=2024, help="the school year YEAR-(YEAR+1)")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args(argv)
    if args.schools < 1:
        parser.error("--schools must be at least 1")
    if args.path is None:
        print(cached(args.schools, args.seed, args.year, regenerate=args.regenerate))
        return
    counts = write(args.path, args.schools, args.seed, args.year)
    print(args.path)
    print(counts, file=sys.stderr)


if __name__ == "__main__":
    main()
