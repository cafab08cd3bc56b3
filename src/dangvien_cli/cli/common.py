"""What several commands share: today's date, the user, and their options read one way.

An option's value the parsers refuse becomes a usage error here (`usage_errors`) and a file a
command is asked to write is checked here (`output_file`), with the messages every command
gave before each did it on its own.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dangvien_cli.core.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dangvien_cli.admission.pipeline import Step
    from dangvien_cli.core.calendar import Period
    from dangvien_cli.core.settings import Rules

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


@contextmanager
def usage_errors(option: str | None = None) -> Iterator[None]:
    """An option's value that the parsers refuse (ValueProblem) is the caller's mistake: a usage
    error with the parser's reason, after the option's name when one is given."""
    from dangvien_cli.core.cells import ValueProblem

    try:
        yield
    except ValueProblem as exc:
        raise UsageError(f"{option}: {exc.reason}" if option else exc.reason) from exc


def output_file(
    path: Path,
    suffix: str,
    *,
    option: str | None = None,
    refusal: str | None = None,
    overwrite: bool = True,
    inputs: Sequence[Path] = (),
) -> Path:
    """A file a command is asked to write: it must end in `suffix` (".xlsx"), else a usage
    error, `refusal` or "OPTION cần tên tệp .xlsx (nhận được “…”)."; an existing file is
    written over unless `overwrite` is False (a command without --force, or --force not given),
    and never when it is not a regular file (a folder, /dev/null, a pipe) or is one of the
    command's `inputs` (`import X.xlsx --errors X.xlsx` would replace the roster read).
    """
    from dangvien_cli.core.exporting import refuse_special_file, same_file

    assert option or refusal, "output_file needs the option's name or the refusal's text"
    if path.suffix.lower() != suffix:
        raise UsageError(
            (refusal or f"{option} cần tên tệp {suffix} (nhận được “{{name}}”).").format(
                name=path.name
            )
        )
    for given in inputs:
        if same_file(path, given):
            raise UsageError(
                f"{option or 'Tệp kết quả'} {path}: đây cũng là tệp đang đọc ({given}); ghi vào "
                "đó sẽ mất tệp gốc. Hãy chọn tên tệp khác."
            )
    refuse_special_file(path)
    if not overwrite and path.exists():
        raise UsageError(f"{path} đã có. Hãy chọn tên khác, hoặc thêm --force để ghi đè.")
    return path


def parse_date_option(text: str, option: str) -> date:
    """A date typed on the command line: dd/mm/yyyy (day first) or ISO yyyy-mm-dd."""
    from dangvien_cli.core.dates import parse_day

    with usage_errors(option):
        value = parse_day(text.strip())
    if value is None:
        raise UsageError(f"{option} cần một ngày, ví dụ 15/03/2025.")
    return value


def date_option(text: str | None, option: str) -> date | None:
    """An optional date option (--as-of, --from, …): None when not given."""
    return parse_date_option(text, option) if text else None


def school_year_option(text: str | None) -> int | None:
    """--school-year 2024-2025 (or 2024): the year the school year starts."""
    from dangvien_cli.core.calendar import parse_school_year_option

    with usage_errors():
        return parse_school_year_option(text) if text else None


def class_option(text: str | None) -> str | None:
    """--class 12a1: the class name as the rosters write it."""
    from dangvien_cli.core.classes import parse_class_name

    with usage_errors():
        return parse_class_name(text) if text else None


def term_option(text: str | None) -> str | None:
    """--term hk1, hk2 or cn."""
    from dangvien_cli.core.calendar import parse_term_option

    with usage_errors():
        return parse_term_option(text) if text else None


def step_option(slug: str) -> Step:
    """A step of the pipeline named by its slug; an unknown one is a usage error listing them
    (PipelineError is one)."""
    from dangvien_cli.admission.pipeline import step_by_slug

    return step_by_slug(slug)


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
    rules: Rules,
    year: int | None,
    school_year: str | None,
    start: str | None,
    end: str | None,
) -> Period:
    """The period from --year, --school-year or --from/--to (school years start as configured)."""
    from dangvien_cli.core.calendar import period_of

    sy = school_year_option(school_year)
    if year is not None and not 1900 <= year <= 2100:
        raise UsageError(f"--year {year}: năm phải từ 1900 đến 2100.")
    return period_of(
        year=year,
        school_year=sy,
        start=date_option(start, "--from"),
        end=date_option(end, "--to"),
        rules=rules,
    )


def print_json(value: Any) -> None:
    """A command's --json result on stdout: UTF-8 as it is (Vietnamese stays readable),
    indented by two spaces. (Here rather than in cli.output, which every command would then
    load at start-up.)"""
    import json

    import typer

    from dangvien_cli.core.text import printable_json

    typer.echo(printable_json(json.dumps(value, ensure_ascii=False, indent=2)))


def literal(value: object) -> str:
    """A name, a path, a note (anything from the database, a file or the command line) inside
    a rich markup string: its "[" escaped, so "[/]" or "[bold]" in a school's name prints as it
    is, and its control characters written visibly ("\\x1b"), so an escape sequence stored by an
    older version cannot act on the terminal."""
    from rich.markup import escape

    from dangvien_cli.core.text import printable

    return escape(printable(str(value)))
