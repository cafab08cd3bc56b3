"""Measure `dangvien import`, `eligible` and `report` against the goals of issues 2 and 5.

    python benchmarks/run.py [--rows 100000] [--repeat 3] [--with-reference]
    python benchmarks/run.py --queries [--province-schools 556] [--query-repeat 5]
    python benchmarks/run.py --queries-only [--province-schools 556]

Generates one roster (benchmarks/make_roster.py) into benchmarks/out/, then times, each run a
fresh subprocess with its start-up included:

1. the floor: python-calamine reads the file, sqlite3 `executemany` inserts its rows into one
   table in one transaction in an empty file;
2. `dangvien --db NEW.db import FILE` (first import into an empty SQLite file);
3. the same command again into that database (every row unchanged);
4. with --with-reference: openpyxl read-only + one SQLModel object per row (slow);
5. `dangvien --help`, and `dangvien --db DB schools` on an empty database, start-up only;
6. with --queries (or --queries-only, which skips 1-4): a synthetic province
   (benchmarks/make_province.py, --province-schools × 40 classes × 45 students, 556 ≈ 1,000,000)
   and on it `dangvien eligible --as-of D --json` and `dangvien report --year Y --as-of D --json`;
   with --with-reference also `eligible --all --json` (every student judged in Python).

Prints a table (median seconds, ratio to the floor, the goal, peak RSS of each subprocess) and
writes the same to benchmarks/out/results.json. Uses only the stdlib to measure; the
subprocesses use python-calamine, openpyxl and sqlmodel from the interpreter running this script.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
GENERATOR = HERE / "make_roster.py"
PROVINCE_GENERATOR = HERE / "make_province.py"

HELP_GOAL_S = 0.150
SCHOOLS_GOAL_S = 0.450
MILLION_GOAL_S = 20.0
MILLION_GOAL_RSS_MB = 1200.0
QUERY_GOAL_S = 1.5  # eligible --json and report --year over 1,000,000 students
AS_OF = "20/05/2025"  # a chi bộ meeting late in school year 2024-2025 (the province's year)
REPORT_YEAR = 2025

# The floor: the least any importer has to do — read the cells, put them in SQLite.
FLOOR = r"""
import sqlite3
import sys
from datetime import date

from python_calamine import CalamineWorkbook

path, db = sys.argv[1], sys.argv[2]
rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
start = next(i for i, r in enumerate(rows) if r and r[0] == "STT") + 1
width = len(rows[start - 1])
con = sqlite3.connect(db)
con.execute(f"CREATE TABLE roster ({', '.join(f'c{i}' for i in range(width))})")
with con:
    con.executemany(
        f"INSERT INTO roster VALUES ({', '.join('?' * width)})",
        ([v.isoformat() if isinstance(v, date) else v for v in r] for r in rows[start:]),
    )
print(con.execute("SELECT count(*) FROM roster").fetchone()[0])
"""

# The reference of issue 5: openpyxl read-only and one ORM object per row.
REFERENCE = r"""
import sys
from datetime import date, datetime

from openpyxl import load_workbook
from sqlmodel import Field, Session, SQLModel, create_engine


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    dob: date | None = None
    code: str | None = Field(default=None, index=True)


path, db = sys.argv[1], sys.argv[2]
engine = create_engine(f"sqlite:///{db}")
SQLModel.metadata.create_all(engine)
sheet = load_workbook(path, read_only=True).worksheets[0]
header = None
count = 0
with Session(engine) as session:
    for row in sheet.iter_rows(values_only=True):
        if header is None:
            if row and row[0] == "STT":
                header = {h: i for i, h in enumerate(row)}
            continue
        dob = row[header["Ngày sinh"]]
        if isinstance(dob, datetime):
            dob = dob.date()
        elif isinstance(dob, str):
            dob = datetime.strptime(dob, "%d/%m/%Y").date()
        session.add(Person(name=row[header["Họ và tên"]], dob=dob, code=row[header["Mã học sinh"]]))
        count += 1
    session.commit()
print(count)
"""


@dataclass
class Run:
    seconds: float
    cpu_s: float  # user + system time of the child: less sensitive to other load
    max_rss_mb: float
    returncode: int
    output: str


@dataclass
class Line:
    key: str
    work: str
    runs: list[Run] = field(default_factory=list)
    goal: str = ""
    goal_s: float | None = None
    met: bool | None = None
    ratio: float | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(r.cpu_s for r in self.runs)

    @property
    def peak_rss_mb(self) -> float:
        return max(r.max_rss_mb for r in self.runs)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "work": self.work,
            "median_s": round(self.median, 4),
            "runs_s": [round(r.seconds, 4) for r in self.runs],
            "cpu_median_s": round(self.cpu_median, 4),
            "cpu_runs_s": [round(r.cpu_s, 4) for r in self.runs],
            "ratio_to_floor": None if self.ratio is None else round(self.ratio, 3),
            "goal": self.goal or None,
            "goal_s": None if self.goal_s is None else round(self.goal_s, 4),
            "goal_met": self.met,
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "rss_runs_mb": [round(r.max_rss_mb, 1) for r in self.runs],
            "note": self.note or None,
        }


def measure(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> Run:
    """Run cmd once; wall time from spawn to exit, and the peak RSS of that one child."""
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        if hasattr(os, "wait4"):
            # wait4 gives this child's own rusage; RUSAGE_CHILDREN would be the maximum over
            # every child so far (the generator, the reference…).
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            maxrss = usage.ru_maxrss
            cpu = usage.ru_utime + usage.ru_stime
        else:  # pragma: no cover - not Linux/macOS
            proc.wait()
            elapsed = time.perf_counter() - started
            import resource

            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            maxrss = children.ru_maxrss
            cpu = float("nan")
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    rss_mb = maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024
    output = log.read_text(encoding="utf-8", errors="replace")
    return Run(elapsed, cpu, rss_mb, proc.returncode, output)


def fresh(path: Path) -> Path:
    """path, with it and its SQLite companions (-wal, -shm, -journal) removed."""
    for p in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        p.unlink(missing_ok=True)
    return path


def last_batch(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        row = con.execute(
            "SELECT rows, created, updated, unchanged, rejected FROM import_batch "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return dict(zip(("rows", "created", "updated", "unchanged", "rejected"), row, strict=True))


def check(run: Run, what: str) -> None:
    if run.returncode != 0:
        tail = "\n".join(run.output.splitlines()[-20:])
        raise SystemExit(f"{what} failed with exit code {run.returncode}:\n{tail}")


def roster_file(rows: int, seed: int, regenerate: bool) -> tuple[Path, float | None]:
    """The roster for these rows and seed, generated unless an identical one is there."""
    path = OUT / f"roster-{rows}-s{seed}.xlsx"
    meta_path = path.with_name(path.name + ".json")
    meta = {
        "rows": rows,
        "seed": seed,
        "generator_sha256": hashlib.sha256(GENERATOR.read_bytes()).hexdigest(),
    }
    if not regenerate and path.exists() and meta_path.exists():
        try:
            if json.loads(meta_path.read_text())["meta"] == meta:
                return path, None
        except (ValueError, KeyError):
            pass
    print(f"generating {path.relative_to(HERE.parent)} ({rows:,} rows)…", file=sys.stderr)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(GENERATOR), str(path), "--rows", str(rows), "--seed", str(seed)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    took = time.perf_counter() - started
    meta_path.write_text(json.dumps({"meta": meta, "seconds": round(took, 2)}))
    return path, took


@dataclass
class Province:
    path: Path
    students: int
    milestones: int
    generated_s: float | None

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path.relative_to(HERE.parent)),
            "file_mb": round(self.path.stat().st_size / 1e6, 1),
            "students": self.students,
            "milestones": self.milestones,
            "generated_s": self.generated_s,
        }


def province_file(schools: int, seed: int) -> Province:
    """The province of make_province.py (cached in out/ by its parameters, its source and the
    migrations'), generated when missing."""
    say(f"province of {schools} schools: benchmarks/make_province.py (cached in out/)…")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(PROVINCE_GENERATOR), "--schools", str(schools), "--seed", str(seed)],
        check=True,
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - started
    path = Path(done.stdout.strip().splitlines()[-1])
    con = sqlite3.connect(path)
    try:
        students = con.execute("SELECT count(*) FROM student").fetchone()[0]
        milestones = con.execute("SELECT count(*) FROM milestone").fetchone()[0]
    finally:
        con.close()
    generated = round(took, 1) if took > 5 else None  # a cached file answers in a second
    return Province(path, int(students), int(milestones), generated)


def measure_queries(
    args: argparse.Namespace,
    dangvien: str,
    env: dict[str, str],
    province: Province,
    help_s: float,
) -> list[Line]:
    """eligible --json and report --year on the province; each run's output is checked."""
    runs_dir = OUT / "runs-province"
    runs_dir.mkdir(parents=True, exist_ok=True)
    db = ["--db", str(province.path)]
    n = f"{province.students:,} students"
    eligible = Line("eligible", f"dangvien eligible --json (the eligible), {n}")
    report = Line(
        "report",
        f"dangvien report --year {args.report_year} --json, {n}, "
        f"{province.milestones:,} milestones",
    )
    eligible_cmd = [dangvien, *db, "eligible", "--as-of", args.as_of, "--json"]
    report_cmd = [
        dangvien, *db, "report", "--year", str(args.report_year), "--as-of", args.as_of, "--json",
    ]  # fmt: skip
    found: dict[str, set[int]] = {"eligible": set(), "report": set()}

    def eligible_check(run: Run) -> None:
        check(run, "dangvien eligible")
        rows = json.loads(run.output)
        if not rows or not all(row["eligible"] for row in rows):
            raise SystemExit("eligible --json should list some students, all eligible")
        found["eligible"].add(len(rows))

    def report_check(run: Run) -> None:
        check(run, "dangvien report")
        totals = json.loads(run.output)["totals"]
        if totals["students"] < province.students // 2:
            raise SystemExit(f"the report counted {totals['students']} students: {totals}")
        found["report"].add(totals["eligible"])

    # One untimed run of each first: the file's pages in the page cache, as for every run.
    eligible_check(measure(eligible_cmd, runs_dir / "eligible.json", env))
    report_check(measure(report_cmd, runs_dir / "report.json", env))
    for i in range(1, args.query_repeat + 1):
        run = measure(eligible_cmd, runs_dir / "eligible.json", env)
        eligible_check(run)
        eligible.runs.append(run)
        say(f"[{i}/{args.query_repeat}] eligible  {run.seconds:7.2f} s  {run.max_rss_mb:5.0f} MB")
        run = measure(report_cmd, runs_dir / "report.json", env)
        report_check(run)
        report.runs.append(run)
        say(f"[{i}/{args.query_repeat}] report    {run.seconds:7.2f} s  {run.max_rss_mb:5.0f} MB")
    if len(found["eligible"]) != 1 or len(found["report"]) != 1:
        raise SystemExit(f"the runs disagree: {found}")
    lines = [eligible, report]
    for line in lines:
        line.goal_s = QUERY_GOAL_S * max(1.0, province.students / 1_000_000)
        line.goal = f"≤ {line.goal_s:.1f} s"
        line.met = line.median <= line.goal_s
    eligible.note = (
        f"{found['eligible'].pop():,} eligible at {args.as_of}; "
        f"minus --help ({help_s * 1000:.0f} ms): {eligible.median - help_s:.2f} s"
    )
    report.note = (
        f"{found['report'].pop():,} eligible at {args.as_of}; "
        f"minus --help: {report.median - help_s:.2f} s"
    )
    if args.with_reference:
        everyone = Line("eligible_all", f"reference: dangvien eligible --all --json, {n}")
        run = measure([*eligible_cmd, "--all"], runs_dir / "eligible-all.json", env)
        check(run, "dangvien eligible --all")
        everyone.runs.append(run)
        everyone.note = "every student judged in Python, one run"
        say(f"[1/1] eligible --all {run.seconds:7.2f} s  {run.max_rss_mb:7.0f} MB")
        lines.append(everyone)
    return lines


def find_dangvien(given: str | None) -> str:
    if given:
        return given
    beside = Path(sys.executable).parent / "dangvien"
    if beside.exists():
        return str(beside)
    found = shutil.which("dangvien")
    if found is None:
        raise SystemExit("dangvien not found: install the package, or pass --dangvien PATH")
    return found


def versions() -> dict[str, str]:
    out = {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
    }
    for dist in ("dangvien", "python-calamine", "openpyxl", "SQLAlchemy", "sqlmodel", "typer"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "-"
    return out


def source_state() -> dict[str, Any]:
    """Which code was measured: the commit, whether src/ differs from it, a hash of src/."""
    root = HERE.parent
    digest = hashlib.sha256()
    for path in sorted((root / "src").rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    state: dict[str, Any] = {"src_sha256": digest.hexdigest()[:16], "commit": None, "dirty": None}
    try:
        git = ["git", "--no-optional-locks", "-C", str(root)]  # read-only: no index refresh
        state["commit"] = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            [*git, "status", "--porcelain", "--", "src"], capture_output=True, text=True, check=True
        ).stdout
        state["dirty"] = bool(changed.strip())
    except (OSError, subprocess.CalledProcessError):
        pass
    return state


def load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="roster rows (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument(
        "--startup-repeat", type=int, default=10, help="runs per start-up measurement (default 10)"
    )
    parser.add_argument(
        "--with-reference",
        action="store_true",
        help="also time openpyxl + one ORM object per row (about 20 s per 100,000 rows); "
        "with --queries, eligible --all --json once (every student judged in Python)",
    )
    parser.add_argument("--seed", type=int, default=2024, help="generator seed (default 2024)")
    parser.add_argument("--regenerate", action="store_true", help="write the roster again")
    parser.add_argument("--dangvien", help="the dangvien executable (default: beside python)")
    parser.add_argument("--keep", action="store_true", help="keep the databases in out/runs-ROWS/")
    parser.add_argument(
        "--output",
        type=Path,
        default=OUT / "results.json",
        help="where to write the JSON results (default benchmarks/out/results.json)",
    )
    parser.add_argument(
        "--queries", action="store_true", help="also time eligible and report on a province"
    )
    parser.add_argument(
        "--queries-only", action="store_true", help="time eligible and report only (no import)"
    )
    parser.add_argument(
        "--province-schools",
        type=int,
        default=556,
        help="schools in the province, 1,800 students each (default 556: 1,000,800 students)",
    )
    parser.add_argument(
        "--query-repeat", type=int, default=5, help="runs of each query measurement (default 5)"
    )
    parser.add_argument("--as-of", default=AS_OF, help=f"the meeting day (default {AS_OF})")
    parser.add_argument(
        "--report-year", type=int, default=REPORT_YEAR, help=f"default {REPORT_YEAR}"
    )
    args = parser.parse_args()
    if args.repeat < 1 or args.startup_repeat < 1 or args.rows < 1 or args.query_repeat < 1:
        parser.error("--rows, --repeat, --startup-repeat and --query-repeat must be at least 1")
    if args.province_schools < 1:
        parser.error("--province-schools must be at least 1")
    imports = not args.queries_only
    queries = args.queries or args.queries_only

    dangvien = find_dangvien(args.dangvien)
    runs_dir = OUT / f"runs-{args.rows}"
    runs_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "DANGVIEN_DB"}
    env["COLUMNS"] = "120"
    env["PYTHONWARNINGS"] = "ignore"

    roster, generated_s = (
        roster_file(args.rows, args.seed, args.regenerate) if imports else (None, None)
    )
    province = province_file(args.province_schools, args.seed) if queries else None
    source = source_state()
    load_before = load()
    file_arg = str(roster)

    floor = Line("floor", "floor: calamine read + sqlite3 executemany, 1 transaction")
    first = Line("import", "dangvien import, empty SQLite file")
    again = Line("reimport", "dangvien import again, all rows unchanged")
    reference = Line("reference", "reference: openpyxl read-only + 1 ORM object per row")
    help_line = Line("help", "dangvien --help")
    schools_empty = Line("schools", "dangvien schools, empty database")
    schools_new = Line("schools_new_file", "dangvien schools, new 0-byte file (creates schema)")

    for i in range(1, args.repeat + 1 if imports else 1):
        db = fresh(runs_dir / "floor.db")
        run = measure([sys.executable, "-c", FLOOR, file_arg, str(db)], runs_dir / "floor.log")
        check(run, "the floor")
        if int(run.output.split()[-1]) != args.rows:
            raise SystemExit(f"the floor inserted {run.output.split()[-1]} rows, not {args.rows}")
        floor.runs.append(run)
        say(f"[{i}/{args.repeat}] floor        {run.seconds:7.2f} s  {run.max_rss_mb:7.0f} MB")

        db = fresh(runs_dir / f"import-{i}.db")
        cmd = [dangvien, "--db", str(db), "import", file_arg]
        run = measure(cmd, runs_dir / "import.log", env)
        check(run, "the first import")
        counts = last_batch(db)
        if counts["created"] != args.rows or counts["rejected"]:
            raise SystemExit(f"the first import should create {args.rows} students: {counts}")
        first.runs.append(run)
        say(f"[{i}/{args.repeat}] import       {run.seconds:7.2f} s  {run.max_rss_mb:7.0f} MB")

        run = measure(cmd, runs_dir / "reimport.log", env)
        check(run, "the re-import")
        counts = last_batch(db)
        if counts["unchanged"] != args.rows or counts["rejected"] or counts["updated"]:
            raise SystemExit(f"the re-import should leave {args.rows} rows unchanged: {counts}")
        again.runs.append(run)
        say(f"[{i}/{args.repeat}] re-import    {run.seconds:7.2f} s  {run.max_rss_mb:7.0f} MB")
        if not args.keep:
            fresh(db)

    if args.with_reference and imports:
        for i in range(1, args.repeat + 1):
            db = fresh(runs_dir / "reference.db")
            run = measure(
                [sys.executable, "-c", REFERENCE, file_arg, str(db)], runs_dir / "reference.log"
            )
            check(run, "the reference")
            if int(run.output.split()[-1]) != args.rows:
                raise SystemExit(f"the reference stored {run.output.split()[-1]} rows")
            reference.runs.append(run)
            say(f"[{i}/{args.repeat}] reference    {run.seconds:7.2f} s  {run.max_rss_mb:7.0f} MB")
            if not args.keep:
                fresh(db)

    # Start-up: one untimed run of each first, so that every timed run finds warm caches.
    empty_db = fresh(runs_dir / "empty.db")
    check(measure([dangvien, "--help"], runs_dir / "help.log", env), "dangvien --help")
    check(
        measure([dangvien, "--db", str(empty_db), "schools"], runs_dir / "schools.log", env),
        "dangvien schools",
    )
    for _ in range(args.startup_repeat):
        run = measure([dangvien, "--help"], runs_dir / "help.log", env)
        check(run, "dangvien --help")
        help_line.runs.append(run)
        run = measure([dangvien, "--db", str(empty_db), "schools"], runs_dir / "schools.log", env)
        check(run, "dangvien schools")
        schools_empty.runs.append(run)
        new_db = fresh(runs_dir / "new.db")
        new_db.touch()
        run = measure([dangvien, "--db", str(new_db), "schools"], runs_dir / "schools.log", env)
        check(run, "dangvien schools on a new file")
        schools_new.runs.append(run)
    say(f"start-up: {args.startup_repeat} runs each of --help, schools, schools on a new file")
    if not args.keep:
        fresh(empty_db)
        fresh(runs_dir / "new.db")
        fresh(runs_dir / "floor.db")

    query_lines = (
        measure_queries(args, dangvien, env, province, help_line.median) if province else []
    )

    # Goals.
    if imports:
        floor_s = floor.median
        for line in (first, again, reference):
            if line.runs:
                line.ratio = line.median / floor_s
        first.goal_s = 2 * floor_s
        first.goal = f"≤ 2 × floor = {first.goal_s:.2f} s"
        first.met = first.median <= first.goal_s
        if args.rows >= 1_000_000:
            first.goal_s = min(first.goal_s, MILLION_GOAL_S * args.rows / 1_000_000)
            first.goal += f"; ≤ 20 s and ≤ {MILLION_GOAL_RSS_MB:.0f} MB per 1M rows"
            first.met = (
                first.median <= first.goal_s
                and first.peak_rss_mb <= MILLION_GOAL_RSS_MB * args.rows / 1_000_000
            )
        again.goal_s = first.median
        again.goal = f"≤ first import = {first.median:.2f} s"
        again.met = again.median <= again.goal_s
    help_line.goal_s = HELP_GOAL_S
    help_line.goal = f"≤ {HELP_GOAL_S * 1000:.0f} ms"
    help_line.met = help_line.median <= HELP_GOAL_S
    for line in (schools_empty, schools_new):
        line.goal_s = SCHOOLS_GOAL_S
        line.goal = f"≤ {SCHOOLS_GOAL_S * 1000:.0f} ms"
        line.met = line.median <= SCHOOLS_GOAL_S
    schools_new.note = "the goal's wording ('an empty file') may mean this one"

    lines = [floor, first, again] if imports else []
    if reference.runs:
        lines.append(reference)
    lines += [help_line, schools_empty, schools_new, *query_lines]

    load_after = load()
    source_after = source_state()
    if source_after["src_sha256"] != source["src_sha256"]:
        source["changed_during_run"] = source_after
        say("warning: src/ changed during the run; the numbers mix two versions of the code")
    print_table(lines, args, roster, province)
    dirty = " + uncommitted changes in src/" if source["dirty"] else ""
    if "changed_during_run" in source:
        dirty += " — CHANGED DURING THE RUN"
    print(
        f"\ncode: commit {source['commit']}{dirty} (src sha256 {source['src_sha256']}); "
        f"load average before {load_before}, after {load_after}"
    )
    results = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": args.rows,
        "repeat": args.repeat,
        "startup_repeat": args.startup_repeat,
        "file": None if roster is None else str(roster.relative_to(HERE.parent)),
        "file_mb": None if roster is None else round(roster.stat().st_size / 1e6, 2),
        "province": None if province is None else province.as_json(),
        "generated_s": None if generated_s is None else round(generated_s, 2),
        "machine": versions(),
        "source": source,
        "load_average": {"before": load_before, "after": load_after},
        "results": [line.as_json() for line in lines],
    }
    out: Path = args.output
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {out}")


def _secs(secs: float) -> str:
    return f"{secs:.2f} s" if secs >= 1 else f"{secs * 1000:.0f} ms"


def print_table(
    lines: list[Line], args: argparse.Namespace, roster: Path | None, province: Province | None
) -> None:
    mach = versions()
    what = []
    if roster is not None:
        what.append(
            f"{args.rows:,} rows ({roster.stat().st_size / 1e6:.1f} MB .xlsx), medians of "
            f"{args.repeat} run(s)"
        )
    if province is not None:
        what.append(
            f"province of {province.students:,} students, {province.milestones:,} milestones "
            f"({province.path.stat().st_size / 1e6:.0f} MB), medians of {args.query_repeat} run(s)"
        )
    print(
        f"\n{'; '.join(what)} ({args.startup_repeat} for start-up); {mach['cpus']} CPUs, "
        f"Python {mach['python']}, SQLite {mach['sqlite']}, calamine {mach['python-calamine']}\n"
    )
    header = ("work", "median", "× floor", "goal", "met", "CPU", "peak RSS", "runs")
    table = []
    for line in lines:
        secs = line.median
        table.append(
            (
                line.work,
                _secs(secs),
                "" if line.ratio is None else f"{line.ratio:.2f}",
                line.goal,
                "" if line.met is None else ("yes" if line.met else "NO"),
                _secs(line.cpu_median),
                f"{line.peak_rss_mb:.0f} MB",
                " ".join(f"{r.seconds:.2f}" for r in line.runs[:5])
                + (" …" if len(line.runs) > 5 else ""),
            )
        )
    widths = [max(len(row[i]) for row in (header, *table)) for i in range(len(header))]
    right = {1, 2, 5, 6}

    def fmt(row: tuple[str, ...]) -> str:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    print(fmt(header))
    print("  ".join("-" * w for w in widths))
    for row in table:
        print(fmt(row))
    for line in lines:
        if line.note:
            print(f"  {line.key}: {line.note}")


if __name__ == "__main__":
    main()
