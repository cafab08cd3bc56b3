"""`dangvien report` through the command line, on a real database: the figures of each school,
the subtotals up the unit tree, the targets, and the files an organising office receives (issue 4).

One base database is built once for the module (a province, two communes — one with a base
committee under it — and three schools, rosters of two school years, the steps of each
candidate, targets for several periods) and copied into each test. Every student is made up.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from builders import PLAIN_HEADER, Kid, copy_db, plain_roster, run_on
from dangvien_cli.reports.model import FIGURE_LABELS
from dangvien_cli.reports.render_xlsx import HEADER_ROW, NAMES_SHEET

D = dt.date
TODAY = "05/06/2025"  # the report goes up before 10 June

PROVINCE = "Tỉnh Lai Châu"
COMMUNE = "Đảng ủy xã Bình Lư"
CLUSTER = "Đảng ủy cơ sở Khối trường Tam Đường"  # a base committee under the commune
WARD = "Đảng ủy phường Tân Phong"
BL = "THPT Bình Lư"  # under the commune
NT = "PTDTNT Tam Đường"  # under the base committee
TP = "THPT Tân Phong"  # under the ward

FIGURES = list(FIGURE_LABELS)
assert FIGURES == [
    "students", "youth_union_members", "eligible", "class_target", "class_actual", "class_pct",
    "admitted_target", "admitted_actual", "admitted_pct", "conversion_rate", "reachable",
    "admitted_women", "admitted_ethnic_minority", "admitted_religious",
]  # fmt: skip
FLAGS = ["at_risk", "class_target_is_sum", "admitted_target_is_sum"]


def kid(code: str, name: str, born: dt.date, gender: str = "Nam", ethnicity: str = "Kinh",
        klass: str = "12A1", youth: bool = True, academic: str = "Khá",
        religion: str | None = None) -> Kid:  # fmt: skip
    return Kid(code, name, born, gender, ethnicity, klass, youth, academic, "Tốt", religion)


# THPT Bình Lư, 2024-2025 (term I). Grade 12 leaves school on 31/05/2025.
LAN = kid("2501000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", religion="Không tôn giáo")
SINH = kid("2501000002", "Giàng A Sình", D(2007, 1, 30), ethnicity="Mông", academic="Giỏi",
           religion="Tin lành")  # fmt: skip
HUNG = kid("2501000003", "Trần Văn Hùng", D(2007, 9, 20), academic="Giỏi")  # 18 after leaving
TUAN = kid("2501000004", "Hoàng Minh Tuấn", D(2008, 3, 10), klass="11A1")  # 18 in 03/2026
NGA = kid("2501000005", "Đỗ Thị Ngà", D(2007, 1, 2), "Nữ")  # a discipline, no mentor, no class
DUC = kid("2501000006", "Lê Văn Đức", D(2007, 2, 2), youth=False)  # not in the Youth Union
HOA = kid("2501000007", "Phạm Thị Hoa", D(2007, 2, 14), "Nữ")  # eligible
DUNG = kid("2501000008", "Sùng Thị Dừng", D(2007, 4, 4), "Nữ", "Mông")  # stopped
KEM = kid("2501000009", "Vũ Văn Kém", D(2007, 6, 6), academic="Trung bình")
MAI = kid("2501000010", "Lường Thị Mai", D(2007, 2, 10), "Nữ", "Thái")  # no step at all
BL_2024 = [LAN, SINH, HUNG, TUAN, NGA, DUC, HOA, DUNG, KEM, MAI]
# THPT Bình Lư, 2023-2024 (whole year): Lan in grade 11, and Cũ who left in May 2024.
LAN_11 = kid(LAN.code, LAN.name, D(2007, 3, 15), "Nữ", klass="11A1", religion="Không tôn giáo")
CU = kid("2501000011", "Vàng Văn Cũ", D(2005, 5, 1))
BL_2023 = [LAN_11, CU]
# PTDTNT Tam Đường, 2024-2025: religion blank, "Không", a religion that is not admitted, another.
DUYEN = kid("2502000001", "Tẩn Thị Duyên", D(2007, 2, 1), "Nữ", "Dao")
PHU = kid("2502000002", "Lý Văn Phủ", D(2007, 1, 15), ethnicity="Dao", religion="Không")
PHAT = kid("2502000003", "Hà Thị Phật", D(2007, 5, 5), "Nữ", "Thái", religion="Phật giáo")
PAO = kid("2502000004", "Vàng Văn Páo", D(2007, 1, 20), ethnicity="Mông", religion="Công giáo")
NT_2024 = [DUYEN, PHU, PHAT, PAO]
# THPT Tân Phong, 2024-2025.
KHANG = kid("2503000001", "Nguyễn Văn Khang", D(2007, 3, 5))
THO = kid("2503000002", "Lê Thị Thơ", D(2006, 6, 23), "Nữ", religion="Không")
TP_2024 = [KHANG, THO]
EVERYONE = [*BL_2024, CU, *NT_2024, *TP_2024]

MENTOR = ["--mentor", "Vũ Văn Tư"]
STEPS: list[tuple[Kid, str, str, list[str]]] = [
    (LAN, "lop-boi-duong", "01/09/2024", []),  # the first day of school year 2024-2025
    (LAN, "lop-boi-duong", "10/10/2024", []),  # a second class: still one student
    (LAN, "quyet-dinh-ket-nap", "10/04/2025", ["--doc-number", "145-QĐ/ĐU"]),
    (SINH, "lop-boi-duong", "31/08/2024", []),  # the day before school year 2024-2025
    (SINH, "phan-cong-giup-do", "01/09/2024", MENTOR),
    (SINH, "quyet-dinh-ket-nap", "20/03/2025", []),
    (HUNG, "lop-boi-duong", "15/10/2024", []),
    (TUAN, "cam-tinh", "01/10/2024", []),
    (NGA, "cam-tinh", "01/10/2024", []),
    (NGA, "ky-luat", "01/02/2025", ["--note", "Khiển trách"]),
    (DUC, "cam-tinh", "01/10/2024", []),
    (HOA, "lop-boi-duong", "20/07/2024", []),
    (HOA, "phan-cong-giup-do", "01/09/2024", MENTOR),
    (DUNG, "cam-tinh", "01/10/2024", []),
    (DUNG, "dung", "01/03/2025", ["--note", "Không còn nguyện vọng"]),
    (KEM, "cam-tinh", "01/10/2024", []),
    (DUYEN, "quyet-dinh-ket-nap", "15/05/2025", []),
    (PHU, "lop-boi-duong", "01/12/2024", []),
    (PHU, "quyet-dinh-ket-nap", "02/05/2025", []),
    (PHAT, "lop-boi-duong", "01/12/2024", []),
    (PAO, "lop-boi-duong", "01/12/2024", []),
    (PAO, "quyet-dinh-ket-nap", "25/05/2025", []),
    (THO, "lop-boi-duong", "15/07/2024", []),
    (THO, "quyet-dinh-ket-nap", "20/11/2024", []),
]
RANGE = ["--from", "01/01/2024", "--to", "31/12/2025"]
TARGETS: list[list[str]] = [
    # school year 2024-2025
    ["--school", BL, "--school-year", "2024-2025", "--class", "4", "--admitted", "5"],
    ["--school", TP, "--school-year", "2024-2025", "--class", "3", "--admitted", "1"],
    ["--unit", WARD, "--school-year", "2024-2025", "--admitted", "2"],  # over its school's 1
    ["--unit", PROVINCE, "--school-year", "2024-2025", "--class", "20", "--admitted", "8"],
    # calendar year 2024: schools only, so every unit shows a sum
    ["--school", BL, "--year", "2024", "--admitted", "1"],
    ["--school", NT, "--year", "2024", "--admitted", "2"],
    # calendar year 2025 and a phase
    ["--school", TP, "--year", "2025", "--class", "2", "--admitted", "1"],
    ["--unit", PROVINCE, *RANGE, "--admitted", "10"],
]
SY = ["--school-year", "2024-2025"]


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("figures")
    header = [*PLAIN_HEADER, "Tôn giáo"]

    def roster(name: str, kids: list[Kid], school: str, year: str, term: str) -> list[object]:
        titles = (f"TRƯỜNG {school.upper()}", f"DANH SÁCH HỌC SINH - NĂM HỌC {year}")
        path = plain_roster(directory / name, kids, titles=titles, header=header).path
        return ["import", path, "--school", school, "--school-year", year, "--term", term]

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DANGVIEN_TODAY", TODAY)
        return run_on(
            directory / "dangvien.db",
            ["unit", "add", PROVINCE, "--kind", "tinh"],
            ["unit", "add", COMMUNE, "--kind", "xa", "--parent", PROVINCE],
            ["unit", "add", CLUSTER, "--kind", "dang-uy-co-so", "--parent", COMMUNE],
            ["unit", "add", WARD, "--kind", "phuong", "--parent", PROVINCE],
            ["school", "add", BL, "--unit", COMMUNE],
            ["school", "add", NT, "--unit", CLUSTER],
            ["school", "add", TP, "--unit", WARD],
            roster("bl-2023.xlsx", BL_2023, BL, "2023-2024", "cn"),
            roster("bl-2024.xlsx", BL_2024, BL, "2024-2025", "hk1"),
            roster("nt-2024.xlsx", NT_2024, NT, "2024-2025", "hk1"),
            roster("tp-2024.xlsx", TP_2024, TP, "2024-2025", "hk1"),
            *(["record", k.code, step, "--date", day, *extra] for k, step, day, extra in STEPS),
            *(["target", "set", *args] for args in TARGETS),
        )


@pytest.fixture(autouse=True)
def database(base_db: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DANGVIEN_TODAY", TODAY)
    return copy_db(base_db, db_path)


@pytest.fixture(scope="module")
def province_sy(base_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The province's report for school year 2024-2025, read by several tests."""
    db = copy_db(base_db, tmp_path_factory.mktemp("province") / "dangvien.db")
    return report_on(db, *SY, "--unit", PROVINCE)


def report_on(db: Path, *args: object) -> dict[str, Any]:
    """`report … --json` on a database file of the module's own (as builders.run_on)."""
    from typer.testing import CliRunner

    from dangvien_cli.cli import app

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DANGVIEN_TODAY", TODAY)
        result = CliRunner().invoke(
            app, ["--db", str(db), "report", *map(str, args), "--json"], catch_exceptions=False
        )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def report(run, *args: object) -> dict[str, Any]:
    data = run.json("report", *args)
    assert isinstance(data, dict)
    return data


def by_name(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in data["rows"]}


def figures(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row[key] for key in [*FIGURES, *FLAGS]}


def school(data: dict[str, Any], name: str) -> dict[str, Any]:
    row = by_name(data)[name]
    assert row["level"] == "school"
    return row


def expected(**values: Any) -> dict[str, Any]:
    """A row's figures: counts 0, targets and percentages None, flags False, unless given."""
    out: dict[str, Any] = {key: None if key.endswith(("_target", "_pct")) else 0 for key in FIGURES}
    out["conversion_rate"] = None
    out.update({flag: False for flag in FLAGS})
    out.update(values)
    return out


# ----------------------------------------------------------------------------- the JSON contract


def test_the_json_has_the_period_rows_and_totals_with_every_figure(province_sy):
    data = province_sy

    assert data["period"] == {
        "start": "2024-09-01",
        "end": "2025-08-31",
        "label": "năm học 2024-2025",
    }
    assert data["as_of"] == "2025-06-05"
    for row in data["rows"]:
        assert list(row)[:3] == ["level", "name", "unit"]
        assert row["level"] in ("school", "unit")
        for key in [*FIGURES, *FLAGS]:
            assert key in row, (row["name"], key)
        assert isinstance(row["at_risk"], bool)
        for key in ("students", "youth_union_members", "eligible", "class_actual",
                    "admitted_actual", "reachable", "admitted_women",
                    "admitted_ethnic_minority", "admitted_religious"):  # fmt: skip
            assert isinstance(row[key], int), key
    for key in [*FIGURES, *FLAGS]:
        assert key in data["totals"], key


def test_one_row_per_school_and_a_subtotal_per_unit_at_each_level(province_sy):
    rows = [(r["level"], r["name"], r["unit"]) for r in province_sy["rows"]]

    # children sorted the Vietnamese way ("phường" before "xã"), a unit after its schools and
    # sub-units; the province itself is the totals, not a row
    assert rows == [
        ("school", TP, WARD),
        ("unit", WARD, PROVINCE),
        ("school", NT, CLUSTER),
        ("unit", CLUSTER, COMMUNE),
        ("school", BL, COMMUNE),
        ("unit", COMMUNE, PROVINCE),
    ]


def test_each_schools_figures_for_the_school_year(province_sy):
    data = province_sy

    # Bình Lư: Lan and Sình admitted in the period; Lan's two classes count once, Sình's class
    # on 31/08/2024 and Hoa's in July not at all; of those who attended (Lan, Hùng) Lan is
    # admitted; Hoa alone eligible (Sình is admitted); Ngà and Hoa reachable.
    assert figures(school(data, BL)) == expected(
        students=10, youth_union_members=9, eligible=1,
        class_target=4, class_actual=2, class_pct=0.5,
        admitted_target=5, admitted_actual=2, admitted_pct=0.4,
        conversion_rate=0.5, reachable=2,
        admitted_women=1, admitted_ethnic_minority=1, admitted_religious=1,
        at_risk=True,  # 2 admitted + 2 reachable < 5
    )  # fmt: skip
    # Tam Đường: no target of its own; religion blank and "Không" are no religion.
    nt = figures(school(data, NT))
    assert nt == expected(
        students=4, youth_union_members=4, eligible=0,
        class_actual=3, admitted_actual=3, conversion_rate=pytest.approx(2 / 3), reachable=1,
        admitted_women=1, admitted_ethnic_minority=3, admitted_religious=1,
    )  # fmt: skip
    # Tân Phong: Thơ attended in July 2024 (before the period) and was admitted in November.
    assert figures(school(data, TP)) == expected(
        students=2, youth_union_members=2,
        class_target=3, class_actual=0, class_pct=0.0,
        admitted_target=1, admitted_actual=1, admitted_pct=1.0,
        conversion_rate=None,  # nobody attended the class in the period
        admitted_women=1,
        at_risk=False,  # 1 admitted + 0 reachable is the target of 1: not at risk
    )  # fmt: skip


def test_unit_rows_add_up_their_schools_and_sub_units(province_sy):
    rows = by_name(province_sy)

    cluster = rows[CLUSTER]
    assert cluster["level"] == "unit"
    assert figures(cluster) == figures(rows[NT])
    commune = rows[COMMUNE]
    for key in ("students", "youth_union_members", "eligible", "class_actual",
                "admitted_actual", "reachable", "admitted_women", "admitted_ethnic_minority",
                "admitted_religious"):  # fmt: skip
        assert commune[key] == rows[BL][key] + rows[NT][key], key
    # attended in the period: Lan, Hùng, Phủ, Phật, Páo; admitted by now: Lan, Phủ, Páo
    assert commune["conversion_rate"] == pytest.approx(3 / 5)
    assert figures(province_sy["totals"]) == expected(
        students=16, youth_union_members=15, eligible=1,
        class_target=20, class_actual=5, class_pct=0.25,
        admitted_target=8, admitted_actual=6, admitted_pct=0.75,
        conversion_rate=pytest.approx(0.6), reachable=3,
        admitted_women=3, admitted_ethnic_minority=4, admitted_religious=2,
    )  # fmt: skip


def test_a_report_for_one_school_has_its_row_only(run):
    data = report(run, *SY, "--school", "binh lu")

    assert [(r["level"], r["name"], r["unit"]) for r in data["rows"]] == [("school", BL, COMMUNE)]
    assert figures(data["totals"]) == figures(data["rows"][0])
    assert data["totals"]["admitted_target"] == 5


def test_without_unit_every_school_and_the_top_unit_are_rows(run, province_sy):
    data = report(run, *SY)

    rows = by_name(data)
    assert [r["name"] for r in data["rows"]] == [TP, WARD, NT, CLUSTER, BL, COMMUNE, PROVINCE]
    assert rows[PROVINCE]["level"] == "unit" and rows[PROVINCE]["unit"] is None
    assert figures(rows[PROVINCE]) == figures(province_sy["totals"])
    for key in ("students", "admitted_actual", "reachable", "class_target", "admitted_target"):
        assert data["totals"][key] == province_sy["totals"][key], key


# ----------------------------------------------------------------------------- counting rules


def test_a_calendar_year_counts_the_rosters_of_both_school_years_each_student_once(run):
    y2024 = report(run, "--year", "2024", "--school", BL)
    y2025 = report(run, "--year", "2025", "--school", BL)
    sy2324 = report(run, "--school-year", "2023-2024", "--school", BL)

    # 2024 overlaps 2023-2024 (Lan, Cũ) and 2024-2025 (ten, Lan among them): 11, not 12
    assert y2024["totals"]["students"] == 11
    # 2025 overlaps 2024-2025 and 2025-2026 (no roster yet): Cũ is gone
    assert y2025["totals"]["students"] == 10
    assert sy2324["totals"]["students"] == 2
    assert y2024["period"] == {"start": "2024-01-01", "end": "2024-12-31", "label": "năm 2024"}


def test_class_and_admission_count_distinct_students_dated_in_the_period(run):
    y2024 = report(run, "--year", "2024", "--school", BL)["totals"]
    y2025 = report(run, "--year", "2025", "--school", BL)["totals"]
    ranged = report(run, "--from", "31/08/2024", "--to", "01/09/2024", "--school", BL)["totals"]

    # 2024: Hoa (July), Sình (31/08), Lan (01/09 and 10/10: once), Hùng (October)
    assert y2024["class_actual"] == 4
    assert y2024["admitted_actual"] == 0
    assert y2025["class_actual"] == 0
    assert y2025["admitted_actual"] == 2  # Lan, Sình
    # both ends of a range are inside it
    assert ranged["class_actual"] == 2  # Sình on 31/08, Lan on 01/09


def test_the_breakdowns_of_the_admitted(run):
    totals = report(run, "--year", "2025")["totals"]

    # admitted in 2025: Lan (Nữ, Kinh, "Không tôn giáo"), Sình (Mông, Tin lành), Duyên (Nữ,
    # Dao, religion blank), Phủ (Dao, "Không"), Páo (Mông, Công giáo)
    assert totals["admitted_actual"] == 5
    assert totals["admitted_women"] == 2
    assert totals["admitted_ethnic_minority"] == 4
    assert totals["admitted_religious"] == 2


def test_conversion_is_null_when_nobody_attended_in_the_period(run):
    y2025 = report(run, "--year", "2025", "--school", BL)["totals"]

    # two admitted in 2025, but both attended the class in 2024
    assert y2025["class_actual"] == 0 and y2025["admitted_actual"] == 2
    assert y2025["conversion_rate"] is None
    assert y2025["at_risk"] is False  # no target for Bình Lư in 2025


def test_now_is_the_period_end_when_it_is_past_and_today_otherwise(run):
    y2024 = report(run, "--year", "2024", "--school", BL)
    later = report(run, "--year", "2024", "--school", BL, "--as-of", "05/06/2025")
    y2025 = report(run, "--year", "2025", "--school", BL)

    assert y2024["as_of"] == "2024-12-31"
    assert y2025["as_of"] == "2025-06-05"  # today, not 31/12/2025
    assert later["as_of"] == "2025-06-05"
    # attended in 2024: Hoa, Sình, Lan, Hùng; admitted by 31/12/2024: nobody; by 05/06/2025:
    # Sình and Lan
    assert y2024["totals"]["conversion_rate"] == 0.0
    assert later["totals"]["conversion_rate"] == 0.5
    # what happened in the period does not depend on "now"
    for key in ("students", "class_actual", "admitted_actual"):
        assert later["totals"][key] == y2024["totals"][key]


def test_eligible_is_judged_now_and_the_admitted_are_not_eligible(run):
    def eligible(*args: object) -> int:
        value = report(run, *SY, "--school", BL, *args)["totals"]["eligible"]
        assert isinstance(value, int)
        return value

    # 10/01/2025: term I results count only from 16/01
    assert eligible("--as-of", "10/01/2025") == 0
    # 01/03/2025: Sình (admitted 20/03) and Hoa meet every criterion
    assert eligible("--as-of", "01/03/2025") == 2
    # now (05/06/2025): Sình is admitted, so only Hoa
    assert eligible() == 1


def test_reachable_needs_the_grades_youth_union_and_18_in_time_not_mentor_or_class(run):
    sy = report(run, *SY, "--school", BL)["totals"]
    two_years = report(run, "--from", "01/09/2024", "--to", "31/08/2026", "--school", BL)["totals"]

    # Ngà (no mentor, no class, a discipline) and Hoa; not Hùng (18 after leaving school),
    # Tuấn (18 in 03/2026, after the period), Đức (not in the Youth Union), Dừng (stopped),
    # Kém (Trung bình), Mai (no step), Lan and Sình (admitted)
    assert sy["reachable"] == 2
    # over two school years Tuấn turns 18 in grade 12, before leaving: reachable too
    assert two_years["reachable"] == 3


def test_a_ceremony_or_full_membership_without_its_decision_is_admitted_all_the_same(run):
    # recorded the ceremony but not the decision (or a member admitted before the tool)
    run.ok("record", MAI.code, "le-ket-nap", "--date", "20/02/2025")
    run.ok("record", PHAT.code, "le-ket-nap", "--date", "01/05/2025")

    bl = report(run, *SY, "--school", BL)["totals"]
    nt = report(run, *SY, "--school", NT)["totals"]

    assert bl["reachable"] == 2  # Mai is a Party member: not someone who may still be admitted
    assert bl["at_risk"] is True
    assert nt["reachable"] == 0  # Phật neither
    assert nt["conversion_rate"] == 1.0  # Phủ, Phật, Páo attended and are admitted
    assert nt["admitted_actual"] == 3  # the figure itself counts decisions only


def test_who_is_counted_is_listed_with_names(run, tmp_path):
    run.ok("report", *SY, "--school", BL, "--xlsx", "--with-names")

    listed = names_sheet(tmp_path / "bao-cao-2024-2025.xlsx")
    assert listed["Có thể kết nạp thêm"] == {NGA.name, HOA.name}
    assert listed["Đủ điều kiện"] == {HOA.name}
    assert listed["Đã học lớp bồi dưỡng"] == {LAN.name, HUNG.name}
    assert listed["Đã kết nạp"] == {LAN.name, SINH.name}


def test_at_risk_compares_admitted_and_reachable_with_the_target(province_sy):
    rows = by_name(province_sy)

    assert rows[BL]["at_risk"] is True  # 2 + 2 < 5
    assert rows[TP]["at_risk"] is False  # 1 + 0 = 1
    assert rows[NT]["at_risk"] is False  # no target
    assert rows[WARD]["at_risk"] is True  # 1 + 0 < its own target of 2
    assert rows[COMMUNE]["at_risk"] is False  # 5 + 3 ≥ 5
    assert province_sy["totals"]["at_risk"] is False  # 6 + 3 ≥ 8


# ----------------------------------------------------------------------------- targets


def test_a_target_counts_only_for_a_report_of_exactly_its_period(run, province_sy):
    y2025 = by_name(report(run, "--year", "2025", "--unit", PROVINCE))
    ranged = report(run, *RANGE, "--unit", PROVINCE)
    shifted = report(run, "--from", "01/09/2024", "--to", "30/08/2025", "--unit", PROVINCE)

    # the school-year targets do not show in calendar year 2025; 2025's own target does
    assert y2025[BL]["class_target"] is None and y2025[BL]["admitted_target"] is None
    assert (y2025[TP]["class_target"], y2025[TP]["admitted_target"]) == (2, 1)
    assert by_name(province_sy)[TP]["class_target"] == 3
    # the phase 2024-2025 has the province's own target only
    assert ranged["totals"]["admitted_target"] == 10
    assert ranged["totals"]["admitted_target_is_sum"] is False
    assert all(r["admitted_target"] is None for r in ranged["rows"])
    # a range one day shorter than the school year is another period
    assert all(r["admitted_target"] is None for r in shifted["rows"])
    assert shifted["totals"]["admitted_target"] is None


def test_a_unit_without_a_target_shows_the_sum_of_its_childrens_down_the_tree(run):
    data = report(run, "--year", "2024", "--unit", PROVINCE)
    rows = by_name(data)

    assert rows[BL]["admitted_target"] == 1 and rows[BL]["admitted_target_is_sum"] is False
    assert rows[NT]["admitted_target"] == 2

    # the base committee has no target: its school's; the commune: its school + its sub-unit
    def admitted(row: dict[str, Any]) -> tuple[Any, bool]:
        return row["admitted_target"], row["admitted_target_is_sum"]

    assert admitted(rows[CLUSTER]) == (2, True)
    assert admitted(rows[COMMUNE]) == (3, True)
    assert admitted(data["totals"]) == (3, True)
    # nobody below the ward has a target: nothing to add up
    assert rows[WARD]["admitted_target"] is None
    assert rows[WARD]["admitted_target_is_sum"] is False
    assert data["totals"]["class_target"] is None
    assert data["totals"]["class_target_is_sum"] is False


def test_a_units_own_target_wins_over_the_sum_figure_by_figure(province_sy):
    ward = by_name(province_sy)[WARD]

    assert (ward["admitted_target"], ward["admitted_target_is_sum"]) == (2, False)  # own, not 1
    assert (ward["class_target"], ward["class_target_is_sum"]) == (3, True)  # no own class target
    assert ward["admitted_pct"] == 0.5
    commune = by_name(province_sy)[COMMUNE]
    assert (commune["class_target"], commune["admitted_target"]) == (4, 5)
    assert commune["class_target_is_sum"] is True and commune["admitted_target_is_sum"] is True


def test_the_totals_show_the_target_of_the_unit_the_report_is_for(run, province_sy):
    commune = report(run, *SY, "--unit", "xa binh lu")

    totals = province_sy["totals"]
    assert (totals["class_target"], totals["admitted_target"]) == (20, 8)
    assert province_sy["totals"]["admitted_target_is_sum"] is False
    assert [r["name"] for r in commune["rows"]] == [NT, CLUSTER, BL]
    assert commune["totals"]["admitted_target"] == 5
    assert commune["totals"]["admitted_target_is_sum"] is True
    assert commune["totals"]["students"] == 14


def test_a_school_without_a_unit_is_a_row_of_the_report_for_everyone(run, province_sy):
    run.ok("school", "add", "TT GDNN-GDTX Tam Đường")

    everyone = report(run, *SY)
    province = report(run, *SY, "--unit", PROVINCE)

    last = everyone["rows"][-1]
    assert (last["level"], last["name"], last["unit"]) == ("school", "TT GDNN-GDTX Tam Đường", None)
    assert last["students"] == 0
    assert everyone["totals"]["students"] == 16
    assert [r["name"] for r in province["rows"]] == [r["name"] for r in province_sy["rows"]]


NEW_COMMUNE = "Đảng ủy xã Bản Bo"  # formed in the 2025 reorganisation; no school moved in yet


def test_the_totals_show_the_units_target_before_any_school_is_under_it(run):
    run.ok("unit", "add", NEW_COMMUNE, "--kind", "xa", "--parent", PROVINCE)
    run.ok("target", "set", "--unit", NEW_COMMUNE, *SY, "--class", "10", "--admitted", "1")

    data = report(run, *SY, "--unit", "ban bo")

    assert data["rows"] == []
    assert (data["totals"]["class_target"], data["totals"]["admitted_target"]) == (10, 1)
    assert data["totals"]["at_risk"] is True  # nothing admitted, nobody reachable


def test_the_sum_of_targets_includes_a_child_unit_with_no_school_yet(run):
    run.ok("unit", "add", NEW_COMMUNE, "--kind", "xa", "--parent", PROVINCE)
    run.ok("target", "set", "--unit", NEW_COMMUNE, "--year", "2025", "--admitted", "1")

    totals = report(run, "--year", "2025", "--unit", PROVINCE)["totals"]

    # the province has no 2025 target: Tân Phong's 1 (through the ward) + Bản Bo's 1
    assert (totals["admitted_target"], totals["admitted_target_is_sum"]) == (2, True)


def test_moving_a_school_moves_its_figures_to_the_new_unit(run, province_sy):
    run.ok("school", "move", NT, "--unit", WARD, "--on", "01/07/2025")

    data = report(run, *SY, "--unit", PROVINCE)
    rows = by_name(data)

    assert CLUSTER not in rows  # a unit with no school left is not a row
    assert rows[NT]["unit"] == WARD
    assert rows[WARD]["admitted_actual"] == 1 + 3
    assert rows[COMMUNE]["admitted_actual"] == 2
    assert rows[NT]["admitted_actual"] == 3  # its history went with it
    assert figures(data["totals"]) == figures(province_sy["totals"])


def test_report_usage_errors_exit_2(run):
    for args in (
        [],  # no period
        ["--year", "2024", *SY],  # two periods
        ["--from", "01/09/2024"],  # a range without its end
        ["--from", "01/09/2025", "--to", "01/09/2024"],
        [*SY, "--unit", PROVINCE, "--school", BL],
        [*SY, "--unit", "Huyện ủy Tam Đường"],  # no such unit
        [*SY, "--out", "x.xlsx"],  # --out without a format
    ):
        result = run("report", *args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.strip(), args


# ----------------------------------------------------------------------------- files


def zip_text(path: Path) -> str:
    """Every XML part of an Office file, as text (character references such as &#7889; read)."""
    with zipfile.ZipFile(path) as z:
        return html.unescape(
            "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        )


def names_sheet(path: Path) -> dict[str, set[str]]:
    """The "Danh sách" sheet: figure label → the names listed under it."""
    ws = openpyxl.load_workbook(path)[NAMES_SHEET]
    out: dict[str, set[str]] = {}
    for row in ws.iter_rows(min_row=5, values_only=True):
        if row[0] is not None:
            out.setdefault(str(row[1]), set()).add(str(row[3]))
    return out


def xlsx_rows(path: Path) -> tuple[Any, dict[str, int]]:
    ws = openpyxl.load_workbook(path).active
    rows = {
        ws.cell(row=r, column=2).value: r
        for r in range(HEADER_ROW + 1, ws.max_row + 1)
        if ws.cell(row=r, column=2).value
    }
    return ws, rows


def cell(ws: Any, row: int, key: str) -> Any:
    return ws.cell(row=row, column=3 + 1 + FIGURES.index(key)).value


def test_xlsx_by_default_in_the_working_directory_titled_with_the_unit_and_period(run, tmp_path):
    result = run.ok("report", *SY, "--unit", "tinh lai chau", "--xlsx")

    path = tmp_path / "bao-cao-2024-2025.xlsx"
    assert path.exists()
    assert path.name in result.stdout
    ws, rows = xlsx_rows(path)
    titles = " | ".join(str(ws.cell(row=r, column=1).value) for r in range(1, HEADER_ROW))
    assert "NĂM HỌC 2024-2025" in titles
    assert f"Đơn vị: {PROVINCE}" in titles
    assert "01/09/2024" in titles and "31/08/2025" in titles
    assert list(rows) == [TP, f"Cộng {WARD}", NT, f"Cộng {CLUSTER}", BL, f"Cộng {COMMUNE}",
                          "Tổng cộng"]  # fmt: skip
    total = rows["Tổng cộng"]
    assert cell(ws, total, "students") == 16
    assert cell(ws, total, "class_target") == 20
    assert cell(ws, total, "class_actual") == 5
    assert cell(ws, total, "admitted_target") == 8
    assert cell(ws, total, "admitted_actual") == 6
    assert cell(ws, total, "admitted_pct") == pytest.approx(0.75)
    assert cell(ws, total, "conversion_rate") == pytest.approx(0.6)
    assert cell(ws, rows[NT], "class_target") == "—"
    assert ws.parent.sheetnames == ["Báo cáo"]


def test_xlsx_for_a_calendar_year_and_a_range_are_named_after_them(run, tmp_path):
    run.ok("report", "--year", "2024", "--xlsx")
    run.ok("report", *RANGE, "--xlsx")

    assert (tmp_path / "bao-cao-2024.xlsx").exists()
    assert (tmp_path / "bao-cao-2024-01-01_2025-12-31.xlsx").exists()


def test_out_names_the_file_of_one_format(run, tmp_path):
    run.ok("report", *SY, "--school", BL, "--xlsx", "--out", "binh-lu.xlsx")

    ws, rows = xlsx_rows(tmp_path / "binh-lu.xlsx")
    assert not (tmp_path / "bao-cao-2024-2025.xlsx").exists()
    assert f"Đơn vị: {BL}" in str(ws.cell(row=2, column=1).value)
    assert cell(ws, rows["Tổng cộng"], "admitted_actual") == 2


def test_out_is_a_folder_for_several_formats(run, tmp_path):
    run.ok("report", *SY, "--xlsx", "--html", "--docx", "--out", "gui-tinh")

    folder = tmp_path / "gui-tinh"
    assert sorted(p.name for p in folder.iterdir()) == [
        "bao-cao-2024-2025.docx",
        "bao-cao-2024-2025.html",
        "bao-cao-2024-2025.xlsx",
    ]


def test_out_with_the_wrong_extension_is_refused(run, tmp_path):
    result = run("report", *SY, "--xlsx", "--out", "x.pdf")

    assert result.exit_code == 2
    assert ".xlsx" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_no_student_name_or_code_leaves_without_with_names(run, tmp_path):
    run.ok("report", *SY, "--xlsx", "--html", "--docx", "--out", "out")

    texts = {
        "xlsx": zip_text(tmp_path / "out" / "bao-cao-2024-2025.xlsx"),
        "docx": zip_text(tmp_path / "out" / "bao-cao-2024-2025.docx"),
        "html": html.unescape((tmp_path / "out" / "bao-cao-2024-2025.html").read_text("utf-8")),
    }
    for fmt, text in texts.items():
        assert BL in text, fmt  # the files were read right
        for k in EVERYONE:
            assert k.name not in text, (fmt, k.name)
            assert k.code not in text, (fmt, k.code)
    assert openpyxl.load_workbook(tmp_path / "out" / "bao-cao-2024-2025.xlsx").sheetnames == [
        "Báo cáo"
    ]


def test_with_names_adds_the_list_sheet(run, tmp_path):
    run.ok("report", *SY, "--xlsx", "--html", "--out", "out", "--with-names")

    wb = openpyxl.load_workbook(tmp_path / "out" / "bao-cao-2024-2025.xlsx")
    assert wb.sheetnames == ["Báo cáo", NAMES_SHEET]
    listed = names_sheet(tmp_path / "out" / "bao-cao-2024-2025.xlsx")
    assert listed["Đã kết nạp"] == {LAN.name, SINH.name, DUYEN.name, PHU.name, PAO.name, THO.name}
    assert LAN.name in (tmp_path / "out" / "bao-cao-2024-2025.html").read_text("utf-8")


def test_the_terminal_shows_a_dash_for_targets_not_set(run):
    text = run.ok("report", *SY, "--unit", PROVINCE).stdout

    def line(needle: str) -> str:
        return next(x for x in text.splitlines() if needle in x)

    assert "năm học 2024-2025" in text
    assert "—" in line(NT)  # no target
    assert "—" not in line(BL)
    assert "Tổng cộng" in text
    for k in EVERYONE:
        assert k.name not in text
