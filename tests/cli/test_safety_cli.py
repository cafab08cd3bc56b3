"""`dangvien backup`, `dangvien check`, `dangvien audit` and the warning about a file others can
read (issue 6): each promise through the command line, on real SQLite files."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builders import Kid, big_roster, copy_db, plain_roster, run_on
from dbcheck import query

D = dt.date
TODAY = "01/06/2025"
MAIN = "from dangvien_cli.cli import main; main()"

LAN = Kid("1710000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt")
HUNG = Kid(
    "1710000002", "Trần Văn Hùng", D(2007, 1, 20), "Nam", "Kinh", "12A1", True, "Giỏi", "Tốt"
)
NHO = Kid("1710000003", "Lò Văn Nhỏ", D(2008, 9, 20), "Nam", "Thái", "12A1", True, "Khá", "Tốt")


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", TODAY)


@pytest.fixture(scope="module")
def school_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One school, three students; Lan's dossier complete and in order. Built once."""
    directory = tmp_path_factory.mktemp("safety")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DANGVIEN_TODAY", TODAY)
        return run_on(
            directory / "dangvien.db",
            ["import", plain_roster(directory / "bl.xlsx", [LAN, HUNG, NHO]).path, "--json"],
            ["record", LAN.code, "chi-bo-de-nghi", "--date", "20/03/2025"],
            ["record", LAN.code, "dang-uy-co-so", "--date", "25/03/2025"],
            ["record", LAN.code, "quyet-dinh-ket-nap", "--date", "01/04/2025"],
            ["record", LAN.code, "le-ket-nap", "--date", "10/04/2025"],
        )


@pytest.fixture
def school(school_db: Path, db_path: Path) -> Path:
    return copy_db(school_db, db_path)


def person_id(db: Path, code: str | None) -> int:
    return int(query(db, "SELECT person_id FROM student WHERE student_code = ?", code)[0][0])


def insert_milestone(db: Path, code: str | None, step: str, on: str, **extra: object) -> int:
    """A milestone written straight into the file, as the CLI would refuse to."""
    con = sqlite3.connect(db)
    try:
        columns = {"person_id": person_id(db, code), "step": step, "on_date": on,
                   "recorded_at": "2025-05-01 10:00:00.000000", **extra}  # fmt: skip
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        cur = con.execute(
            f"INSERT INTO milestone ({names}) VALUES ({marks})", list(columns.values())
        )
        con.commit()
        assert cur.lastrowid is not None
        return cur.lastrowid
    finally:
        con.close()


# ----------------------------------------------------------------------------- help and docs


@pytest.mark.parametrize("name", ["backup", "check", "audit"])
def test_help_has_examples_and_the_readme_shows_the_command(run, name):
    result = run(name, "--help")

    assert result.exit_code == 0, result.output
    assert "Ví dụ" in result.stdout and f"dangvien {name}" in result.stdout
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"### `dangvien {name}" in readme


# ----------------------------------------------------------------------------- backup


def integrity(db: Path) -> str:
    return str(query(db, "PRAGMA integrity_check")[0][0])


@pytest.mark.usefixtures("school")
def test_backup_copies_everything_owner_only(run, db_path, tmp_path):
    target = tmp_path / "sao-luu" / "copy.db"
    target.parent.mkdir()

    result = run.ok("backup", target)

    assert str(target) in result.stdout and "KB" in result.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert integrity(target) == "ok"
    for table in ("student", "milestone", "audit_log"):
        sql = f"SELECT * FROM {table} ORDER BY id"
        assert query(target, sql) == query(db_path, sql)
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.db"]  # no temp file left
    assert run.json("--db", target, "students", "--school", "binh lu")  # a usable database


@pytest.mark.usefixtures("school")
@pytest.mark.skipif(os.name != "posix", reason="process ids of dead processes are POSIX here")
def test_backup_removes_what_a_killed_backup_left_and_nothing_else(run, tmp_path):
    target = tmp_path / "copy.db"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = tmp_path / f".copy.db.tmp-{dead.pid}"  # a backup killed while writing
    left.write_bytes(b"SQLite format 3\0 half")
    alive = tmp_path / f".copy.db.tmp-{os.getppid()}"  # another backup under way right now
    alive.write_bytes(b"in progress")

    run.ok("backup", target)

    assert not left.exists()
    assert alive.exists()
    assert integrity(target) == "ok"


@pytest.mark.usefixtures("school")
def test_backup_refuses_an_existing_file_unless_forced(run, tmp_path):
    target = tmp_path / "copy.db"
    target.write_text("ảnh chụp quan trọng", encoding="utf-8")

    refused = run("backup", target)

    assert refused.exit_code == 2
    assert "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "ảnh chụp quan trọng"

    target.chmod(0o644)
    run.ok("backup", target, "--force")

    assert integrity(target) == "ok"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_backup_of_a_missing_database_fails(run, tmp_path):
    result = run("--db", tmp_path / "khong-co.db", "backup", tmp_path / "copy.db")

    assert result.exit_code == 1
    assert "khong-co.db" in result.stderr
    assert not (tmp_path / "copy.db").exists() and not (tmp_path / "khong-co.db").exists()


def test_backup_of_postgresql_explains_pg_dump_without_the_password(run, tmp_path):
    url = "postgresql+psycopg://canbo:matkhau-bi-mat@10.0.0.5:5433/tinh_lai_chau"

    result = run("--db", url, "backup", tmp_path / "copy.db")

    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "pg_dump -h 10.0.0.5 -p 5433 -U canbo" in message
    assert "tinh_lai_chau" in message
    assert "matkhau" not in result.output
    assert not (tmp_path / "copy.db").exists()


WRITER = """
import sqlite3, sys, time
from pathlib import Path
db, stop = sys.argv[1], Path(sys.argv[2])
con = sqlite3.connect(db, timeout=30, isolation_level=None)
n = 0
while not stop.exists():
    con.execute("BEGIN IMMEDIATE")
    for _ in range(200):
        con.execute(
            "INSERT INTO audit_log (at, os_user, command, action, entity, changes) "
            "VALUES ('2025-05-01 10:00:00.000000', 'writer', 'loop', 'test', 'row', ?)",
            ('{"n": %d, "padding": "%s"}' % (n, "x" * 300),),
        )
        n += 1
    con.execute("COMMIT")
    if n == 200:
        print("ready", flush=True)
print(n, flush=True)
"""


def test_backup_while_another_process_writes(run, db_path, tmp_path):
    run.ok("schools")  # creates the database
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        counts = []
        for i in range(5):
            copy = tmp_path / f"copy-{i}.db"
            run.ok("backup", copy)
            assert integrity(copy) == "ok"
            assert query(copy, "PRAGMA foreign_key_check") == []
            rows = query(copy, "SELECT COUNT(*), MAX(id) FROM audit_log WHERE os_user = 'writer'")
            count, last = rows[0]
            assert count == last and count % 200 == 0  # whole transactions only
            counts.append(count)
            time.sleep(0.05)
    finally:
        stop.touch()
        out, _ = writer.communicate(timeout=60)
    assert writer.returncode == 0
    written = int(out.split()[-1])
    assert counts == sorted(counts) and counts[0] > 0 and counts[-1] <= written
    assert counts[-1] > counts[0]  # the copies were taken while the writer went on


def test_backup_during_an_import_holds_all_of_it_or_none(run, db_path, tmp_path):
    run.ok("schools")
    roster = big_roster(tmp_path / "lon.xlsx", 4000)
    importer = subprocess.Popen(
        [sys.executable, "-c", MAIN, "--db", str(db_path), "import", str(roster), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    try:
        i = 0
        while importer.poll() is None or i == 0:
            copy = tmp_path / f"copy-{i}.db"
            run.ok("backup", copy)
            assert integrity(copy) == "ok"
            seen.append(int(query(copy, "SELECT COUNT(*) FROM student")[0][0]))
            i += 1
    finally:
        _, err = importer.communicate(timeout=120)
    assert importer.returncode == 0, err
    assert len(seen) > 1  # copies were taken while the import ran
    assert set(seen) <= {0, 4000}
    final = tmp_path / "final.db"
    run.ok("backup", final)
    assert query(final, "SELECT COUNT(*) FROM student") == [(4000,)]


# ----------------------------------------------------------------------------- check


@pytest.mark.usefixtures("school")
def test_check_on_a_clean_database(run):
    result = run.ok("check")

    assert "Không phát hiện vấn đề nào." in result.stdout
    assert run.json("check") == {"ok": True, "problems": []}


def test_check_on_a_new_database(run):
    assert "Không phát hiện vấn đề nào." in run.ok("check").stdout


def check_problems(run) -> list[dict[str, object]]:
    data = run.json("check", code=1)
    assert data["ok"] is False
    problems = data["problems"]
    assert isinstance(problems, list) and problems
    return problems


@pytest.mark.usefixtures("school")
def test_check_finds_steps_out_of_order(run, db_path):
    insert_milestone(db_path, HUNG.code, "chi-bo-de-nghi", "2025-04-10")
    insert_milestone(db_path, HUNG.code, "quyet-dinh-ket-nap", "2025-04-01")

    result = run("check")

    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if HUNG.code in x)
    assert HUNG.name in line and "thứ tự" in line
    assert "01/04/2025" in line and "10/04/2025" in line
    assert [(p["kind"], p["student_code"], p["full_name"]) for p in check_problems(run)] == [
        ("order", HUNG.code, HUNG.name)
    ]


@pytest.mark.usefixtures("school")
def test_check_finds_a_decision_without_a_recommendation(run, db_path):
    insert_milestone(db_path, HUNG.code, "quyet-dinh-ket-nap", "2025-04-01")

    problems = check_problems(run)

    assert [(p["kind"], p["student_code"]) for p in problems] == [
        ("decision_without_recommendation", HUNG.code)
    ]
    message = str(problems[0]["message"])
    assert "chi bộ đề nghị" in message and "01/04/2025" in message


@pytest.mark.usefixtures("school")
def test_check_finds_a_ceremony_without_a_decision(run, db_path):
    insert_milestone(db_path, HUNG.code, "chi-bo-de-nghi", "2025-03-01")
    insert_milestone(db_path, HUNG.code, "le-ket-nap", "2025-04-20")

    problems = check_problems(run)

    assert [(p["kind"], p["full_name"]) for p in problems] == [
        ("ceremony_without_decision", HUNG.name)
    ]
    assert "20/04/2025" in str(problems[0]["message"])
    result = run("check")
    assert result.exit_code == 1 and "quyết định kết nạp" in result.stdout


@pytest.mark.usefixtures("school")
def test_check_finds_an_admitted_student_under_age_at_the_vote(run, db_path):
    insert_milestone(db_path, NHO.code, "chi-bo-de-nghi", "2025-03-01")
    insert_milestone(db_path, NHO.code, "quyet-dinh-ket-nap", "2025-03-20")

    problems = check_problems(run)

    assert [(p["kind"], p["student_code"]) for p in problems] == [("under_age", NHO.code)]
    message = str(problems[0]["message"])
    assert "18 tuổi" in message and "01/03/2025" in message and "01/09/2026" in message
    # The current rules decide: with a minimum of 16 the same dossier is fine.
    run.ok("config", "set", "age.min", "16")
    assert run.json("check") == {"ok": True, "problems": []}


@pytest.mark.usefixtures("school")
def test_check_finds_a_correction_of_another_persons_milestone(run, db_path):
    lans = query(db_path, "SELECT id FROM milestone WHERE step = 'le-ket-nap'")[0][0]
    wrong = insert_milestone(db_path, HUNG.code, "le-ket-nap", "2025-04-11", replaces_id=lans)

    problems = [p for p in check_problems(run) if p["kind"] == "replaces_other_person"]

    assert len(problems) == 1 and problems[0]["student_code"] == HUNG.code
    message = str(problems[0]["message"])
    assert f"Mốc số {wrong}" in message and f"mốc số {lans}" in message and LAN.name in message


@pytest.mark.usefixtures("school")
def test_check_finds_a_broken_foreign_key(run, db_path):
    con = sqlite3.connect(db_path)
    con.execute(
        "INSERT INTO milestone (person_id, step, on_date, recorded_at) "
        "VALUES (9999, 'cam-tinh', '2025-01-01', '2025-01-01 00:00:00')"
    )
    con.commit()
    con.close()

    problems = check_problems(run)

    assert [p["kind"] for p in problems] == ["foreign_key"]
    assert "milestone" in str(problems[0]["message"]) and "person" in str(problems[0]["message"])
    assert problems[0]["student_code"] is None


# ----------------------------------------------------------------------------- audit


@pytest.mark.usefixtures("school")
def test_audit_shows_every_kind_of_change_with_the_os_user(run, db_path):
    run.ok("config", "set", "age.mode", "day")
    run.ok("target", "set", "--school", "binh lu", "--school-year", "2024-2025", "--admitted", "1")

    entries = run.json("audit")

    actions = [e["action"] for e in entries]
    assert {"create", "record", "config", "target"} <= set(actions)
    assert actions[-2:] == ["config", "target"]  # newest last
    assert all(e["os_user"] == getpass.getuser() for e in entries)
    config = next(e for e in entries if e["action"] == "config")
    assert config["changes"] == "age.mode: month → day"
    assert config["command"].startswith("dangvien")
    record = next(e for e in entries if e["action"] == "record")
    assert "chi-bo-de-nghi" in record["changes"]
    text = run.ok("audit").stdout
    assert "config" in text and "target" in text and getpass.getuser() in text
    # An import is summarised: never a student's record.
    for kid in (LAN, HUNG, NHO):
        assert kid.name not in text and kid.dmy not in text


@pytest.mark.usefixtures("school")
def test_audit_since_a_day(run, db_path):
    con = sqlite3.connect(db_path)
    con.execute("UPDATE audit_log SET at = '2024-12-31 23:59:00.000000' WHERE action = 'create'")
    con.commit()
    con.close()

    everything = run.json("audit")
    recent = run.json("audit", "--since", "01/01/2025")

    assert everything[0]["action"] == "create"
    assert "create" not in {e["action"] for e in recent}
    assert len(recent) == len(everything) - 1
    assert run.json("audit", "--since", "01/01/2099") == []
    assert run("audit", "--since", "32/01/2025").exit_code == 2


# ----------------------------------------------------------------------------- permissions


def test_a_file_others_can_read_is_warned_about(run, db_path):
    run.ok("schools")
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert "chmod" not in run.ok("schools").stderr

    db_path.chmod(0o644)
    result = run.ok("schools")

    warning = " ".join(result.stderr.split())
    assert "chmod 600" in warning and str(db_path) in warning
    assert "chưa thành niên" in warning
    assert "chmod" not in result.stdout
