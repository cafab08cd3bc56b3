"""What several commands share: today's date, the user, dates and scopes from options."""

from __future__ import annotations

import getpass
import os
from datetime import date
from typing import TYPE_CHECKING

from dangvien_cli.core.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dangvien_cli.core.calendar import Period

TODAY_VAR = "DANGVIEN_TODAY"  # pins "today" for training sessions and tests


def today() -> date:
    """The only place the program asks what day it is."""
    pinned = os.environ.get(TODAY_VAR)
    if pinned:
        return parse_date_option(pinned, TODAY_VAR)
    return date.today()


def os_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no user name in a bare container
        return None


def parse_date_option(text: str, option: str) -> date:
    """A date typed on the command line: dd/mm/yyyy (day first) or ISO yyyy-mm-dd."""
    from dangvien_cli.core.cells import ValueProblem
    from dangvien_cli.core.dates import parse_day

    try:
        value = parse_day(text.strip())
    except ValueProblem as exc:
        raise UsageError(f"{option}: {exc.reason}") from exc
    if value is None:
        raise UsageError(f"{option} cần một ngày, ví dụ 15/03/2025.")
    return value


def school_scope(session: Session, school: str | None, unit: str | None) -> set[int] | None:
    """The schools a --school or --unit option names; None for every school."""
    if school and unit:
        raise UsageError("Chỉ dùng một trong hai: --school hoặc --unit.")
    if school:
        from dangvien_cli.organisation.schools import resolve_school

        found = resolve_school(session, school)
        assert found.id is not None
        return {found.id}
    if unit:
        from dangvien_cli.organisation.units import resolve_unit, schools_under

        unit_id, _ = resolve_unit(session, unit)
        return schools_under(session, unit_id)
    return None


def period_option(
    session: Session,
    year: int | None,
    school_year: str | None,
    start: str | None,
    end: str | None,
) -> Period:
    """The period from --year, --school-year or --from/--to (school years start as configured)."""
    from dangvien_cli.core.calendar import parse_school_year_option, period_of
    from dangvien_cli.core.cells import ValueProblem
    from dangvien_cli.db.settings import current_rules

    try:
        sy = parse_school_year_option(school_year) if school_year else None
    except ValueProblem as exc:
        raise UsageError(exc.reason) from exc
    if year is not None and not 1900 <= year <= 2100:
        raise UsageError(f"--year {year}: năm phải từ 1900 đến 2100.")
    return period_of(
        year=year,
        school_year=sy,
        start=parse_date_option(start, "--from") if start else None,
        end=parse_date_option(end, "--to") if end else None,
        rules=current_rules(session),
    )
