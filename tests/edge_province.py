"""A small made-up province whose dates sit on the edges of the admission rules.

`populate` writes, with SQLAlchemy Core (so the same rows go into SQLite and PostgreSQL), a few
schools and about a thousand students drawn at random from a seed, each date chosen near one of
the meeting days in `MEETINGS`: birthdays on the meeting day, the day before and after, the
first and last day of the month, 29 February; awareness classes 60 months before a meeting, a
day either side; disciplines 12 months before; mentors assigned after the meeting; results on
both grading scales, some missing a value, some of terms that do not count yet; Youth Union
joining dates around the meeting; corrections of steps (`replaces`), a person with two schools.
Everything is invented.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from dangvien_cli.admission.pipeline import AWARENESS_CLASS, DISCIPLINE, MENTOR, STOPPED
from dangvien_cli.admission.pipeline import STEPS as PIPELINE_STEPS
from dangvien_cli.admission.rules.eligibility import add_months
from dangvien_cli.core.grades import ACADEMIC, GRADE_RANKS, SCALE_CODES, TT22, TT58
from dangvien_cli.core.grades import CONDUCT as GRADE_CONDUCT
from dangvien_cli.db.models import (
    enrollment_t,
    milestone_t,
    person_t,
    result_t,
    school_t,
    student_t,
    unit_t,
    year_t,
    youth_t,
)

D = date
MEETINGS = (
    D(2025, 3, 15),
    D(2025, 2, 28),
    D(2024, 2, 29),
    D(2025, 1, 16),
    D(2025, 5, 31),
    D(2025, 6, 1),
    D(2025, 8, 31),
    D(2025, 12, 31),
    D(2026, 2, 28),
)
YEARS = (2022, 2023, 2024, 2025)
STEPS = tuple(PIPELINE_STEPS)  # every step's slug, in the pipeline's order
# Steps that matter to the rules come up more often.
WEIGHTS = (3, 6, 6, 1, 1, 1, 1, 1, 1, 2, 2, 1, 3, 2, 2)
# (code, rank) of each grade of each scale, best first, as the importer stores them.
SCALES = {
    scale: tuple((code, GRADE_RANKS[code]) for code in SCALE_CODES[(scale, ACADEMIC)])
    for scale in (TT58, TT22)
}
CONDUCT = {
    scale: tuple((code, GRADE_RANKS[code]) for code in SCALE_CODES[(scale, GRADE_CONDUCT)])
    for scale in (TT58, TT22)
}
NAMES = ("Nguyễn Thị Lan", "Trần Văn Hùng", "Lò Văn Sáng", "Đỗ Thị Ngà", "Giàng A Sình",
         "Hoàng Minh Tuấn", "Phạm Thị Hoa", "Lê Thị Thơ", "Vũ Văn Tư", "Tẩn Thị Duyên")  # fmt: skip
ETHNICITIES = ("Kinh", "Kinh", "Kinh", "Thái", "Mông", None, "kinh")
RELIGIONS = ("Không", None, "Phật giáo", "không tôn giáo", "Công giáo", "-")
NOW = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


def _near(rng: random.Random, day: date) -> date:
    return day + timedelta(days=rng.choice((-1, 0, 0, 1)))


def _birthday(rng: random.Random) -> tuple[date | None, int | None]:
    """A date of birth on an edge of some meeting's age rule (or only a year, or nothing)."""
    roll = rng.random()
    if roll < 0.06:
        year = rng.choice((2005, 2006, 2007, 2008))
        return None, year  # only the year is known
    if roll < 0.08:
        return None, None
    meeting = rng.choice(MEETINGS)
    age = rng.choice((18, 18, 18, 17, 20))
    if roll < 0.16:
        return rng.choice((D(2004, 2, 29), D(2008, 2, 29), D(2007, 2, 28), D(2007, 3, 1))), None
    year = meeting.year - age
    kind = rng.random()
    if kind < 0.5:
        last = (add_months(D(year, meeting.month, 1), 1) - timedelta(days=1)).day
        born = _near(rng, D(year, meeting.month, min(meeting.day, last)))
    elif kind < 0.75:
        first = D(year, meeting.month, 1)
        born = rng.choice((first, first - timedelta(days=1), add_months(first, 1)))
    else:
        born = D(year, 1, 1) + timedelta(days=rng.randrange(366 * 2))
    return born, None


def _step_date(rng: random.Random) -> date:
    meeting = rng.choice(MEETINGS)
    kind = rng.random()
    if kind < 0.35:
        return _near(rng, meeting)
    if kind < 0.5:
        return _near(rng, add_months(meeting, -60))
    if kind < 0.65:
        return _near(rng, add_months(meeting, -12))
    if kind < 0.75:
        return add_months(meeting, rng.choice((-1, 1, 2))) - timedelta(days=1)
    return D(2019, 1, 1) + timedelta(days=rng.randrange(365 * 8))


def populate(session: Session, seed: int = 5, students: int = 900) -> dict[str, int]:
    """Write the province; returns how many rows went into each table."""
    rng = random.Random(seed)
    rows: dict[str, list[dict[str, Any]]] = {}

    def add(table: str, **values: Any) -> int:
        bucket = rows.setdefault(table, [])
        values["id"] = len(bucket) + 1
        bucket.append(values)
        return int(values["id"])

    province = add("unit", name="Tỉnh Sơn Hà", name_key="tinh son ha", kind="tinh", created_at=NOW)
    commune = add(
        "unit", name="Đảng ủy xã Tân Lập", name_key="dang uy xa tan lap", kind="xa",
        parent_id=province, created_at=NOW,
    )  # fmt: skip
    schools = [
        add("school", name=name, name_key=key, unit_id=unit, created_at=NOW)
        for name, key, unit in (
            ("THPT Tân Lập", "thpt tan lap", commune),
            ("THPT Bình Lư", "thpt binh lu", commune),
            ("THPT Mường So", "thpt muong so", province),
        )
    ]
    years = {
        start: add("school_year", start_year=start, label=f"{start}-{start + 1}") for start in YEARS
    }
    people: list[tuple[int, date | None]] = []
    for n in range(students):
        if people and rng.random() < 0.02:
            person, born = rng.choice(people)  # the same person at a second school
        else:
            born, birth_year = _birthday(rng)
            name = rng.choice(NAMES)
            person = add(
                "person",
                full_name=name,
                name_key=name.lower(),
                date_of_birth=born,
                birth_year=born.year if born else birth_year,
                gender=rng.choice(("Nam", "Nữ", None)),
                ethnicity=rng.choice(ETHNICITIES),
                religion=rng.choice(RELIGIONS),
                created_at=NOW,
            )
            people.append((person, born))
            promising = rng.random() < 0.6  # on the list: class, mentor, good results
            _youth(rng, add, person, promising)
            _milestones(rng, add, person, promising)
        student = add(
            "student",
            person_id=person,
            school_id=rng.choice(schools),
            student_code=f"77{n:08d}",
            name_key="x",
            created_at=NOW,
        )
        first = rng.choice(YEARS)
        grade = rng.choice((10, 11, 12, 12, None))
        for start in YEARS:
            if start < first or rng.random() < 0.2:
                continue
            g = None if grade is None else grade + start - first
            add(
                "enrollment",
                student_id=student,
                school_year_id=years[start],
                class_name=f"{g or 12}A{rng.randint(1, 3)}",
                grade=g if g is None or g <= 12 else None,
            )
        good = rng.random() < 0.7
        for start in YEARS:
            for term in ("hk1", "hk2", "cn"):
                if rng.random() < 0.45:
                    scale = rng.choice(("tt58", "tt22"))
                    if good and rng.random() < 0.8:
                        academic, conduct = rng.choice(SCALES[scale][:2]), CONDUCT[scale][0]
                    else:
                        academic = rng.choice(SCALES[scale] + ((None, None),))
                        conduct = rng.choice(CONDUCT[scale] + ((None, None),))
                    add(
                        "term_result",
                        student_id=student,
                        school_year_id=years[start],
                        term=term,
                        academic=academic[0],
                        academic_scale=scale if academic[0] else None,
                        academic_rank=academic[1],
                        conduct=conduct[0],
                        conduct_scale=scale if conduct[0] else None,
                        conduct_rank=conduct[1],
                    )
    tables = {
        "unit": unit_t,
        "school": school_t,
        "school_year": year_t,
        "person": person_t,
        "student": student_t,
        "enrollment": enrollment_t,
        "term_result": result_t,
        "youth_union": youth_t,
        "milestone": milestone_t,
    }
    for name, table in tables.items():
        if rows.get(name):
            # executemany takes the columns of the first row: give every row every column
            keys = {key for row in rows[name] for key in row}
            session.execute(insert(table), [dict.fromkeys(keys) | row for row in rows[name]])
    return {name: len(rows.get(name, [])) for name in tables}


def _youth(rng: random.Random, add: Any, person: int, promising: bool) -> None:
    roll = rng.random() * (0.5 if promising else 1.0)
    if roll > 0.85:
        return  # no roster said
    joined = _near(rng, rng.choice(MEETINGS)) if rng.random() < 0.5 else None
    member = roll < 0.7
    add("youth_union", person_id=person, is_member=member, joined_on=joined)


def _milestones(rng: random.Random, add: Any, person: int, promising: bool) -> None:
    mine: list[int] = []
    steps = [AWARENESS_CLASS, MENTOR] if promising else []
    steps += rng.choices(STEPS, WEIGHTS, k=rng.choice((0, 0, 1, 2, 3, 4)))
    for step in steps:
        replaces = None
        if mine and rng.random() < 0.12:
            replaces = mine.pop(rng.randrange(len(mine)))  # a correction, once per entry
        mine.append(
            add(
                "milestone",
                person_id=person,
                step=step,
                on_date=_step_date(rng),
                mentor=rng.choice(("Vũ Văn Tư", None)) if step == MENTOR else None,
                note="Khiển trách" if step in (DISCIPLINE, *STOPPED) else None,
                replaces_id=replaces,
                recorded_at=NOW,
            )
        )
