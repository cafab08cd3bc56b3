"""Report templates: where they live (a user folder first, the packaged defaults behind it), the
Jinja environment that finds them, and the way every renderer writes a figure for people."""

from __future__ import annotations

import math
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import jinja2.sandbox

from dangvien_cli.core.errors import DangvienError, ExitCode, UsageError
from dangvien_cli.core.exporting import same_file
from dangvien_cli.reports.model import FIGURE_LABELS, PERCENT_FIGURES

if TYPE_CHECKING:
    from dangvien_cli.reports.model import Figures, NamedStudent, Report, ReportRow

HTML_TEMPLATE = "report.html.j2"
DOCX_TEMPLATE = "report.docx"
DASH = "—"
SUM_MARK = "(Σ)"
ALL_SCHOOLS = "Tất cả các trường"  # the scope of a report without --unit or --school
SUM_NOTE = "(Σ): chỉ tiêu là tổng chỉ tiêu của các đơn vị, trường trực thuộc."


def packaged_templates_dir() -> Path:
    """The default templates: ``dangvien_cli/templates`` in an installed wheel, else the
    repository's top-level ``templates/`` (an editable install does not copy it)."""
    installed = Path(str(resources.files("dangvien_cli"))) / "templates"
    if installed.is_dir():
        return installed
    repo = Path(__file__).resolve().parents[3] / "templates"
    if repo.is_dir():
        return repo
    raise UsageError(f"Không tìm thấy thư mục mẫu báo cáo ({installed} hoặc {repo}).")


def _search_path(user_dir: Path | None) -> list[Path]:
    folders = [user_dir.expanduser()] if user_dir is not None else []
    return [*folders, packaged_templates_dir()]


def split_template(
    template: str | None, default: str, user_dir: Path | None
) -> tuple[str, Path | None]:
    """A ``--template`` value is a file name looked up in the template folders (the user's
    first), or a path to a file, whose folder then comes first. Returns the name to load and
    the folder to search before the packaged templates."""
    if template is None:
        return default, user_dir
    given = Path(template).expanduser()
    bare = not given.is_absolute() and len(given.parts) == 1
    if bare and any((folder / template).is_file() for folder in _search_path(user_dir)):
        return template, user_dir
    if given.is_file():
        return given.name, given.resolve().parent
    return template, user_dir


def environment(user_dir: Path | None = None) -> jinja2.Environment:
    """Jinja with a ChoiceLoader: the user's folder first, the packaged templates behind it,
    autoescape on (names come from rosters), and the filters that write figures.

    Sandboxed: a template is a file someone may have sent (a Word report "from the province"),
    and a plain Jinja template can reach Python itself through attributes such as
    ``self.__init__.__globals__``. The sandbox refuses those (a SecurityError, see
    `template_error`) and leaves everything a report needs."""
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(str(folder)) for folder in _search_path(user_dir)]
    )
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = format_count
    env.filters["pct"] = format_percent
    env.filters["target"] = format_target
    env.filters["vndate"] = format_date
    return env


def load_html_template(template: str | None, user_dir: Path | None) -> jinja2.Template:
    name, folder = split_template(template, HTML_TEMPLATE, user_dir)
    try:
        return environment(folder).get_template(name)
    except jinja2.TemplateNotFound as exc:
        raise UsageError(_not_found(name, folder)) from exc
    except jinja2.TemplateError as exc:
        raise template_error(name, exc) from exc


def template_error(name: str, exc: jinja2.TemplateError) -> DangvienError:
    """A mistake in a (user's) template, as a message that says where it is. A template that
    reaches for what the sandbox refuses is not a mistake but a danger: exit 1, and no file."""
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return DangvienError(
            f"Mẫu báo cáo {name} bị từ chối: mẫu tìm cách truy cập phần bên trong của chương "
            "trình (có thể là mã độc). Không ghi tệp nào. Hãy dùng mẫu mặc định hoặc một mẫu "
            "từ nguồn tin cậy.",
            exit_code=ExitCode.FAILURE,
        )
    where = ""
    near = " ".join(t.strip() for t in getattr(exc, "docx_context", []) if t.strip())
    if near:  # docxtpl: the text around the tag, since the XML line means nothing to a user
        where = f", gần: «{near[:120]}»"
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        where = f", dòng {exc.lineno}"
    detail = exc.message or str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        detail = f"dùng một tên không có trong dữ liệu báo cáo ({detail})"
    return UsageError(f"Mẫu báo cáo {name} có lỗi{where}: {detail}")


def refuse_writing_over(template: Path, path: Path) -> None:
    """A report written onto its own template would destroy the template: refused."""
    if same_file(template, path):
        raise UsageError(
            f"Tệp kết quả {path} chính là mẫu báo cáo {template.name}: ghi vào đó sẽ mất mẫu. "
            "Hãy chọn tên tệp khác (--out)."
        )


def find_template_file(template: str | None, default: str, user_dir: Path | None) -> Path:
    """The first file of that name in the user folder, then among the packaged templates."""
    name, folder = split_template(template, default, user_dir)
    for directory in _search_path(folder):
        candidate = directory / name
        if candidate.is_file():
            return candidate
    raise UsageError(_not_found(name, folder))


def _not_found(name: str, user_dir: Path | None) -> str:
    where = ", ".join(str(p) for p in _search_path(user_dir))
    return f"Không tìm thấy mẫu báo cáo {name!r} (đã tìm trong: {where})."


# The text of a figure, the same in the terminal, the page and the Word report.


def format_count(value: int | None) -> str:
    """4410 → "4.410" (Vietnamese thousands); None → "—"."""
    if value is None:
        return DASH
    return f"{value:,}".replace(",", ".")


def format_percent(value: float | None) -> str:
    """0.5 → "50%", 2/3 → "66,7%"; None → "—"."""
    if value is None:
        return DASH
    tenths = math.floor(value * 1000 + 0.5) / 10
    if tenths == int(tenths):
        return f"{int(tenths)}%"
    return f"{tenths:.1f}%".replace(".", ",")


def format_target(value: int | None, is_sum: bool = False) -> str:
    """A target; one that is the sum of the children's targets is marked "12 (Σ)"."""
    if value is None:
        return DASH
    return f"{format_count(value)} {SUM_MARK}" if is_sum else format_count(value)


def format_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def party_date(day: date) -> str:
    """The date as a Party document writes it: "ngày 05 tháng 02 năm 2025", "ngày 15 tháng 6
    năm 2025" (a zero before days under 10 and months under 3)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def row_label(row: ReportRow) -> str:
    """A unit's row comes after its schools and adds them up: "Cộng Đảng ủy xã …"."""
    return f"Cộng {row.name}" if row.level == "unit" else row.name


def indents(report: Report) -> list[int]:
    """How far each row's name is indented: its depth below the shallowest row. A unit's
    subtotal sits one step left of its schools; a report for a unit (whose own row is the total)
    starts its schools and sub-units at the margin."""
    base = min((row.depth for row in report.rows), default=0)
    return [row.depth - base for row in report.rows]


def is_school_report(report: Report) -> bool:
    """A report for one school (``--school``) rather than for a unit or all schools."""
    rows = report.rows
    return len(rows) == 1 and rows[0].level == "school" and rows[0].name == report.scope


def scope_in_sentence(report: Report) -> str:
    """The scope inside a sentence: "Đảng ủy xã Bình Lư", but "các trường" for all schools."""
    return "các trường" if report.scope == ALL_SCHOOLS else report.scope


# The columns that turn green when their target is met: figure → (actual, target).
MET_COLUMNS = {
    "class_actual": ("class_actual", "class_target"),
    "class_pct": ("class_actual", "class_target"),
    "admitted_actual": ("admitted_actual", "admitted_target"),
    "admitted_pct": ("admitted_actual", "admitted_target"),
}


def met(actual: int, target: int | None) -> bool:
    return target is not None and target > 0 and actual >= target


def target_met(figures: Figures, key: str) -> bool:
    """Whether this column shows a target met (class or admission, actual or percentage)."""
    if key not in MET_COLUMNS:
        return False
    actual, target = MET_COLUMNS[key]
    return met(figures.value(actual), figures.value(target))


def figure_text(figures: Figures, key: str) -> str:
    """One figure as the tables show it: "4.410", "50%", "12 (Σ)", "—"."""
    value = figures.value(key)
    if key in PERCENT_FIGURES:
        return format_percent(value)
    if key == "class_target":
        return format_target(value, figures.class_target_is_sum)
    if key == "admitted_target":
        return format_target(value, figures.admitted_target_is_sum)
    return format_count(value)


def summary(report: Report) -> str:
    """The totals in one Vietnamese paragraph, for the page and the Word report."""
    t = report.totals
    who = scope_in_sentence(report)
    parts = [
        f"Trong {report.period.label}, {who} có {format_count(t.students)} học sinh "
        f"({format_count(t.youth_union_members)} đoàn viên)."
    ]
    class_part = (
        f"Đã cử {format_count(t.class_actual)} học sinh học lớp bồi dưỡng nhận thức về Đảng"
    )
    if t.class_target is not None:
        class_part += (
            f" (chỉ tiêu {format_count(t.class_target)}, đạt {format_percent(t.class_pct)})"
        )
    parts.append(class_part + ".")
    admitted_part = f"Đã kết nạp {format_count(t.admitted_actual)} học sinh vào Đảng"
    if t.admitted_target is not None:
        admitted_part += (
            f" (chỉ tiêu {format_count(t.admitted_target)}, đạt {format_percent(t.admitted_pct)})"
        )
    if t.admitted_actual:
        admitted_part += (
            f", trong đó {format_count(t.admitted_women)} nữ, "
            f"{format_count(t.admitted_ethnic_minority)} người dân tộc thiểu số, "
            f"{format_count(t.admitted_religious)} người có tôn giáo"
        )
    parts.append(admitted_part + ".")
    if t.conversion_rate is not None:
        parts.append(
            "Tỷ lệ kết nạp so với số học sinh đã học lớp bồi dưỡng: "
            f"{format_percent(t.conversion_rate)}."
        )
    parts.append(
        f"Đến {format_date(report.now)}, có {format_count(t.eligible)} học sinh đủ điều kiện và "
        f"{format_count(t.reachable)} học sinh có thể kết nạp thêm trước khi hết kỳ."
    )
    at_risk = [r.name for r in report.rows if r.level == "school" and r.figures.at_risk]
    if at_risk:
        parts.append(
            f"Có {len(at_risk)} trường có nguy cơ không đạt chỉ tiêu kết nạp: {', '.join(at_risk)}."
        )
    elif t.admitted_target is not None:
        parts.append("Không có trường nào có nguy cơ không đạt chỉ tiêu kết nạp.")
    if t.at_risk:
        parts.append("Toàn đơn vị có nguy cơ không đạt chỉ tiêu kết nạp.")
    return " ".join(parts)


def named_students(report: Report) -> list[tuple[str, NamedStudent]]:
    """The students counted in each figure (figure order, then row order), each once."""
    order = {key: i for i, key in enumerate(FIGURE_LABELS)}
    seen: set[tuple[str, NamedStudent]] = set()
    out: list[tuple[str, NamedStudent]] = []
    for row in report.rows:
        for key, students in row.names.items():
            for student in students:
                if (key, student) not in seen:
                    seen.add((key, student))
                    out.append((key, student))
    out.sort(key=lambda pair: order.get(pair[0], len(order)))
    return out
