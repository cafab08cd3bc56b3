"""What ties the rows of a school's file together, checked as they are read (the tables in the
order they depend on each other): every id a row points at is in the file, the keys that must
be unique are, the name keys match the names, and the unit tree is a tree of sane depth."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from dangvien_cli.core.text import fold, name_key, school_key
from dangvien_cli.merge.refusal import Refused
from dangvien_cli.merge.schema import TABLES
from dangvien_cli.organisation.units import unit_cycles

__all__ = ["UNIT_DEPTH_MAX", "Links"]

UNIT_DEPTH_MAX: Final = 20  # province, district, commune, base committee… a few levels

# (table, columns) whose values must be unique in the file, as the province's schema wants.
_UNIQUE: Final = {
    "unit": ("name_key",),
    "school": ("name_key",),
    "school_year": ("start_year",),
    "student": ("student_code",),
    "youth_union": ("person_id",),
    "enrollment": ("student_id", "school_year_id"),
    "term_result": ("student_id", "school_year_id", "term"),
}
_KEYS: Final[dict[str, tuple[str, Callable[[str], str]]]] = {
    "unit": ("name", fold),
    "school": ("name", school_key),
    "person": ("full_name", name_key),
}
# The foreign keys, from the models: (table, column) → the table pointed at.
_POINTS: Final = {
    (name, fk.parent.name): fk.column.table.name
    for name, table in TABLES.items()
    for fk in table.foreign_keys
}


@dataclass
class Links:
    """The state of the checks across rows while the file is read."""

    ids: dict[str, set[int]] = field(default_factory=dict)
    seen: dict[str, dict[tuple[Any, ...], int]] = field(default_factory=dict)
    parents: dict[int, int | None] = field(default_factory=dict)
    person_keys: dict[int, str] = field(default_factory=dict)
    students_of: set[int] = field(default_factory=set)  # persons who are a student

    def present(self, table: str, row_id: int, values: dict[str, Any]) -> None:
        """A row refused for its values is still there: rows pointing at it are no orphans."""
        self.ids.setdefault(table, set()).add(row_id)
        if table == "student" and isinstance(values.get("person_id"), int):
            self.students_of.add(values["person_id"])

    def row(self, table: str, row_id: int, values: dict[str, Any]) -> list[Refused]:
        """What is wrong with how this row (its values already of the right type) ties to the
        rows read before it."""
        out = [*self._points(table, row_id, values), *self._unique(table, row_id, values)]
        out += self._keys(table, row_id, values)
        self.ids.setdefault(table, set()).add(row_id)
        if table == "unit":
            self.parents[row_id] = values["parent_id"]
        elif table == "student":
            self.students_of.add(values["person_id"])
        elif table in ("youth_union", "milestone") and values["person_id"] not in self.students_of:
            out.append(Refused(table, row_id, "person_id", "người này không là học sinh nào"))
        if table == "school_year" and values["label"] != _year_label(values["start_year"]):
            out.append(Refused(table, row_id, "label", "không khớp với năm bắt đầu"))
        replaces = values["replaces_id"] if table == "milestone" else None
        if replaces is not None and replaces >= row_id:
            out.append(Refused(table, row_id, "replaces_id", "thay cho một mốc ghi sau nó"))
        return out

    def _points(self, table: str, row_id: int, values: dict[str, Any]) -> list[Refused]:
        out = []
        for column, value in values.items():
            target = _POINTS.get((table, column))
            if target is None or value is None or target == table:
                continue
            if value not in self.ids.get(target, set()):
                out.append(
                    Refused(
                        table, row_id, column,
                        f"trỏ tới dòng id {value} của bảng {target}, không có trong tệp",
                    )
                )  # fmt: skip
        return out

    def _unique(self, table: str, row_id: int, values: dict[str, Any]) -> list[Refused]:
        columns = _UNIQUE.get(table)
        if columns is None:
            return []
        key = tuple(values[c] for c in columns)
        if any(v is None for v in key):
            return []
        seen = self.seen.setdefault(table, {})
        first = seen.setdefault(key, row_id)
        if first == row_id:
            return []
        return [Refused(table, row_id, "/".join(columns), f"trùng với dòng id {first}")]

    def _keys(self, table: str, row_id: int, values: dict[str, Any]) -> list[Refused]:
        if table == "student":
            person_key = self.person_keys.get(values["person_id"])
            if person_key is not None and values["name_key"] != person_key:
                return [Refused(table, row_id, "name_key", "không khớp với tên của người này")]
            return []
        if table not in _KEYS:
            return []
        column, key = _KEYS[table]
        if table == "person":
            self.person_keys[row_id] = values["name_key"]
        if values["name_key"] != key(values[column]):
            return [Refused(table, row_id, "name_key", f"không khớp với cột {column}")]
        return []

    def finish(self) -> list[Refused]:
        """What only the whole file shows: the unit tree (parents in the file, no cycle, not
        deeper than UNIT_DEPTH_MAX)."""
        out = []
        units = self.ids.get("unit", set())
        for uid, parent in sorted(self.parents.items()):
            if parent is not None and parent not in units:
                out.append(
                    Refused("unit", uid, "parent_id", f"trỏ tới đơn vị id {parent}, không có")
                )
        parents = {u: p if p in units else None for u, p in self.parents.items()}
        cycles = unit_cycles(parents)
        for cycle in cycles:
            ids = ", ".join(str(u) for u in cycle)
            out.append(
                Refused("unit", min(cycle), "parent_id", f"cây đơn vị thành vòng (các id {ids})")
            )
        return out if cycles else out + _too_deep(parents)


def _year_label(start: int) -> str:
    return f"{start}-{start + 1}"


def _too_deep(parents: dict[int, int | None]) -> list[Refused]:
    """The first unit beyond UNIT_DEPTH_MAX on each too long chain (of a tree without cycles)."""
    depth: dict[int, int] = {}
    out = []
    for start in sorted(parents):
        path = []
        node: int | None = start
        while node is not None and node not in depth:
            path.append(node)
            node = parents.get(node)
        below = depth.get(node, 0) if node is not None else 0
        for unit in reversed(path):
            below += 1
            depth[unit] = below
            if below == UNIT_DEPTH_MAX + 1:
                out.append(
                    Refused(
                        "unit", unit, "parent_id",
                        f"chuỗi đơn vị cấp trên sâu quá {UNIT_DEPTH_MAX} tầng",
                    )
                )  # fmt: skip
    return out
