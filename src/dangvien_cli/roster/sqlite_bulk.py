"""The SQLite bulk loader: how a large table is written into a database that has no students yet.

Such a table is written the way bulk loads are: a bigger page cache for the transaction; the
indexes of the tables it fills (all but those of UNIQUE constraints, which SQLite cannot drop)
built once at the end of the table instead of row by row — inside the same transaction, so an
interrupted import leaves them as they were; and each chunk's new rows put in temporary tables,
then copied into the real ones on a thread while the next chunk is checked (Mover).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from dangvien_cli.roster.records import (
    NO_GRADE,
    PERSON_FIELDS,
    RosterRecord,
    grade_of,
    person_row,
)

__all__ = ["BULK_CACHE_KIB", "BULK_ROWS", "FILLED", "Mover", "drop_indexes", "wants_bulk"]

# Bulk loading on SQLite (see the module's docstring): from this many rows in a table, into a
# database without students.
BULK_ROWS = 2000
BULK_CACHE_KIB = 64 * 1024
FILLED = ("person", "student", "enrollment", "term_result", "youth_union")


def wants_bulk(dialect: str, *, fresh: bool, rows: int) -> bool:
    """Whether a table of about `rows` rows is bulk loaded."""
    return fresh and dialect == "sqlite" and rows >= BULK_ROWS


def drop_indexes(conn: Any) -> tuple[int, list[str]]:
    """Before a bulk load: the page cache enlarged and the filled tables' indexes dropped.
    Returns the former cache size and the statements that build the indexes again."""
    cache_size = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
    conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    tables = ", ".join(f"'{name}'" for name in FILLED)
    found = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({tables}) ORDER BY name"
    ).all()
    built_after: list[str] = []
    for name, sql in found:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
        built_after.append(str(sql))
    return cache_size, built_after


class Mover:
    """Copies a SQLite bulk load's new rows into the real tables on a thread.

    Each chunk's new students (one row each: person, student and enrollment values), results
    and Youth Union rows go into three temporary tables with one executemany each, holding only
    what differs from row to row; INSERT … SELECT statements then copy them into the five real
    tables, with what is the same for the whole table (school, year, import, time) bound once.
    SQLite runs a whole statement without holding Python's lock, so one chunk's B-trees, unique
    indexes and foreign keys are written while the next chunk is read and checked on the main
    thread; the copy is also cheaper than a row-by-row executemany into five tables. One thread
    uses the connection at a time: wait() comes before anything else touches it. All of it is
    inside the import's transaction."""

    # What a staged row holds, by table (c0, c1, … in this order).
    NEW = (
        "person_id",
        "student_id",
        "full_name",
        "name_key",
        "date_of_birth",
        "birth_year",
        *PERSON_FIELDS,
        "student_code",
        "extra",
        "roster_hash",
        "class_name",
        "grade",
    )
    RESULTS = (
        "student_id",
        "term",
        "academic",
        "academic_scale",
        "academic_rank",
        "conduct",
        "conduct_scale",
        "conduct_rank",
    )
    YOUTH = ("person_id", "is_member", "joined_on")
    # Each real table: its columns, from a staged column or a value bound once (":name").
    COPIES = (
        (
            "person",
            "dangvien_new",
            {
                "id": "person_id",
                **{c: c for c in ("full_name", "name_key", "date_of_birth", "birth_year")},
                **{c: c for c in PERSON_FIELDS},
                "created_at": ":person_now",
            },
        ),
        (
            "student",
            "dangvien_new",
            {
                "id": "student_id",
                "person_id": "person_id",
                "school_id": ":school_id",
                "student_code": "student_code",
                "name_key": "name_key",
                "extra": "extra",
                "roster_hash": "roster_hash",
                "created_batch_id": ":batch_id",
                "created_at": ":student_now",
            },
        ),
        (
            "enrollment",
            "dangvien_new",
            {
                "student_id": "student_id",
                "school_year_id": ":year_id",
                "class_name": "class_name",
                "grade": "grade",
                "batch_id": ":batch_id",
            },
        ),
        (
            "term_result",
            "dangvien_new_result",
            {
                **{c: c for c in RESULTS},
                "school_year_id": ":year_id",
                "batch_id": ":batch_id",
            },
        ),
        (
            "youth_union",
            "dangvien_new_youth",
            {
                **{c: c for c in YOUTH},
                "roster_year": ":roster_year",
                "roster_term": ":roster_term",
                "batch_id": ":batch_id",
            },
        ),
    )

    def __init__(self, raw: Any) -> None:
        self.raw = raw  # the sqlite3 connection under the session's, in its transaction
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None
        self.staged: dict[str, tuple[str, ...]] = {
            "dangvien_new": self.NEW,
            "dangvien_new_result": self.RESULTS,
            "dangvien_new_youth": self.YOUTH,
        }
        self.copies: list[str] = []
        for table, source, columns in self.COPIES:
            staged = self.staged[source]
            picked = ", ".join(
                v if v.startswith(":") else f"c{staged.index(v)}" for v in columns.values()
            )
            self.copies.append(
                f"INSERT INTO main.{table} ({', '.join(columns)}) "
                f"SELECT {picked} FROM temp.{source} ORDER BY rowid"
            )
        # A chunk's rows stay in memory (the temporary database's own page cache).
        raw.execute(f"PRAGMA temp.cache_size = -{BULK_CACHE_KIB // 2}")
        for name, staged_columns in self.staged.items():
            cols = ", ".join(f"c{i}" for i in range(len(staged_columns)))
            raw.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({cols})")
            raw.execute(f"DELETE FROM temp.{name}")

    def stage(
        self,
        new: list[tuple[Any, ...]],
        results: list[tuple[Any, ...]],
        youth: list[tuple[Any, ...]],
        constants: dict[str, Any],
    ) -> None:
        """Put a chunk's rows in the temporary tables and start copying them."""
        self.wait()
        for (name, columns), rows in zip(self.staged.items(), (new, results, youth), strict=True):
            if rows:
                marks = ", ".join("?" * len(columns))
                self.raw.executemany(f"INSERT INTO temp.{name} VALUES ({marks})", rows)
        self.thread = threading.Thread(target=self._copy, args=(constants,), daemon=True)
        self.thread.start()

    def _copy(self, constants: dict[str, Any]) -> None:
        try:
            for sql in self.copies:
                self.raw.execute(sql, constants)
            for name in self.staged:
                self.raw.execute(f"DELETE FROM temp.{name}")
        except BaseException as exc:  # raised again on the main thread, by wait()
            self.error = exc

    def wait(self) -> None:
        """Until the last chunk is copied; its error, if it had one, is raised here."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def stage_students(
        self,
        records: list[RosterRecord],
        digests: list[str],
        person_ids: list[int],
        student_ids: list[int],
        *,
        bind: dict[str, Callable[[Any], Any]],
        constants: dict[str, Any],
    ) -> None:
        """The rows of new students as the mover takes them (NEW, RESULTS, YOUTH), staged.
        `bind` has the driver's converters of "date_of_birth", "extra", "is_member" and
        "joined_on"; `constants` what is the same for the whole table."""
        dob, extra = bind["date_of_birth"], bind["extra"]
        member, joined = bind["is_member"], bind["joined_on"]
        new: list[tuple[Any, ...]] = []
        results: list[tuple[Any, ...]] = []
        youth: list[tuple[Any, ...]] = []
        for rec, digest, sid, pid in zip(records, digests, student_ids, person_ids, strict=True):
            values = rec.values
            new.append(
                (
                    pid,
                    sid,
                    *person_row(rec, dob),
                    rec.code,
                    extra(rec.extra) if rec.extra else None,
                    digest,
                    values.get("class_name"),
                    grade_of(rec),
                )
            )
            for term, grades in rec.results.items():
                a = grades.get("academic")
                c = grades.get("conduct")
                results.append(
                    (
                        sid,
                        term,
                        *((a.code, a.scale, a.rank) if a else NO_GRADE),
                        *((c.code, c.scale, c.rank) if c else NO_GRADE),
                    )
                )
            if rec.youth_union is not None:
                youth.append((pid, member(rec.youth_union), joined(rec.youth_union_joined)))
        self.stage(new, results, youth, constants)

    def close(self) -> None:
        self.wait()
        for name in self.staged:
            self.raw.execute(f"DROP TABLE IF EXISTS temp.{name}")
