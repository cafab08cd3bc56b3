"""Concurrent writers on PostgreSQL: the same tests as tests/test_concurrency.py (issue 5)."""

from __future__ import annotations

from test_concurrency import four_schools_import_at_once, two_record_for_one_student_at_once


def test_four_processes_import_four_schools_into_one_postgresql_database(pg_url, tmp_path):
    four_schools_import_at_once(pg_url, tmp_path)


def test_two_processes_record_steps_for_one_student_on_postgresql(pg_url, tmp_path):
    two_record_for_one_student_at_once(pg_url, tmp_path)
