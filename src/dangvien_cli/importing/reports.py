"""What an import reports: per sheet and per file (the counts, the rejected rows, the notes),
and its progress as it goes (Progress; the command line draws it, tests ignore it)."""

from __future__ import annotations

from collections.abc import Callable
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

    # Notes said once for the file whatever the number of sheets they concern: kind → (the
    # note's place in `notes`, the sheets named).
    _grouped: dict[str, tuple[int, list[str]]] = field(default_factory=dict, repr=False)

    def note_sheet(self, kind: str, sheet: str, text: Callable[[str], str]) -> None:
        """Add `sheet` to the file's one note of this kind: text("Trang “A”" or "Các trang
        “A”, “B”") is the note, written when the first sheet comes and rewritten as more do."""
        at, sheets = self._grouped.setdefault(kind, (len(self.notes), []))
        if sheet in sheets:
            return
        sheets.append(sheet)
        listed = ", ".join(f"“{s}”" for s in sheets)
        note = text(f"Trang {listed}" if len(sheets) == 1 else f"Các trang {listed}")
        if at == len(self.notes):
            self.notes.append(note)
        else:
            self.notes[at] = note

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
