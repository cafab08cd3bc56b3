"""The rules as SQL (sql_rules.py) find exactly what the rules in Python find (issue 5).

A generated province of about a thousand students with dates on every edge of the rules, under
several settings and meeting days: `eligible --json` must list the same students with the same
JSON, and the report's figures must equal judging every student one by one. The same checks run
on PostgreSQL in tests/postgres/test_pg_sql_rules.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import sql_rules_checks as checks
from dangvien_cli.db.engine import Database, open_database
from edge_province import populate


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path: Path = tmp_path_factory.mktemp("province") / "province.db"
    db = open_database(str(path))
    with db.session(write=True) as session:
        counts = populate(session)
    assert counts["student"] > 800 and counts["milestone"] > 500
    yield db
    db.close()


@pytest.mark.parametrize("label", list(checks.SETTINGS))
def test_eligible_by_sql_is_eligible_by_the_rules(province: Database, label: str) -> None:
    with province.session(write=True) as session:
        checks.use_settings(session, checks.SETTINGS[label])
        found = checks.check_eligible(session, label)
    assert found > 20  # the comparison is not between two empty lists


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
