"""Databases made by every schema version open with the newest one, every row intact."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from dangvien_cli.db.engine import HEAD_REVISION

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures").glob("schema-*.db"))
TABLES = (
    "unit",
    "school",
    "school_year",
    "person",
    "student",
    "enrollment",
    "term_result",
    "youth_union",
    "milestone",
    "target",
    "import_batch",
    "audit_log",
    "setting",
)


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_there_is_a_fixture_for_the_newest_schema():
    """Each schema revision leaves a database behind (tests/fixtures/make_schema_fixture.py)."""
    assert any(p.name == f"schema-{HEAD_REVISION}.db" for p in FIXTURES)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_an_old_database_opens_with_every_row_intact(run, tmp_path, fixture, monkeypatch):
    db = tmp_path / "dangvien.db"
    shutil.copyfile(fixture, db)
    db.chmod(0o600)
    monkeypatch.setenv("DANGVIEN_DB", str(db))
    before = counts(db)
    revision = fixture.stem.removeprefix("schema-")

    students = run.json("students")
    history = run.json("history", "900000004")
    targets = run.json("target", "list")
    settings = run.json("config", "show")

    assert counts(db) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            HEAD_REVISION,
        )
    assert len(students) == before["student"] == 66
    lan = next(s for s in students if s["student_code"] == "900000004")
    assert (lan["full_name"], lan["class_name"], lan["school"]) == (
        "Lò Minh An",
        "12A1",
        "THPT Bình Lư",
    )
    steps = [h["text"] for h in history["history"] if h["kind"] == "milestone"]
    assert any("Học lớp bồi dưỡng" in s and "CN-1" in s for s in steps)
    assert any("Trần Văn Hùng" in s for s in steps)
    assert [(t["owner"], t["class_target"], t["admitted_target"]) for t in targets] == [
        ("THPT Bình Lư", 10, 1)
    ]
    assert settings["age.mode"] == "day"
    copies = list(tmp_path.glob("dangvien.db.truoc-nang-cap-*"))
    if revision == HEAD_REVISION:
        assert copies == []  # nothing to upgrade, nothing copied
    else:
        assert len(copies) == 1 and counts(copies[0]) == before
