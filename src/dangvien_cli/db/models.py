"""The database tables: units, schools, people and their student roles, results, milestones."""

# No `from __future__ import annotations`: SQLModel reads the annotations at class creation.

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Table, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


class Unit(SQLModel, table=True):
    """A Party unit: province, (historic) district, commune/ward committee, base committee.

    Units form a tree of any depth; a unit that no longer exists (the districts abolished on
    1 July 2025) keeps its row, with `dissolved_on` set, so old decisions still name it.
    """

    __tablename__ = "unit"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str = Field(index=True)
    kind: str | None = None  # tinh, huyen, xa, phuong, dang-uy-co-so, …
    parent_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    dissolved_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow)


class School(SQLModel, table=True):
    """A school and its Party cell (chi bộ), under one unit."""

    __tablename__ = "school"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str = Field(unique=True)  # folded, without a leading "Trường"
    party_cell: str | None = None  # "Chi bộ Trường THPT Bình Lư"
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class SchoolYear(SQLModel, table=True):
    """A school year, named by its first calendar year (2024 is 2024-2025)."""

    __tablename__ = "school_year"

    id: int | None = Field(default=None, primary_key=True)
    start_year: int = Field(unique=True)
    label: str  # "2024-2025"


class Person(SQLModel, table=True):
    """A person, whatever their role: a student now; teachers and staff may follow."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    full_name: str  # as written, NFC
    name_key: str = Field(index=True)  # folded: no diacritics, lower case, single spaces
    date_of_birth: date | None = None
    birth_year: int | None = None  # always set when anything of the birth is known
    gender: str | None = None  # "Nam" | "Nữ"
    ethnicity: str | None = None
    religion: str | None = None
    national_id: str | None = None  # Số định danh cá nhân / CCCD
    birth_name: str | None = None  # "Họ tên khai sinh", when it differs from the name in use
    given_name: str | None = None  # "Tên", when a roster gave the name in parts
    created_at: datetime = Field(default_factory=utcnow)


class Student(SQLModel, table=True):
    """The student role of a person at one school.

    Identity is the ministry student code when there is one, else school + name key + birth.
    """

    __tablename__ = "student"
    __table_args__ = (
        Index("ix_student_school_name", "school_id", "name_key"),
        Index("ix_student_school_person", "school_id", "person_id"),  # migration 0002
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    student_code: str | None = Field(default=None, unique=True)
    name_key: str  # copy of person.name_key, for identity without a code
    extra: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    # A digest of the roster row that last wrote this student (roster/writer.py): the same row
    # again changes nothing. Anything else that changes a roster-held value must set it to None.
    roster_hash: str | None = None
    created_batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime | None = None


class Enrollment(SQLModel, table=True):
    """Which class a student is on the roster of, in one school year."""

    __tablename__ = "enrollment"
    __table_args__ = (UniqueConstraint("student_id", "school_year_id"),)

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id")
    school_year_id: int = Field(foreign_key="school_year.id", index=True)
    class_name: str | None = None
    grade: int | None = None  # 10, 11, 12: from the class name
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


# The most recent result that counts, and its ranks, read from this index alone
# (admission/rules/sql.py).
RESULT_RANKS_COLUMNS = ("student_id", "school_year_id", "term", "academic_rank", "conduct_rank")


class TermResult(SQLModel, table=True):
    """Academic and conduct results of one term, each with the scale it was given on."""

    __tablename__ = "term_result"
    __table_args__ = (
        UniqueConstraint("student_id", "school_year_id", "term"),
        Index("ix_term_result_ranks", *RESULT_RANKS_COLUMNS),  # migration 0002
    )

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id")
    school_year_id: int = Field(foreign_key="school_year.id", index=True)
    term: str  # hk1 | hk2 | cn
    academic: str | None = None  # gioi, kha, tb, yeu, kem (TT58); tot, kha, dat, chua_dat (TT22)
    academic_scale: str | None = None  # tt58 | tt22
    academic_rank: int | None = None  # 4 Giỏi/Tốt, 3 Khá, 2 TB/Đạt, 1 Yếu/Chưa đạt, 0 Kém
    conduct: str | None = None
    conduct_scale: str | None = None
    conduct_rank: int | None = None
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class YouthUnion(SQLModel, table=True):
    """Youth Union (Đoàn) membership of a person, as the latest roster or record says."""

    __tablename__ = "youth_union"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", unique=True)
    is_member: bool
    joined_on: date | None = None
    # The roster that said so: an older roster (by school year, then term) imported later
    # does not overwrite what a newer one said.
    roster_year: int | None = None
    roster_term: str | None = None
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class Milestone(SQLModel, table=True):
    """One step of a candidate's dossier. Append-only: a correction supersedes, never edits."""

    __tablename__ = "milestone"
    __table_args__ = (
        Index("ix_milestone_person_step", "person_id", "step"),
        Index("ix_milestone_step_date", "step", "on_date", "person_id"),  # migration 0002
        Index("ix_milestone_replaces", "replaces_id", "person_id"),  # migration 0002
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    step: str = Field(index=True)  # lop-boi-duong, phan-cong-giup-do, quyet-dinh-ket-nap, …
    on_date: date = Field(index=True)
    doc_number: str | None = None
    mentor: str | None = None
    note: str | None = None
    acted_by: str | None = None
    replaces_id: int | None = Field(default=None, foreign_key="milestone.id")
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    recorded_at: datetime = Field(default_factory=utcnow)
    recorded_by: str | None = None


class Target(SQLModel, table=True):
    """A plan target of a unit or a school for a period."""

    __tablename__ = "target"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True)
    period_start: date
    period_end: date
    period_label: str
    class_target: int | None = None
    admitted_target: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ImportBatch(SQLModel, table=True):
    """One file read by `import`: what it was and what it did."""

    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    file_name: str
    sha256: str = Field(index=True)
    imported_at: datetime = Field(default_factory=utcnow)
    imported_by: str | None = None
    school_id: int | None = Field(default=None, foreign_key="school.id")
    school_year_id: int | None = Field(default=None, foreign_key="school_year.id")
    term: str | None = None
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


class AuditLog(SQLModel, table=True):
    """Who changed what, when, with which command."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    os_user: str | None = None
    command: str | None = None
    action: str  # import, update, record, config, …
    entity: str  # student, milestone, setting, …
    entity_id: int | None = None
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    changes: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class Setting(SQLModel, table=True):
    """A setting shared by everyone who uses the same database (`config set`)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str
    updated_at: datetime = Field(default_factory=utcnow)


def _table(model: type[SQLModel]) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


# The Core tables, for bulk statements and typed queries (`person_t.c.full_name`).
unit_t = _table(Unit)
school_t = _table(School)
year_t = _table(SchoolYear)
person_t = _table(Person)
student_t = _table(Student)
enrollment_t = _table(Enrollment)
result_t = _table(TermResult)
youth_t = _table(YouthUnion)
milestone_t = _table(Milestone)
target_t = _table(Target)
batch_t = _table(ImportBatch)
audit_t = _table(AuditLog)
setting_t = _table(Setting)
