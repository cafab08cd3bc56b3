"""What an import reports: per sheet and per file (the counts, the rejected rows, the notes),
and its progress as it goes (Progress; the command line draws it, tests ignore it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from dangvien_cli.importing.rows import RowError
from dangvien_cli.roster.records import Counts


class Progress(Protocol):
    """How the importer reports progress; the command line draws it, tests ignore it."""

    def start(self, description: str, total: int) -> None: ...

    def advance(self, amount: int) -> None: ...

    def finish(self) -> None: ...


class NoProgress:
    def start(self, description: str, total: int) -> None:
        pass

    def advance(self, amount: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass
class SheetReport:
    name: str
    kind: str  # roster | milestones
    rows: int = 0
    counts: Counts = field(default_factory=Counts)
    rejected: int = 0
    school: str | None = None
    school_year: str | None = None
    term: str | None = None
    classes: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "rows": self.rows,
            "created": self.counts.created,
            "updated": self.counts.updated,
            "unchanged": self.counts.unchanged,
            "rejected": self.rejected,
            "school": self.school,
            "school_year": self.school_year,
            "term": self.term,
            "classes": self.classes,
            "unknown_columns": self.unknown_columns,
        }


@dataclass
class FileReport:
    path: str
    sheets: list[SheetReport] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = True  # False after --strict refused the file, or --dry-run
    schools_created: list[str] = field(default_factory=list)
    # Students moved here from another school: {"sheet", "row", "student_code", "from_school",
    # "to_school"}; in --json only when there are some.
    transfers: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts(self) -> Counts:
        total = Counts()
        for s in self.sheets:
            total.add(s.counts)
        return total

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.sheets)

    def as_json(self) -> dict[str, Any]:
        c = self.counts
        return {
            "path": self.path,
            "sheets": [s.as_json() for s in self.sheets],
            "created": c.created,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "rejected": self.rejected,
            "written": self.written,
            "errors": [e.as_json() for e in self.errors],
            "notes": self.notes,
            **({"transfers": self.transfers} if self.transfers else {}),
        }


def merge_sheet_reports(reports: list[SheetReport]) -> list[SheetReport]:
    """A sheet holding several class blocks is reported once."""
    merged: dict[str, SheetReport] = {}
    for rep in reports:
        into = merged.get(rep.name)
        if into is None:
            merged[rep.name] = rep
            continue
        into.rows += rep.rows
        into.rejected += rep.rejected
        into.counts.add(rep.counts)
        into.classes = sorted(set(into.classes) | set(rep.classes))
        into.unknown_columns = list(dict.fromkeys(into.unknown_columns + rep.unknown_columns))
    return list(merged.values())
