"""The unit tree never becomes a cycle (issue 11): a merged tree the other way round is a
conflict; `unit move` refuses a cycle; a database an older version made cyclic is reported by
`check` and still listed and reported without recursing forever."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from builders import copy_db, run_on
from dbcheck import query

PROVINCE = "Tỉnh Lai Châu"
COMMUNE = "Đảng ủy xã Bình Lư"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", "01/04/2025")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("units")
    return run_on(
        d / "province.db",
        ["unit", "add", PROVINCE, "--kind", "tinh"],
        ["unit", "add", COMMUNE, "--kind", "xa", "--parent", PROVINCE],
        ["unit", "add", "Tỉnh Điện Biên", "--kind", "tinh"],
        ["school", "add", "THPT Bình Lư", "--unit", COMMUNE],
        ["target", "set", "--unit", PROVINCE, "--school-year", "2024-2025", "--class", "5"],
    )


@pytest.fixture
def province(built: Path, db_path: Path) -> Path:
    return copy_db(built, db_path)


def parents(db: Path) -> set[tuple[str, str | None]]:
    return set(
        query(db, "SELECT u.name, p.name FROM unit u LEFT JOIN unit p ON p.id = u.parent_id")
    )


def cycle_problems(run: Any) -> list[dict[str, Any]]:
    data = run.json("check", code=(0, 1))
    return [p for p in data["problems"] if p["kind"] == "unit_cycle"]


def test_a_school_tree_the_other_way_round_is_a_conflict_not_a_cycle(run, province, tmp_path):
    school = run_on(
        tmp_path / "school.db",
        ["unit", "add", COMMUNE, "--kind", "xa"],
        ["unit", "add", PROVINCE, "--kind", "tinh", "--parent", COMMUNE],
        ["unit", "add", "Chi bộ mới", "--kind", "khac", "--parent", PROVINCE],
    )
    before = parents(province)

    data = run.json("merge", school)

    assert data["conflicts"] == [
        {
            "table": "unit",
            "key": PROVINCE,
            "field": "parent",
            "ours": None,
            "theirs": COMMUNE,
            "kept": "ours",
        }
    ]
    assert data["added"]["unit"] == 1
    assert parents(province) == before | {("Chi bộ mới", PROVINCE)}
    assert cycle_problems(run) == []
    listing = run.json("unit", "list")
    assert [u["name"] for u in listing["units"]] == ["Tỉnh Điện Biên", PROVINCE]


def test_a_parent_that_differs_is_a_conflict_named_by_the_units(run, province, tmp_path):
    school = run_on(
        tmp_path / "school.db",
        ["unit", "add", "Tỉnh Điện Biên", "--kind", "tinh"],
        ["unit", "add", COMMUNE, "--kind", "xa", "--parent", "Tỉnh Điện Biên"],
    )
    data = run.json("merge", school)
    assert [(c["key"], c["ours"], c["theirs"], c["kept"]) for c in data["conflicts"]] == [
        (COMMUNE, PROVINCE, "Tỉnh Điện Biên", "ours")
    ]
    assert (COMMUNE, PROVINCE) in parents(province)


def test_a_parent_only_the_school_knows_is_taken(run, province, tmp_path):
    school = run_on(
        tmp_path / "school.db",
        ["unit", "add", "Tỉnh Điện Biên", "--kind", "tinh"],
        ["unit", "add", "Vùng Tây Bắc", "--kind", "khac"],
        ["unit", "move", "Tỉnh Điện Biên", "--parent", "Vùng Tây Bắc"],
    )
    data = run.json("merge", school)
    assert data["conflicts"] == []
    assert ("Tỉnh Điện Biên", "Vùng Tây Bắc") in parents(province)


def test_unit_move_refuses_a_cycle(run, province):
    before = parents(province)
    for unit, parent in ((PROVINCE, COMMUNE), (COMMUNE, COMMUNE)):
        result = run("unit", "move", unit, "--parent", parent)
        assert result.exit_code == 2, result.output
        assert "dưới chính nó hoặc một đơn vị con của nó" in result.stderr
    assert parents(province) == before


def test_a_cyclic_database_is_reported_listed_and_reported_on(run, province):
    # As an older version's merge left it: the province under its own commune.
    con = sqlite3.connect(province)
    con.execute("UPDATE unit SET parent_id = 2 WHERE id = 1")
    con.commit()
    con.close()

    problems = cycle_problems(run)
    assert len(problems) == 1
    assert problems[0]["message"].startswith(
        f"Cây đơn vị thành vòng: “{PROVINCE}” → “{COMMUNE}” → “{PROVINCE}”"
    )
    assert run("check").exit_code == 1
    # Every unit is still listed once: the cycle is cut at its first unit.
    listing = run.json("unit", "list")
    top = {u["name"]: u for u in listing["units"]}
    assert set(top) == {PROVINCE, "Tỉnh Điện Biên"}
    assert [u["name"] for u in top[PROVINCE]["units"]] == [COMMUNE]
    assert run.ok("unit", "list").stdout.count(COMMUNE) == 1
    for unit in (PROVINCE, COMMUNE):
        report = run.json("report", "--school-year", "2024-2025", "--unit", unit)
        assert [r["name"] for r in report["rows"] if r["level"] == "school"] == ["THPT Bình Lư"]
    # Fixed by moving one unit of the cycle.
    run.ok("unit", "move", PROVINCE)
    assert cycle_problems(run) == []
