"""On PostgreSQL, the rules as SQL find exactly what the rules in Python find (issue 5).

The same generated province and the same checks as tests/admission/test_sql_rules.py, on a fresh
database of the test server: the SQL is SQLAlchemy Core, and dates, booleans, CASE and
correlated subqueries must mean the same on both.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import sql_rules_checks as checks
from conftest import drop_database, fresh_database  # tests/postgres/conftest.py
from dangvien_cli.db.engine import Database, open_database
from edge_province import populate


@pytest.fixture(scope="module")
def province(pg_server: str) -> Iterator[Database]:
    name, url = fresh_database(pg_server)
    db = open_database(url)
    try:
        with db.session(write=True) as session:
            counts = populate(session)
        assert counts["student"] > 800 and counts["milestone"] > 500
        yield db
    finally:
        db.close()
        drop_database(pg_server, name)


@pytest.mark.parametrize("label", list(checks.SETTINGS))
def test_eligible_by_sql_is_eligible_by_the_rules(province: Database, label: str) -> None:
    with province.session(write=True) as session:
        checks.use_settings(session, checks.SETTINGS[label])
        found = checks.check_eligible(session, label)
    assert found > 20


@pytest.mark.parametrize("label", list(checks.SETTINGS))
def test_reachable_by_sql_is_reachable_by_the_rules(province: Database, label: str) -> None:
    with province.session(write=True) as session:
        checks.use_settings(session, checks.SETTINGS[label])
        found = checks.check_reachable(session, label)
    assert found > 20  # the comparison is not between two empty lists


@pytest.mark.parametrize("label", ["defaults", "age by day", "other term dates"])
def test_report_figures_by_sql_are_the_rules_one_by_one(province: Database, label: str) -> None:
    with province.session(write=True) as session:
        checks.use_settings(session, checks.SETTINGS[label])
        checks.check_report(session, label)
