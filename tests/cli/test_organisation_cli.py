"""`dangvien unit`, `school` and `target`: the tree of Party units, the schools under it, and the
plan targets set on them for a period (issue 4, "Units and targets")."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from builders import Kid, copy_db, plain_roster, run_on
from dbcheck import query, snapshot

D = dt.date
TODAY = "20/08/2025"
KINDS = ["tinh", "huyen", "xa", "phuong", "dac-khu", "dang-uy-co-so", "khac"]

PROVINCE = "Tỉnh Lai Châu"
DISTRICT = "Huyện ủy Tam Đường"  # abolished on 1 July 2025; its decisions stay
COMMUNE = "Đảng ủy xã Bình Lư"
WARD = "Đảng ủy phường Tân Phong"
BASE = "Đảng ủy cơ sở Khối trường Bình Lư"
BL = "THPT Bình Lư"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", TODAY)


def units(run) -> dict[str, Any]:
    data = run.json("unit", "list")
    assert isinstance(data, dict)
    return data


def flat(tree: list[dict[str, Any]], parent: str | None = None) -> dict[str, tuple[Any, ...]]:
    """name → (kind, parent, schools) for every unit of a `unit list --json` tree."""
    out: dict[str, tuple[Any, ...]] = {}
    for node in tree:
        out[node["name"]] = (node["kind"], parent, node["schools"])
        out.update(flat(node["units"], node["name"]))
    return out


def targets(run) -> list[dict[str, Any]]:
    data = run.json("target", "list")
    assert isinstance(data, list)
    return data


def fails(run, *args: object, code: int = 2) -> str:
    """Run, insist on the exit code and a message on stderr; the message."""
    result = run(*args)
    assert result.exit_code == code, (args, result.output)
    assert result.stderr.strip(), args
    assert not result.stdout.strip(), args
    return " ".join(result.stderr.split())  # rich wraps long messages


@pytest.fixture(scope="module")
def tree_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_on(
        tmp_path_factory.mktemp("tree") / "dangvien.db",
        ["unit", "add", PROVINCE, "--kind", "tinh"],
        ["unit", "add", COMMUNE, "--kind", "xa", "--parent", PROVINCE],
        ["unit", "add", WARD, "--kind", "phuong", "--parent", PROVINCE],
        ["unit", "add", BASE, "--kind", "dang-uy-co-so", "--parent", COMMUNE],
    )


@pytest.fixture
def tree(tree_db: Path, db_path: Path) -> None:
    """A province with a commune (and a base committee under it) and a ward."""
    copy_db(tree_db, db_path)


# ----------------------------------------------------------------------------- units


def test_unit_add_takes_every_kind(run):
    run.ok("unit", "add", PROVINCE, "--kind", "tinh")
    names = {
        "huyen": DISTRICT,
        "xa": COMMUNE,
        "phuong": WARD,
        "dac-khu": "Đảng ủy đặc khu Côn Đảo",
        "dang-uy-co-so": BASE,
        "khac": "Đảng bộ Khối các cơ quan tỉnh",
    }
    for kind, name in names.items():
        result = run.ok("unit", "add", name, "--kind", kind, "--parent", PROVINCE)
        assert f"Đã thêm đơn vị {name}" in result.stdout

    got = flat(units(run)["units"])

    assert got[PROVINCE] == ("tinh", None, [])
    assert {name: got[name][0] for name in names.values()} == {v: k for k, v in names.items()}
    assert {got[name][1] for name in names.values()} == {PROVINCE}
    assert sorted(kind for kind, _, _ in got.values()) == sorted(KINDS)


def test_a_kind_is_read_in_any_case(run):
    run.ok("unit", "add", PROVINCE, "--kind", " TINH ")

    assert flat(units(run)["units"])[PROVINCE][0] == "tinh"


def test_an_unknown_kind_exits_2_listing_the_kinds(run):
    message = fails(run, "unit", "add", DISTRICT, "--kind", "quan")

    assert "quan" in message
    for kind in KINDS:
        assert kind in message
    assert units(run)["units"] == []


def test_the_parent_is_found_by_its_name_without_diacritics(run):
    run.ok("unit", "add", PROVINCE, "--kind", "tinh")
    run.ok("unit", "add", COMMUNE, "--kind", "xa", "--parent", "tinh lai chau")
    run.ok("unit", "add", WARD, "--kind", "phuong", "--parent", "LAI CHAU")  # a part of it
    run.ok("unit", "add", BASE, "--kind", "dang-uy-co-so", "--parent", "dang uy xa binh lu")

    got = flat(units(run)["units"])

    assert got[COMMUNE][1] == PROVINCE
    assert got[WARD][1] == PROVINCE
    assert got[BASE][1] == COMMUNE


def test_an_unknown_or_ambiguous_parent_exits_2_and_adds_nothing(run, tree):

    unknown = fails(run, "unit", "add", "Chi bộ A", "--kind", "khac", "--parent", "Sìn Hồ")
    ambiguous = fails(run, "unit", "add", "Chi bộ A", "--kind", "khac", "--parent", "dang uy")

    assert "Sìn Hồ" in unknown and PROVINCE in unknown  # the units there are
    assert COMMUNE in ambiguous and WARD in ambiguous
    assert "Chi bộ A" not in flat(units(run)["units"])


def test_a_duplicate_name_exits_2_whatever_its_case_or_diacritics(run):
    run.ok("unit", "add", PROVINCE, "--kind", "tinh")

    for name in (PROVINCE, "TỈNH LAI CHÂU", "tinh lai chau", "  Tỉnh  Lai Châu "):
        message = fails(run, "unit", "add", name, "--kind", "tinh")
        assert "Đã có đơn vị" in message
    assert list(flat(units(run)["units"])) == [PROVINCE]


def test_unit_list_json_is_the_tree_with_the_schools_of_each_unit(run, tree):
    run.ok("unit", "add", "Đảng ủy đặc khu Côn Đảo", "--kind", "dac-khu")
    run.ok("school", "add", BL, "--unit", COMMUNE)
    run.ok("school", "add", "PTDTNT Tam Đường", "--unit", BASE)
    run.ok("school", "add", "THPT Chuyên Lê Quý Đôn", "--unit", COMMUNE)
    run.ok("school", "add", "TT GDNN-GDTX Tam Đường")

    data = units(run)

    assert data == {
        "units": [
            {
                "name": "Đảng ủy đặc khu Côn Đảo",
                "kind": "dac-khu",
                "schools": [],
                "units": [],
            },
            {
                "name": PROVINCE,
                "kind": "tinh",
                "schools": [],
                "units": [
                    {
                        "name": WARD,
                        "kind": "phuong",
                        "schools": [],
                        "units": [],
                    },
                    {
                        "name": COMMUNE,
                        "kind": "xa",
                        "schools": [BL, "THPT Chuyên Lê Quý Đôn"],
                        "units": [
                            {
                                "name": BASE,
                                "kind": "dang-uy-co-so",
                                "schools": ["PTDTNT Tam Đường"],
                                "units": [],
                            }
                        ],
                    },
                ],
            },
        ],
        "schools_without_unit": ["TT GDNN-GDTX Tam Đường"],
    }
    text = run.ok("unit", "list").stdout
    for name in (PROVINCE, COMMUNE, WARD, BASE, BL, "TT GDNN-GDTX Tam Đường"):
        assert name in text
    assert "Đảng ủy xã" in text and "Chưa thuộc đơn vị nào" in text


def test_unit_move_puts_a_unit_under_another_parent(run, tree, db_path):
    run.ok("school", "add", BL, "--unit", BASE)

    result = run.ok("unit", "move", "khoi truong binh lu", "--parent", "phuong tan phong")

    assert "Đã chuyển" in result.stdout
    got = flat(units(run)["units"])
    assert got[BASE] == ("dang-uy-co-so", WARD, [BL])  # its schools go with it
    assert got[COMMUNE][1] == PROVINCE
    (changes,) = query(
        db_path, "SELECT changes FROM audit_log WHERE action = 'move' AND entity = 'unit'"
    )
    ids = dict(query(db_path, "SELECT name, id FROM unit"))
    assert json.loads(changes[0]) == {"parent": [ids[COMMUNE], ids[WARD]]}


def test_unit_move_without_a_parent_goes_to_the_top(run, tree):

    run.ok("unit", "move", COMMUNE)

    data = units(run)
    assert [u["name"] for u in data["units"]] == [COMMUNE, PROVINCE]
    assert flat(data["units"])[BASE][1] == COMMUNE


def test_a_unit_cannot_move_under_itself_or_its_descendants(run, tree):
    before = units(run)

    for unit, parent in ((PROVINCE, BASE), (PROVINCE, COMMUNE), (COMMUNE, BASE), (BASE, BASE)):
        message = fails(run, "unit", "move", unit, "--parent", parent)
        assert unit in message

    assert units(run) == before


# ----------------------------------------------------------------------------- schools


def test_school_add_under_a_unit_found_without_diacritics(run, tree):

    result = run.ok("school", "add", BL, "--unit", "xa binh lu")

    assert f"Đã thêm trường {BL}" in result.stdout
    assert run.json("schools") == [
        {"name": BL, "unit": COMMUNE, "students": 0, "latest_school_year": None}
    ]


def test_school_add_refuses_a_duplicate_and_an_unknown_unit_and_writes_nothing(run, tree):
    run.ok("school", "add", BL, "--unit", COMMUNE)

    duplicate = fails(run, "school", "add", "Trường THPT Bình Lư", "--unit", WARD)
    unknown = fails(run, "school", "add", "THPT Sìn Hồ", "--unit", "Huyện ủy Sìn Hồ")

    assert BL in duplicate
    assert "Huyện ủy Sìn Hồ" in unknown
    assert run.json("schools") == [
        {"name": BL, "unit": COMMUNE, "students": 0, "latest_school_year": None}
    ]


# A school with students, their results and their steps: what a move must leave alone.
KIDS = [
    Kid("1810000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt"),
    Kid("1810000002", "Giàng A Sình", D(2007, 1, 30), "Nam", "Mông", "12A1", True, "Giỏi", "Tốt"),
    Kid("1810000003", "Lò Thị Thơ", D(2008, 11, 23), "Nữ", "Thái", "11A2", False, "Khá", "Khá"),
]  # fmt: skip


@pytest.fixture(scope="module")
def school_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("organisation")
    roster = plain_roster(directory / "bl.xlsx", KIDS).path
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DANGVIEN_TODAY", TODAY)
        return run_on(
            directory / "dangvien.db",
            ["unit", "add", PROVINCE, "--kind", "tinh"],
            ["unit", "add", DISTRICT, "--kind", "huyen", "--parent", PROVINCE],
            ["unit", "add", COMMUNE, "--kind", "xa", "--parent", PROVINCE],
            ["school", "add", BL, "--unit", DISTRICT],
            ["import", roster, "--school", BL, "--school-year", "2024-2025", "--term", "hk1"],
            ["record", "1810000001", "lop-boi-duong", "--date", "20/07/2024"],
            ["record", "1810000001", "phan-cong-giup-do", "--date", "01/09/2024",
             "--mentor", "Vũ Văn Tư"],
            ["record", "1810000001", "chi-bo-de-nghi", "--date", "03/03/2025"],
            ["record", "1810000001", "quyet-dinh-ket-nap", "--date", "10/04/2025",
             "--doc-number", "145-QĐ/HU", "--by", DISTRICT],
            ["record", "1810000002", "cam-tinh", "--date", "01/10/2024"],
        )  # fmt: skip


@pytest.fixture
def school(school_db: Path, db_path: Path) -> None:
    """THPT Bình Lư under the district, with its roster and steps."""
    copy_db(school_db, db_path)


def test_school_list_json_is_schools_json(run, school):
    run.ok("school", "add", "TT GDNN-GDTX Tam Đường")

    listed = run.json("school", "list")

    assert listed == run.json("schools")
    assert listed == [
        {"name": BL, "unit": DISTRICT, "students": 3, "latest_school_year": "2024-2025"},
        {"name": "TT GDNN-GDTX Tam Đường", "unit": None, "students": 0,
         "latest_school_year": None},
    ]  # fmt: skip
    assert run.ok("school", "list").stdout == run.ok("schools").stdout


def test_school_move_keeps_students_results_and_steps(run, school, db_path):
    before = snapshot(db_path)
    students = run.json("students")
    histories = {k.code: run.json("history", k.code) for k in KIDS}
    eligible = run.json("eligible", "--all", "--as-of", "01/03/2025")

    result = run.ok("school", "move", "binh lu", "--unit", "xa binh lu", "--on", "01/07/2025")

    assert f"{BL}: {DISTRICT} → {COMMUNE}, từ 01/07/2025" in " ".join(result.stdout.split())
    after = snapshot(db_path)
    for table in before:
        if table != "school":
            assert after[table] == before[table], table
    ids = dict(query(db_path, "SELECT name, id FROM unit"))
    assert query(db_path, "SELECT name, unit_id FROM school") == [(BL, ids[COMMUNE])]
    assert run.json("students") == students
    assert {k.code: run.json("history", k.code) for k in KIDS} == histories
    assert run.json("eligible", "--all", "--as-of", "01/03/2025") == eligible
    # the decision still names the district that issued it
    (by,) = query(db_path, "SELECT acted_by FROM milestone WHERE step = 'quyet-dinh-ket-nap'")
    assert by == (DISTRICT,)
    assert flat(units(run)["units"])[COMMUNE][2] == [BL]
    assert flat(units(run)["units"])[DISTRICT][2] == []


def test_school_move_is_in_the_audit_log_with_its_date(run, school, db_path):
    ids = dict(query(db_path, "SELECT name, id FROM unit"))
    (school_id,) = query(db_path, "SELECT id FROM school")[0]

    run.ok("school", "move", BL, "--unit", COMMUNE, "--on", "2025-07-01")
    run.ok("school", "move", BL, "--unit", PROVINCE)  # no --on: today

    rows = query(
        db_path,
        "SELECT entity_id, changes FROM audit_log "
        "WHERE action = 'move' AND entity = 'school' ORDER BY id",
    )
    assert [(r[0], json.loads(r[1])) for r in rows] == [
        (school_id, {"unit": [ids[DISTRICT], ids[COMMUNE]], "on": "2025-07-01"}),
        (school_id, {"unit": [ids[COMMUNE], ids[PROVINCE]], "on": "2025-08-20"}),
    ]


def test_school_move_to_an_unknown_unit_or_on_a_bad_date_exits_2(run, school, db_path):
    before = snapshot(db_path)

    fails(run, "school", "move", BL, "--unit", "Đảng ủy xã Sìn Hồ")
    fails(run, "school", "move", BL, "--unit", COMMUNE, "--on", "31/06/2025")
    fails(run, "school", "move", "THPT Mường Tè", "--unit", COMMUNE)

    assert snapshot(db_path) == before


# ----------------------------------------------------------------------------- targets


@pytest.fixture(scope="module")
def owners_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_on(
        tmp_path_factory.mktemp("owners") / "dangvien.db",
        ["unit", "add", PROVINCE, "--kind", "tinh"],
        ["school", "add", BL, "--unit", PROVINCE],
    )


@pytest.fixture
def owners(owners_db: Path, db_path: Path) -> None:
    """A province and a school under it, with no target yet."""
    copy_db(owners_db, db_path)


def period(start: str, end: str, label: str) -> dict[str, str]:
    return {"start": start, "end": end, "label": label}


def test_a_target_for_a_calendar_year(run, owners):
    result = run.ok("target", "set", "--unit", "tinh lai chau", "--year", "2024", "--class", "20",
                    "--admitted", "1")  # fmt: skip

    assert "Đã đặt chỉ tiêu" in result.stdout and PROVINCE in result.stdout
    assert targets(run) == [
        {
            "owner": PROVINCE,
            "owner_kind": "unit",
            "period": period("2024-01-01", "2024-12-31", "năm 2024"),
            "class_target": 20,
            "admitted_target": 1,
        }
    ]


def test_a_school_year_runs_from_1_september_to_31_august(run, owners):
    run.ok("target", "set", "--school", "binh lu", "--school-year", "2024-2025", "--class", "10",
           "--admitted", "1")  # fmt: skip

    assert targets(run) == [
        {
            "owner": BL,
            "owner_kind": "school",
            "period": period("2024-09-01", "2025-08-31", "năm học 2024-2025"),
            "class_target": 10,
            "admitted_target": 1,
        }
    ]


def test_a_school_year_follows_the_configured_start(run, owners):
    run.ok("config", "set", "school_year.period_start", "15/08")

    run.ok("target", "set", "--school", BL, "--school-year", "2024-2025", "--admitted", "1")

    (row,) = targets(run)
    assert row["period"] == period("2024-08-15", "2025-08-14", "năm học 2024-2025")
    assert row["class_target"] is None


def test_a_target_for_a_range(run, owners):
    run.ok("target", "set", "--unit", PROVINCE, "--from", "01/01/2024", "--to", "2025-12-31",
           "--admitted", "3")  # fmt: skip

    (row,) = targets(run)
    assert row["period"] == period("2024-01-01", "2025-12-31", "từ 01/01/2024 đến 31/12/2025")
    assert (row["class_target"], row["admitted_target"]) == (None, 3)


def test_setting_again_replaces_the_target_of_the_same_owner_and_period(run, owners, db_path):
    for owner, year, class_target in (("--unit", "2024", "20"), ("--school", "2024", "10"),
                                      ("--unit", "2025", "20")):  # fmt: skip
        name = PROVINCE if owner == "--unit" else BL
        run.ok("target", "set", owner, name, "--year", year, "--class", class_target,
               "--admitted", "1")  # fmt: skip

    result = run.ok("target", "set", "--unit", "lai chau", "--year", "2024", "--class", "25",
                    "--admitted", "2")  # fmt: skip

    assert "Đã thay chỉ tiêu" in result.stdout
    rows = query(
        db_path,
        "SELECT u.name, t.period_start, t.class_target, t.admitted_target FROM target t "
        "JOIN unit u ON u.id = t.unit_id ORDER BY t.period_start",
    )
    assert rows == [(PROVINCE, "2024-01-01", 25, 2), (PROVINCE, "2025-01-01", 20, 1)]
    listed = [(t["owner"], t["period"]["label"], t["class_target"], t["admitted_target"])
              for t in targets(run)]  # fmt: skip
    assert listed == [
        (BL, "năm 2024", 10, 1),
        (PROVINCE, "năm 2024", 25, 2),
        (PROVINCE, "năm 2025", 20, 1),
    ]
    (changes,) = query(
        db_path, "SELECT changes FROM audit_log WHERE action = 'target' ORDER BY id DESC LIMIT 1"
    )
    assert json.loads(changes[0])["admitted"] == [1, 2]


def test_target_list_shows_a_dash_for_a_figure_not_set(run, owners):
    assert "Chưa đặt chỉ tiêu nào" in run.ok("target", "list").stdout
    run.ok("target", "set", "--school", BL, "--school-year", "2024-2025", "--admitted", "1")

    text = run.ok("target", "list").stdout

    line = next(x for x in text.splitlines() if BL in x)
    assert "năm học 2024-2025" in line and "—" in line and "1" in line


WRONG_TARGETS = {
    "neither-class-nor-admitted": ["--unit", PROVINCE, "--year", "2024"],
    "unit-and-school": ["--unit", PROVINCE, "--school", BL, "--year", "2024", "--admitted", "1"],
    "no-owner": ["--year", "2024", "--admitted", "1"],
    "negative": ["--unit", PROVINCE, "--year", "2024", "--class", "-3"],
    "negative=": ["--unit", PROVINCE, "--year", "2024", "--admitted=-1"],
    "no-period": ["--unit", PROVINCE, "--admitted", "1"],
    "two-periods": ["--unit", PROVINCE, "--year", "2024", "--school-year", "2024-2025",
                    "--admitted", "1"],
    "range-without-end": ["--unit", PROVINCE, "--from", "01/09/2024", "--admitted", "1"],
    "range-backwards": ["--unit", PROVINCE, "--from", "01/09/2025", "--to", "31/08/2025",
                        "--admitted", "1"],
    "bad-school-year": ["--unit", PROVINCE, "--school-year", "2024-2026", "--admitted", "1"],
    "unknown-unit": ["--unit", "Huyện ủy Sìn Hồ", "--year", "2024", "--admitted", "1"],
    "unknown-school": ["--school", "THPT Mường Tè", "--year", "2024", "--admitted", "1"],
}  # fmt: skip


@pytest.mark.parametrize("args", list(WRONG_TARGETS.values()), ids=list(WRONG_TARGETS))
def test_a_target_set_wrongly_exits_2_and_writes_nothing(run, owners, db_path, args):
    fails(run, "target", "set", *args)

    assert targets(run) == []
    assert query(db_path, "SELECT count(*) FROM audit_log WHERE action = 'target'") == [(0,)]
