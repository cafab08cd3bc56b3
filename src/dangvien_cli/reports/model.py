"""The progress report as plain data: a period, rows of figures per school and unit, totals.

Every renderer (terminal, Excel, HTML, Word) reads only these classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from dangvien_cli.core.calendar import Period

# The figures of one row, in the order reports show them, with their Vietnamese headers.
FIGURE_LABELS: dict[str, str] = {
    "students": "Số học sinh",
    "youth_union_members": "Đoàn viên",
    "eligible": "Đủ điều kiện",
    "class_target": "Chỉ tiêu học lớp bồi dưỡng",
    "class_actual": "Đã học lớp bồi dưỡng",
    "class_pct": "Tỷ lệ đạt (lớp BD)",
    "admitted_target": "Chỉ tiêu kết nạp",
    "admitted_actual": "Đã kết nạp",
    "admitted_pct": "Tỷ lệ đạt (kết nạp)",
    "conversion_rate": "Tỷ lệ kết nạp / học lớp",
    "reachable": "Có thể kết nạp thêm",
    "admitted_women": "Kết nạp: nữ",
    "admitted_ethnic_minority": "Kết nạp: dân tộc thiểu số",
    "admitted_religious": "Kết nạp: có tôn giáo",
}
PERCENT_FIGURES = frozenset({"class_pct", "admitted_pct", "conversion_rate"})


@dataclass
class Figures:
    students: int = 0
    youth_union_members: int = 0
    eligible: int = 0
    class_target: int | None = None
    class_actual: int = 0
    admitted_target: int | None = None
    admitted_actual: int = 0
    attended: int = 0  # of class_actual, how many were admitted by the report date
    attended_admitted: int = 0
    reachable: int = 0
    admitted_women: int = 0
    admitted_ethnic_minority: int = 0
    admitted_religious: int = 0
    class_target_is_sum: bool = False  # the unit has no target of its own: its children's sum
    admitted_target_is_sum: bool = False

    @property
    def class_pct(self) -> float | None:
        return _ratio(self.class_actual, self.class_target)

    @property
    def admitted_pct(self) -> float | None:
        return _ratio(self.admitted_actual, self.admitted_target)

    @property
    def conversion_rate(self) -> float | None:
        return _ratio(self.attended_admitted, self.attended) if self.attended else None

    @property
    def at_risk(self) -> bool:
        if self.admitted_target is None:
            return False
        return self.admitted_actual + self.reachable < self.admitted_target

    def value(self, key: str) -> Any:
        return getattr(self, key)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {key: self.value(key) for key in FIGURE_LABELS}
        out["at_risk"] = self.at_risk
        out["class_target_is_sum"] = self.class_target_is_sum
        out["admitted_target_is_sum"] = self.admitted_target_is_sum
        return out


def _ratio(actual: int, target: int | None) -> float | None:
    if not target:  # no target, or a target of nothing: no percentage to speak of
        return None
    return actual / target


@dataclass(frozen=True)
class NamedStudent:
    """A student counted in a figure (only with --with-names)."""

    student_code: str | None
    full_name: str
    school: str
    class_name: str | None


@dataclass
class ReportRow:
    level: str  # school | unit | total
    name: str
    unit: str | None  # the unit a school or unit belongs to
    depth: int  # 0 for the unit the report is for; children one deeper
    figures: Figures
    names: dict[str, list[NamedStudent]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"level": self.level, "name": self.name, "unit": self.unit, **self.figures.as_json()}


@dataclass
class Report:
    period: Period
    scope: str  # the unit or school the report is for, or "Tất cả các trường"
    now: date  # the date eligible, conversion_rate and reachable are judged at
    generated_at: datetime
    rows: list[ReportRow]  # schools and unit subtotals, in tree order (a unit after its schools)
    totals: Figures
    with_names: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period.as_json(),
            "scope": self.scope,
            "as_of": self.now.isoformat(),
            "rows": [r.as_json() for r in self.rows],
            "totals": self.totals.as_json(),
        }

    @property
    def funnel(self) -> list[tuple[str, int]]:
        """Attended the class → eligible → admitted, for the whole report."""
        t = self.totals
        return [
            (FIGURE_LABELS[key], t.value(key))
            for key in ("class_actual", "eligible", "admitted_actual")
        ]
