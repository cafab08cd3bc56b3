"""Every command on PostgreSQL gives what it gives on SQLite (issue 5).

One scenario — units, schools, rosters of several layouts, steps, targets, settings, a template
filled in and imported back — is played on a SQLite file and on a fresh PostgreSQL database;
each command's exit code and JSON output must be the same on both.
"""

from __future__ import annotations

from dangvien_cli.db.engine import HEAD_REVISION
from scenario import build_files, play, scenario

TABLES = ["person", "student", "enrollment", "term_result", "youth_union", "milestone", "school",
          "school_year", "unit", "target", "setting"]  # fmt: skip


def counts(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            return {
                t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                for t in sorted(names - {"alembic_version"})
            }
    finally:
        engine.dispose()


def test_every_command_gives_the_same_output_on_postgresql_as_on_sqlite(pg_url, tmp_path):
    files = build_files(tmp_path / "files")
    lite = tmp_path / "lite.db"
    commands = scenario(files, tmp_path)  # the template is written afresh on each run

    on_sqlite = play(str(lite), commands)
    on_pg = play(pg_url, commands)

    assert [code for _, code, _ in on_sqlite if code not in (0, 3)] == []
    for (args, code, lite_out), (_, pg_code, pg_out) in zip(on_sqlite, on_pg, strict=True):
        command = " ".join(a for a in args if "/" not in a)
        assert (pg_code, pg_out) == (code, lite_out), command
    assert counts(pg_url) == counts(f"sqlite:///{lite}")


def test_the_schema_comes_from_the_same_alembic_migration(pg_url, pg_sql, run, tmp_path):
    run.ok("schools")
    run.ok("--db", tmp_path / "lite.db", "schools")

    assert pg_sql("SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert counts(pg_url).keys() == counts(f"sqlite:///{tmp_path / 'lite.db'}").keys()
    assert set(counts(pg_url)) >= set(TABLES)
