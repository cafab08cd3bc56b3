"""The database file: where it is, how it is created and opened, and files that are not ours."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from dangvien_cli.db import engine as dbmod
from dbcheck import query


def test_head_revision_is_alembics_head():
    assert dbmod.alembic_head() == dbmod.HEAD_REVISION


def test_database_is_created_on_first_use_at_the_newest_migration(run, db_path):
    assert not db_path.exists()

    run.ok("schools")

    assert db_path.exists()
    assert query(db_path, "SELECT version_num FROM alembic_version") == [(dbmod.HEAD_REVISION,)]
    tables = {
        name for (name,) in query(db_path, "SELECT name FROM sqlite_master WHERE type='table'")
    }
    expected = {"unit", "school", "school_year", "person", "student", "enrollment", "term_result",
                "youth_union", "milestone", "target", "import_batch", "audit_log"}  # fmt: skip
    assert expected <= tables


def test_new_database_file_is_private(run, db_path):
    run.ok("schools")

    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_engine_connections_have_foreign_keys_wal_and_a_busy_timeout(db_path):
    database = dbmod.open_database(str(db_path))
    try:
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    finally:
        database.close()


def test_foreign_keys_are_enforced(db_path):
    from sqlalchemy import text

    database = dbmod.open_database(str(db_path))
    try:
        with pytest.raises(Exception, match="FOREIGN KEY"), database.session(write=True) as s:
            s.execute(
                text(
                    "INSERT INTO student (person_id, school_id, name_key, created_at) "
                    "VALUES (999, 999, 'x', '2024-01-01')"
                )
            )
    finally:
        database.close()
    assert query(db_path, "SELECT count(*) FROM student") == [(0,)]


def test_db_option_wins_over_the_environment(run, tmp_path, db_path):
    chosen = tmp_path / "chon.db"

    run.ok("--db", chosen, "schools")

    assert chosen.exists()
    assert not db_path.exists()


def test_environment_wins_over_the_current_directory(run, tmp_path, db_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)

    run.ok("schools")

    assert db_path.exists()
    assert not (work / "dangvien.db").exists()


def test_default_is_dangvien_db_in_the_current_directory(run, tmp_path, monkeypatch):
    monkeypatch.delenv("DANGVIEN_DB")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)

    run.ok("schools")

    assert (work / "dangvien.db").exists()


def test_sqlite_url_is_passed_through(run, tmp_path):
    target = tmp_path / "url.db"

    run.ok("--db", f"sqlite:///{target}", "schools")

    assert query(target, "SELECT version_num FROM alembic_version") == [(dbmod.HEAD_REVISION,)]


def test_a_newer_schema_revision_is_a_clear_error(run, db_path):
    run.ok("schools")
    con = sqlite3.connect(db_path)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.close()

    result = run("schools")

    assert result.exit_code == 1
    assert "9999" in result.stderr
    assert "Traceback" not in result.output
    # The database was not changed.
    assert query(db_path, "SELECT version_num FROM alembic_version") == [("9999",)]


def test_a_newer_schema_revision_leaves_no_backup_copies(run, db_path):
    run.ok("schools")
    con = sqlite3.connect(db_path)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.close()

    run("schools")
    run("schools")

    assert sorted(p.name for p in db_path.parent.glob(f"{db_path.name}.*")) == []


def test_a_sqlite_file_of_another_program_is_refused(run, tmp_path):
    other = tmp_path / "khac.db"
    con = sqlite3.connect(other)
    with con:
        con.execute("CREATE TABLE contacts (name TEXT)")
        con.execute("INSERT INTO contacts VALUES ('x')")
    con.close()

    result = run("--db", other, "schools")

    assert result.exit_code == 1
    assert "dangvien" in result.stderr
    assert "--db" in result.stderr
    assert query(other, "SELECT name FROM sqlite_master") == [("contacts",)]


def test_a_file_that_is_not_sqlite_is_refused(run, tmp_path):
    other = tmp_path / "ghichu.txt"
    other.write_text("không phải cơ sở dữ liệu\n" * 20, encoding="utf-8")

    result = run("--db", other, "schools")

    assert result.exit_code == 1
    assert str(other) in result.stderr
    assert "Traceback" not in result.output
    assert other.read_text(encoding="utf-8").startswith("không phải")


def test_a_missing_directory_is_a_clear_error(run, tmp_path):
    result = run("--db", tmp_path / "khong-co" / "x.db", "schools")

    assert result.exit_code == 1
    assert "khong-co" in result.stderr


def test_locate_resolves_paths_and_keeps_urls():
    loc = dbmod.locate("some/dir/x.db")
    assert loc.path == Path("some/dir/x.db").resolve()
    assert loc.url == f"sqlite:///{loc.path}"
    server = dbmod.locate("postgresql+psycopg://u:secret@host/dangvien")
    assert server.path is None
    assert "secret" not in server.display


def test_schools_on_a_current_file_starts_without_sqlalchemy(db_path):
    # Issue 5's start-up goal: a read of a current SQLite file needs only the sqlite3 module.
    import subprocess
    import sys

    dbmod.open_database(str(db_path)).close()  # created at the newest schema
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('SQLALCHEMY' if 'sqlalchemy' in sys.modules else 'NONE',"
        " file=sys.stderr))\n"
        "sys.argv = ['dangvien', '--db', sys.argv[1], 'schools', '--json']\n"
        "from dangvien_cli.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(db_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert done.stderr.strip().endswith("NONE")
