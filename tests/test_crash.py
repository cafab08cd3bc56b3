"""Nothing lost (issue 6): `import`, `record` and `merge` killed with SIGKILL at many points.

Each command is first run to its end, counting the events its SQLite connections report
(tests/crash/forker.py: every N VM instructions, each statement as it starts — every row of a
bulk insert, the COMMIT itself —, just before and just after the commit, each close). Then the
same command is run again on a copy of the same database for each chosen point, and killed there
for real (the exit status must be -SIGKILL). After each kill:

- `PRAGMA integrity_check` is "ok" and `PRAGMA foreign_key_check` finds nothing;
- every table, less the columns that hold the time of the run, equals either the database before
  the command or after an uninterrupted run — exactly "before" up to the COMMIT and "after" from
  the moment it returned —, and the audit log is on the same side as the data;
- the same command run again, on the killed database as it was left (hot WAL and all), finishes
  with the same exit code and the same tables as an uninterrupted run (from "after", as a second
  uninterrupted run).
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import shutil
import signal
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from builders import PLAIN_HEADER, copy_db, fast_xlsx, progress_rows, run_on, xlsx_sheets
from crash.forker import Forker
from dbcheck import query

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX")

TODAY = "01/06/2025"
POINTS = 24  # kill points per command run
WORKERS = 2  # the machine's cores
DB = "dangvien.db"  # every run works in its own folder, with the same relative arguments


# ----------------------------------------------------------------------------- data


FAMILY = ["Nguyễn", "Trần", "Lê", "Lò", "Giàng", "Tẩn", "Hoàng", "Vàng"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc"]
GIVEN = ["Khang", "Thơ", "Hưng", "Liên", "Lộc", "Nhàn", "Sang", "Thúy", "Định", "Quế"]


def code(i: int, prefix: str = "98") -> str:
    return f"{prefix}{i:08d}"


def rows(
    n: int,
    *,
    school: str = "TRƯỜNG THPT BÌNH LƯ",
    term: str = "I",
    prefix: str = "98",
    next_term: bool = False,
) -> Iterator[list[object]]:
    """A roster of ``n`` made-up students of one school. ``next_term``: the same students in
    term II, some moved to another class, some with better results, a few names corrected, a few
    joining the Youth Union, and ten new students."""
    yield [school]
    yield [f"DANH SÁCH HỌC SINH - HỌC KỲ {term} - NĂM HỌC 2024-2025"]
    yield []
    yield list(PLAIN_HEADER)
    for i in range(n + (10 if next_term else 0)):
        name = f"{FAMILY[i % 8]} {MIDDLE[(i // 8) % 6]} {GIVEN[(i // 48) % 10]}"
        klass, academic, youth = f"12A{1 + i % 4}", "Khá", "x" if i % 3 else None
        if next_term:
            name = f"{name} Anh" if i % 20 == 0 else name
            klass = "12A5" if i % 9 == 0 else klass
            academic = "Giỏi" if i % 4 == 0 else academic
            youth = "x" if i % 6 == 0 else youth
        born = dt.date(2007, 1, 1) + dt.timedelta(days=i % 365)
        yield [i + 1, code(i, prefix), name, born.strftime("%d/%m/%Y"), "Nam" if i % 2 else "Nữ",
               "Kinh", klass, academic, "Tốt", youth]  # fmt: skip


def roster(path: Path, n: int, **kwargs: Any) -> Path:
    return fast_xlsx(path, rows(n, **kwargs))


def build(db: Path, *commands: Sequence[object]) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DANGVIEN_TODAY", TODAY)
        return run_on(db, *commands)


def checkpointed(db: Path) -> Path:
    """Fold the WAL into the file, so that a plain copy of the file is the whole database."""
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    return db


# ----------------------------------------------------------------------------- reading a database

Dump = dict[str, list[tuple[Any, ...]]]


def dump(db: Path) -> Dump:
    """Every row of every table, in rowid order, without the columns that hold the time of the
    run (type DATETIME: created_at, recorded_at, imported_at, the audit log's `at`…)."""
    con = sqlite3.connect(db)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]  # fmt: skip
        out: Dump = {}
        for table in tables:
            columns = [name for _, name, kind, *_ in con.execute(f'PRAGMA table_info("{table}")')
                       if kind.upper() != "DATETIME"]  # fmt: skip
            names = ", ".join(f'"{c}"' for c in columns)
            out[table] = list(con.execute(f'SELECT {names} FROM "{table}" ORDER BY rowid'))
        return out
    finally:
        con.close()


def soundness(db: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    con = sqlite3.connect(db)
    try:
        integrity = list(con.execute("PRAGMA integrity_check"))
        foreign = list(con.execute("PRAGMA foreign_key_check"))
        return integrity, foreign
    finally:
        con.close()


def split(tables: Dump) -> tuple[Dump, Dump]:
    """(the data, the audit log)."""
    data = {k: v for k, v in tables.items() if k != "audit_log"}
    return data, {"audit_log": tables.get("audit_log", [])}


def side(seen: Dump, before: Dump, after: Dump) -> str:
    return "before" if seen == before else "after" if seen == after else "neither"


# ----------------------------------------------------------------------------- the runs


@pytest.fixture(scope="module")
def forkers() -> Iterator[queue.Queue[Forker]]:
    env = {"DANGVIEN_TODAY": TODAY, "PYTHONHASHSEED": "0", "NO_COLOR": "1", "TERM": "dumb"}
    started = [Forker(env) for _ in range(WORKERS)]
    pool: queue.Queue[Forker] = queue.Queue()
    for f in started:
        pool.put(f)
    yield pool
    for f in started:
        f.close()


@dataclass
class Point:
    number: int  # the event the process dies at (1-based)
    event: str
    expected: str  # "before" or "after"
    returncode: int = 0
    data: str = ""
    audit: str = ""
    audit_matches: bool = False  # the audit log is the one of the same side as the data
    integrity: list[tuple[Any, ...]] = field(default_factory=list)
    foreign: list[tuple[Any, ...]] = field(default_factory=list)
    rerun_code: int = 0
    rerun_ok: bool = False
    stderr: str = ""
    wal_bytes: int = 0  # the WAL the killed process left


@dataclass
class Outcome:
    command: str
    events: int
    points: list[Point]

    @property
    def died(self) -> list[Point]:
        return [p for p in self.points if p.returncode == -signal.SIGKILL]

    def count(self, state: str) -> int:
        return sum(1 for p in self.died if p.data == state)

    @property
    def spilled(self) -> int:
        """Kills before the COMMIT that left pages of the open transaction in the WAL."""
        return sum(1 for p in self.died if p.data == "before" and p.wal_bytes > 0)

    def line(self) -> str:
        return (f"{self.command}: {len(self.points)} points tried, {len(self.died)} died, "
                f"{self.count('before')} before, {self.count('after')} after, "
                f"{self.count('neither')} neither; "
                f"{self.spilled} with uncommitted pages in the WAL")  # fmt: skip


WRITES = {"sql INSERT", "sql UPDATE", "sql DELETE"}


def choose(events: list[str]) -> list[tuple[int, str]]:
    """(event number, expected side): for each write transaction its start, its last statement
    (in a small one, each write as it starts and after it), just before, at and just after its
    COMMIT; a few events after the last COMMIT (the closes); and evenly spaced points over the
    whole run up to the last COMMIT. A command that writes in one transaction leaves "before" up
    to the COMMIT and "after" from then on; one that commits twice is caught by the points just
    after its first COMMIT."""
    commits = []
    for i, e in enumerate(events):
        if e == "sql BEGIN IMMEDIATE":
            commits.append((i, events.index("sql COMMIT", i)))
    assert commits, "the command never began a write transaction"
    special: set[int] = set()
    for begin, commit in commits:
        assert events[commit - 1] == "commit" and events[commit + 1] == "committed"
        special |= {begin, begin + 1, commit - 2, commit - 1, commit, commit + 1}
        writes = [i for i in range(begin, commit) if events[i] in WRITES]
        if len(writes) <= 4:  # a small transaction (record): as each write starts and after it
            special |= set(writes) | {i + 1 for i in writes}
    last = commits[-1][1]
    # After the COMMIT: the first closes, one event halfway through what follows, the last one.
    tail = list(range(last + 2, len(events)))
    special |= {i for i in tail if events[i] == "close"}.intersection(tail[:4] + tail[-2:])
    special |= {tail[len(tail) // 2], tail[-1]} if tail else set()
    spread = max(POINTS - len(special), POINTS // 2)
    chosen = special | {round(k * last / spread) for k in range(spread)}
    k = 0
    while len(chosen) < POINTS:  # rounding made two alike: fill between them
        chosen.add(round((k + 0.5) * last / spread))
        k += 1
    return [(i + 1, "before" if i <= last else "after") for i in sorted(chosen)]


def crash_test(
    pool: queue.Queue[Forker],
    work: Path,
    command: str,
    before_db: Path,
    inputs: Iterable[Path],
    argv: Sequence[object],
    *,
    every: int,
    cache_pages: int | None = None,
    patch: dict[str, object] | None = None,
) -> Outcome:
    """Run ``argv`` uninterrupted, then killed at POINTS points, and check each kill.
    ``cache_pages`` and ``patch``: see tests/crash/forker.py; they apply to the counted and the
    killed runs, and the plain run without them must give the same tables."""
    inputs = list(inputs)
    full = ["--db", DB, *argv]

    def folder(name: str) -> Path:
        d = work / name
        d.mkdir()
        copy_db(before_db, d / DB).chmod(0o600)
        for f in inputs:
            shutil.copyfile(f, d / f.name)
        return d

    def run(where: Path, **kwargs: Any) -> int:
        forker = pool.get()
        try:
            return forker.run(where, full, **kwargs)
        finally:
            pool.put(forker)

    before = dump(before_db)
    # Uninterrupted: counting the events, then without the killer at all (the same result),
    # then a second time (what a rerun after a kill that came after the COMMIT must give).
    measured = folder("measured")
    once_code = run(measured, every=every, events=work / "events.json", cache_pages=cache_pages,
                    patch=patch)  # fmt: skip
    assert once_code in (0, 3), (measured / "stderr.txt").read_text(encoding="utf-8")
    after = dump(measured / DB)
    assert after != before, "the command changed nothing: nothing to crash"
    plain = folder("plain")
    assert run(plain, armed=False) == once_code
    assert dump(plain / DB) == after, "two uninterrupted runs differ outside the time columns"
    twice_code = run(plain, armed=False)
    twice = dump(plain / DB)

    events = json.loads((work / "events.json").read_text(encoding="utf-8"))
    chosen = choose(events)
    b_data, b_audit = split(before)
    a_data, a_audit = split(after)

    def kill(number: int, expected: str) -> Point:
        point = Point(number, events[number - 1], expected)
        where = folder(f"kill-{number}")
        point.returncode = run(where, kill_at=number, every=every, cache_pages=cache_pages,
                               patch=patch)  # fmt: skip
        wal = where / f"{DB}-wal"
        point.wal_bytes = wal.stat().st_size if wal.exists() else 0
        point.stderr = (where / "stderr.txt").read_text(encoding="utf-8")
        # The files as the killed process left them are checked on a copy; the original is left
        # for the rerun, which must itself recover the hot WAL.
        seen = copy_db(where / DB, work / f"seen-{number}.db")
        point.integrity, point.foreign = soundness(seen)
        s_data, s_audit = split(dump(seen))
        point.data = side(s_data, b_data, a_data)
        point.audit = side(s_audit, b_audit, a_audit)
        point.audit_matches = s_audit == {"before": b_audit, "after": a_audit}.get(point.data)
        point.rerun_code = run(where, armed=False)
        want = (once_code, after) if point.data == "before" else (twice_code, twice)
        point.rerun_ok = (point.rerun_code, dump(where / DB)) == want
        return point

    with ThreadPoolExecutor(max_workers=pool.qsize()) as ex:
        points = list(ex.map(lambda c: kill(*c), chosen))
    return Outcome(command, len(events), points)


def check(outcome: Outcome) -> None:
    print(f"\n{outcome.line()} ({outcome.events} events)")
    assert len({p.number for p in outcome.points}) >= 20
    for p in outcome.points:
        what = (outcome.command, p.number, p.event, f"data {p.data}, audit log {p.audit}",
                p.stderr[-500:])  # fmt: skip
        assert p.returncode == -signal.SIGKILL, what  # the point was reached: a real kill
        assert p.integrity == [("ok",)], what
        assert p.foreign == [], what
        assert p.data == p.expected, what  # never "neither", and the COMMIT is the boundary
        assert p.audit_matches, what  # the audit log goes with the data
        assert p.rerun_ok, (*what, p.rerun_code)
    assert len(outcome.died) >= 20
    assert outcome.count("before") >= 10 and outcome.count("after") >= 2


# ----------------------------------------------------------------------------- import

ROWS = 300
# The importer checks and writes a table CHUNK_ROWS rows at a time (20,000), all in the file's
# one transaction: with 64 here, the 300 rows go in five chunks, and kills fall between them.
SMALL_CHUNKS: dict[str, object] = {"dangvien_cli.importing.tables:CHUNK_ROWS": 64}


def test_import_into_an_empty_database_killed_anywhere(forkers, tmp_path):
    from dangvien_cli.db.engine import open_database

    empty = tmp_path / "empty.db"
    open_database(str(empty)).close()
    roster_file = roster(tmp_path / "roster.xlsx", ROWS)

    outcome = crash_test(forkers, tmp_path, "import (empty database)", checkpointed(empty),
                         [roster_file], ["import", roster_file.name, "--json"], every=1000,
                         cache_pages=8, patch=SMALL_CHUNKS)  # fmt: skip

    check(outcome)
    assert outcome.spilled >= 5  # kills with half a roster in the WAL, uncommitted


def test_bulk_import_into_an_empty_database_killed_anywhere(forkers, tmp_path):
    """The bulk path (roster/sqlite_bulk: indexes dropped, rows copied from temporary tables,
    indexes made again), which a first import of BULK_ROWS rows (2,000) takes: at 100 here, the
    300 rows take it in five chunks. The plain run without the patch (the row-by-row path) must
    give the same tables."""
    from dangvien_cli.db.engine import open_database

    empty = tmp_path / "empty.db"
    open_database(str(empty)).close()
    roster_file = roster(tmp_path / "roster.xlsx", ROWS)
    bulk = {**SMALL_CHUNKS, "dangvien_cli.roster.sqlite_bulk:BULK_ROWS": 100}

    outcome = crash_test(forkers, tmp_path, "import (bulk path)", checkpointed(empty),
                         [roster_file], ["import", roster_file.name, "--json"], every=1000,
                         cache_pages=8, patch=bulk)  # fmt: skip

    check(outcome)
    events = json.loads((tmp_path / "events.json").read_text(encoding="utf-8"))
    assert "sql DROP" in events and "sql CREATE" in events  # the indexes dropped and made again


def test_import_of_next_terms_roster_killed_anywhere(forkers, tmp_path):
    """The same students in term II, with a second sheet of dossier steps (a progress sheet)."""
    first = roster(tmp_path / "hk1.xlsx", ROWS)
    db = build(tmp_path / "start.db", ["import", first, "--json"],
               ["record", code(15), "lop-boi-duong", "--date", "20/10/2024"])  # fmt: skip
    steps = [[code(i), None, dt.date(2024, 10, 20), f"CN-{i}", "Trần Văn Hùng",
              dt.date(2024, 11, 1)] for i in range(0, ROWS, 15)]  # fmt: skip
    second = xlsx_sheets(
        tmp_path / "hk2.xlsx",
        {"Danh sách": list(rows(ROWS, term="II", next_term=True)), "Tiến độ": progress_rows(steps)},
    )

    outcome = crash_test(forkers, tmp_path, "import (next term's roster)", checkpointed(db),
                         [second], ["import", second.name, "--json"], every=1000,
                         patch=SMALL_CHUNKS)  # fmt: skip

    check(outcome)
    # The update really updated: classes moved, term II results, a corrected name, new students.
    changed = split(dump(tmp_path / "measured" / DB))[0]
    assert len(changed["student"]) == ROWS + 10
    assert len(changed["term_result"]) == 2 * ROWS + 10
    assert len(changed["milestone"]) == 1 + 2 * len(steps) - 1  # code(15)'s class was there


# ----------------------------------------------------------------------------- record


@pytest.fixture(scope="module")
def school_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A school with 300 students, three of them with steps recorded."""
    d = tmp_path_factory.mktemp("crash-record")
    return checkpointed(build(
        d / "school.db",
        ["import", roster(d / "bl.xlsx", 300), "--json"],
        ["record", code(5), "cam-tinh", "--date", "01/09/2024"],
        ["record", code(5), "lop-boi-duong", "--date", "20/10/2024", "--doc-number", "CN-1"],
        ["record", code(7), "lop-boi-duong", "--date", "20/10/2024", "--doc-number", "CN-2"],
    ))  # fmt: skip


def test_record_killed_anywhere(forkers, tmp_path, school_db):
    argv = ["record", code(5), "phan-cong-giup-do", "--date", "01/11/2024",
            "--mentor", "Trần Văn Hùng", "--json"]  # fmt: skip

    outcome = crash_test(forkers, tmp_path, "record", school_db, [], argv, every=10)

    check(outcome)


def test_record_replacing_a_step_killed_anywhere(forkers, tmp_path, school_db):
    argv = ["record", code(7), "lop-boi-duong", "--date", "21/10/2024", "--doc-number", "CN-2",
            "--replaces", "3", "--json"]  # fmt: skip

    outcome = crash_test(forkers, tmp_path, "record --replaces", school_db, [], argv, every=10)

    check(outcome)
    last = query(tmp_path / "measured" / DB, "SELECT replaces_id, on_date FROM milestone "
                 "ORDER BY id DESC LIMIT 1")  # fmt: skip
    assert last == [(3, "2024-10-21")]


# ----------------------------------------------------------------------------- merge


def test_merge_of_a_schools_file_killed_anywhere(forkers, tmp_path):
    """The province merged the school's file once; since then the school imported term II and
    recorded more steps (one a correction). The newer file is merged: additions and conflicts."""
    school = build(
        tmp_path / "thpt-binh-lu.db",
        ["unit", "add", "Tỉnh Lai Châu", "--kind", "tinh"],
        ["unit", "add", "Đảng ủy xã Bình Lư", "--kind", "xa", "--parent", "Tỉnh Lai Châu"],
        ["school", "add", "THPT Bình Lư", "--unit", "Bình Lư"],
        ["import", roster(tmp_path / "bl1.xlsx", 150), "--json"],
        ["record", code(5), "cam-tinh", "--date", "01/09/2024"],
        ["record", code(5), "lop-boi-duong", "--date", "20/10/2024", "--doc-number", "CN-1"],
    )
    province = build(
        tmp_path / "start.db",
        ["import", roster(tmp_path / "pt.xlsx", 100, school="TRƯỜNG THPT PHONG THỔ",
                          prefix="97"), "--json"],
        ["merge", school, "--json"],
    )  # fmt: skip
    build(
        school,
        ["import", roster(tmp_path / "bl2.xlsx", 150, term="II", next_term=True), "--json"],
        ["record", code(5), "lop-boi-duong", "--date", "21/10/2024", "--doc-number", "CN-1",
         "--replaces", "2"],
        ["record", code(9), "cam-tinh", "--date", "02/09/2024"],
        ["target", "set", "--school", "THPT Bình Lư", "--school-year", "2024-2025", "--class",
         "5", "--admitted", "1"],
    )  # fmt: skip
    checkpointed(school)

    outcome = crash_test(forkers, tmp_path, "merge", checkpointed(province), [school],
                         ["merge", school.name, "--json"], every=1000, cache_pages=8)  # fmt: skip

    check(outcome)
    assert outcome.spilled >= 5
    merged = query(tmp_path / "measured" / DB, "SELECT COUNT(*) FROM student")
    assert merged == [(100 + 160,)]


# ----------------------------------------------------------------------------- schema


def older_fixtures() -> list[Path]:
    """The committed databases of earlier schema revisions (tests/fixtures/schema-*.db) that the
    newest version has to upgrade."""
    from dangvien_cli.db.engine import HEAD_REVISION

    here = Path(__file__).resolve().parent / "fixtures"
    return [p for p in sorted(here.glob("schema-*.db")) if p.stem != f"schema-{HEAD_REVISION}"]


@pytest.mark.parametrize(
    "start",
    [None, *older_fixtures()],
    ids=lambda p: "new file" if p is None else p.name,
)
def test_creating_or_upgrading_the_schema_killed_anywhere(forkers, tmp_path, start):
    """The first command on a new file creates the schema, and on a file of an older version
    upgrades it, in one transaction: a kill leaves the file as it was, and the next command
    finishes the job."""
    before = tmp_path / "start.db"
    if start is None:
        before.touch()  # an empty file is an empty SQLite database
    else:
        shutil.copyfile(start, before)

    name = "new file" if start is None else start.name
    outcome = crash_test(forkers, tmp_path, f"schema ({name})", before, [], ["schools", "--json"],
                         every=50)  # fmt: skip

    check(outcome)


# ------------------------------------------------------------- the reader's child process


def _children(pid: int) -> list[int]:
    """The processes `pid` started (Linux: /proc/PID/task/*/children)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _is_reader_child(pid: int) -> bool:
    try:
        return b"probe_child.py" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the child in /proc")
def test_reader_child_killed_mid_read(tmp_path):
    """calamine's trial read runs in a child process (importing.sandbox); killed with SIGKILL
    while it reads, the import stops with exit 1 and "tệp quá lớn hoặc hỏng" naming the file,
    and the database is exactly as before."""
    import os
    import subprocess
    import time

    db = build(tmp_path / DB, ["import", roster(tmp_path / "first.xlsx", 20)])
    before = dump(checkpointed(db))
    big = roster(tmp_path / "lop-lon.xlsx", 150_000, prefix="97")
    command = [sys.executable, "-c", "from dangvien_cli.cli import main; main()",
               "--db", str(db), "import", str(big)]  # fmt: skip
    env = {**os.environ, "COLUMNS": "3000", "DANGVIEN_TODAY": TODAY}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and proc.poll() is None and time.monotonic() < deadline:
        for child in _children(proc.pid):
            if _is_reader_child(child):
                time.sleep(0.3)  # let it start reading
                os.kill(child, signal.SIGKILL)
                killed = child
                break
        else:
            time.sleep(0.02)
    _, err = proc.communicate(timeout=120)

    assert killed is not None, "the reader's child process never appeared"
    said = " ".join(err.decode("utf-8").split())
    assert proc.returncode == 1, said
    assert "lop-lon.xlsx: tệp quá lớn hoặc hỏng" in said
    assert "Traceback" not in said
    assert dump(db) == before
    assert soundness(db) == ([("ok",)], [])
