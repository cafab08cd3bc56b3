"""A progress report built by hand for the renderers' tests: a province, two communes, three
schools (one at risk, one without a target), a commune whose targets are its schools' sum."""

from __future__ import annotations

from datetime import date, datetime

from dangvien_cli.core.calendar import Period
from dangvien_cli.reports.model import Figures, NamedStudent, Report, ReportRow

BINH_LU = "Đảng ủy xã Bình Lư"
BAN_BO = "Đảng ủy xã Bản Bo"
SCHOOL_OK = "THPT Bình Lư"
SCHOOL_AT_RISK = "PT DTNT <b>Tam Đường</b>"  # markup in a name must come out as text
SCHOOL_NO_TARGET = "TT GDNN-GDTX Tam Đường"


def _names() -> dict[str, list[NamedStudent]]:
    return {
        "class_actual": [
            NamedStudent("0123456789", "Lò Thị Hương", SCHOOL_OK, "12A1"),
            NamedStudent("0123456790", "Nguyễn Văn Đức", SCHOOL_OK, "12A2"),
        ],
        "admitted_actual": [NamedStudent("0123456789", "Lò Thị Hương", SCHOOL_OK, "12A1")],
        "admitted_women": [NamedStudent("0123456789", "Lò Thị Hương", SCHOOL_OK, "12A1")],
    }


def build_report(*, with_names: bool) -> Report:
    ok = Figures(
        students=4410,
        youth_union_members=3020,
        eligible=6,
        class_target=10,
        class_actual=12,
        admitted_target=2,
        admitted_actual=2,
        attended=12,
        attended_admitted=2,
        reachable=3,
        admitted_women=1,
        admitted_ethnic_minority=1,
        admitted_religious=0,
    )
    at_risk = Figures(
        students=380,
        youth_union_members=250,
        eligible=1,
        class_target=8,
        class_actual=5,
        admitted_target=3,
        admitted_actual=0,
        attended=5,
        attended_admitted=0,
        reachable=1,
    )
    no_target = Figures(
        students=150,
        youth_union_members=60,
        eligible=0,
        class_actual=3,
        admitted_actual=0,
        attended=3,
        reachable=0,
    )
    binh_lu = Figures(
        students=4790,
        youth_union_members=3270,
        eligible=7,
        class_target=18,
        class_actual=17,
        admitted_target=5,
        admitted_actual=2,
        attended=17,
        attended_admitted=2,
        reachable=4,
        admitted_women=1,
        admitted_ethnic_minority=1,
        class_target_is_sum=True,
        admitted_target_is_sum=True,
    )
    ban_bo = Figures(
        students=150,
        youth_union_members=60,
        eligible=0,
        class_target=5,
        class_actual=3,
        admitted_target=1,
        admitted_actual=0,
        attended=3,
        reachable=1,
    )
    totals = Figures(
        students=4940,
        youth_union_members=3330,
        eligible=7,
        class_target=20,
        class_actual=20,
        admitted_target=5,
        admitted_actual=2,
        attended=20,
        attended_admitted=2,
        reachable=5,
        admitted_women=1,
        admitted_ethnic_minority=1,
    )
    rows = [
        ReportRow("school", SCHOOL_OK, BINH_LU, 2, ok, _names() if with_names else {}),
        ReportRow("school", SCHOOL_AT_RISK, BINH_LU, 2, at_risk),
        ReportRow("unit", BINH_LU, "Tỉnh Lai Châu", 1, binh_lu),
        ReportRow("school", SCHOOL_NO_TARGET, BAN_BO, 2, no_target),
        ReportRow("unit", BAN_BO, "Tỉnh Lai Châu", 1, ban_bo),
    ]
    return Report(
        period=Period(
            start=date(2024, 9, 1),
            end=date(2025, 8, 31),
            label="năm học 2024-2025",
            kind="school_year",
            slug="2024-2025",
        ),
        scope="Tỉnh Lai Châu",
        now=date(2025, 6, 5),
        generated_at=datetime(2025, 6, 5, 9, 30),
        rows=rows,
        totals=totals,
        with_names=with_names,
    )
