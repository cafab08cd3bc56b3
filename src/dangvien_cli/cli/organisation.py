"""`dangvien unit`, `school` and `target`: the tree of units and the plan targets."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from dangvien_cli.cli import stdout_console
from dangvien_cli.cli.common import date_option, literal, period_option, print_json, today
from dangvien_cli.cli.context import command_context

unit_app = typer.Typer(
    help="""Các đơn vị đảng (tỉnh, xã/phường, đảng ủy cơ sở… — một cây nhiều cấp).

Ví dụ:

  dangvien unit add "Tỉnh Lai Châu" --kind tinh

  dangvien unit add "Đảng ủy xã Bình Lư" --kind xa --parent "Tỉnh Lai Châu"

  dangvien unit list
""",
    no_args_is_help=True,
)
school_app = typer.Typer(
    help="""Các trường và đơn vị đảng mà chi bộ trường trực thuộc.

Ví dụ:

  dangvien school add "THPT Bình Lư" --unit "Đảng ủy xã Bình Lư"

  dangvien school move "THPT Bình Lư" --unit "Đảng ủy xã Bình Lư" --on 01/07/2025
""",
    no_args_is_help=True,
)
target_app = typer.Typer(
    help="""Chỉ tiêu kế hoạch của một đơn vị hoặc một trường cho một kỳ.

Ví dụ:

  dangvien target set --unit "Tỉnh Lai Châu" --year 2024 --class 20 --admitted 1

  dangvien target set --school "THPT Bình Lư" --school-year 2024-2025 --class 10 --admitted 1

  dangvien target list
""",
    no_args_is_help=True,
)

KINDS_HELP = "Loại: tinh, huyen, xa, phuong, dac-khu, dang-uy-co-so, khac."


@unit_app.command(
    "add",
    help="""Thêm một đơn vị.

Ví dụ:

  dangvien unit add "Tỉnh Lai Châu" --kind tinh

  dangvien unit add "Đảng ủy xã Bình Lư" --kind xa --parent "Tỉnh Lai Châu"
""",
    no_args_is_help=True,
)
def unit_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Tên đơn vị.", metavar="TÊN")],
    kind: Annotated[str, typer.Option("--kind", help=KINDS_HELP, metavar="LOẠI")],
    parent: Annotated[
        str | None, typer.Option("--parent", help="Đơn vị cấp trên.", metavar="TÊN")
    ] = None,
) -> None:
    from dangvien_cli.core.text import free_text
    from dangvien_cli.organisation.units import add_unit

    with command_context(ctx, write=True) as c:
        _, added = add_unit(
            c.session, free_text(name), kind=kind.strip().lower(), parent=parent, stamp=c.stamp
        )
    stdout_console().print(f"Đã thêm đơn vị {literal(added)}.")


@unit_app.command(
    "list",
    help="""Cây các đơn vị và các trường trực thuộc.

Ví dụ:

  dangvien unit list

  dangvien unit list --json
""",
)
def unit_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    from dangvien_cli.organisation.units import unit_listing

    with command_context(ctx) as c:
        data = unit_listing(c.session)
    if as_json:
        print_json(data)
        return
    _print_units(data)


def _print_units(data: dict[str, Any]) -> None:
    """The tree of `unit list` on the terminal: each unit's units, then its schools."""
    from rich.tree import Tree

    from dangvien_cli.organisation.units import UNIT_KINDS

    root = Tree("[bold]Các đơn vị[/]")

    def add(branch: Tree, unit: dict[str, Any]) -> None:
        kind = UNIT_KINDS.get(unit["kind"] or "", unit["kind"] or "")
        sub = branch.add(f"[bold]{literal(unit['name'])}[/] [dim]({literal(kind)})[/]")
        for child in unit["units"]:
            add(sub, child)
        for school in unit["schools"]:
            sub.add(f"🏫 {literal(school)}")

    for top in data["units"]:
        add(root, top)
    if data["schools_without_unit"]:
        loose = root.add("[dim]Chưa thuộc đơn vị nào[/]")
        for school in data["schools_without_unit"]:
            loose.add(f"🏫 {literal(school)}")
    stdout_console().print(root)


@unit_app.command(
    "move",
    help="""Đặt một đơn vị dưới đơn vị cấp trên khác (ví dụ sau sắp xếp năm 2025).

Ví dụ:

  dangvien unit move "Đảng ủy xã Bình Lư" --parent "Tỉnh Lai Châu"
""",
    no_args_is_help=True,
)
def unit_move(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Đơn vị.", metavar="TÊN")],
    parent: Annotated[
        str | None,
        typer.Option(
            "--parent", help="Đơn vị cấp trên mới (bỏ trống: cấp cao nhất).", metavar="TÊN"
        ),
    ] = None,
) -> None:
    from dangvien_cli.organisation.units import move_unit

    with command_context(ctx, write=True) as c:
        move_unit(c.session, name, parent=parent, stamp=c.stamp)
    stdout_console().print(f"Đã chuyển {literal(name)} về {literal(parent or 'cấp cao nhất')}.")


@school_app.command(
    "add",
    help="""Thêm một trường (chi bộ trường) dưới một đơn vị.

Ví dụ:

  dangvien school add "THPT Bình Lư" --unit "Đảng ủy xã Bình Lư"
""",
    no_args_is_help=True,
)
def school_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Tên trường.", metavar="TÊN")],
    unit: Annotated[
        str | None, typer.Option("--unit", help="Đơn vị trực thuộc.", metavar="TÊN")
    ] = None,
) -> None:
    from dangvien_cli.core.text import free_text
    from dangvien_cli.organisation.schools import add_school

    with command_context(ctx, write=True) as c:
        _, added = add_school(c.session, free_text(name), unit=unit, stamp=c.stamp)
    stdout_console().print(f"Đã thêm trường {literal(added)}.")


@school_app.command(
    "list",
    help="""Các trường, đơn vị trực thuộc, số học sinh (như `dangvien schools`).

Ví dụ:

  dangvien school list --json
""",
)
def school_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    from dangvien_cli.cli.listing import schools_command

    schools_command(ctx, as_json=as_json)


@school_app.command(
    "move",
    help="""Chuyển một trường sang đơn vị khác; học sinh, hồ sơ và lịch sử của trường giữ nguyên,
việc chuyển được ghi vào nhật ký với ngày chuyển.

Ví dụ:

  dangvien school move "THPT Bình Lư" --unit "Đảng ủy xã Bình Lư" --on 01/07/2025
""",
    no_args_is_help=True,
)
def school_move(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Trường.", metavar="TÊN")],
    unit: Annotated[str, typer.Option("--unit", help="Đơn vị mới.", metavar="TÊN")],
    on: Annotated[
        str | None, typer.Option("--on", help="Ngày chuyển (mặc định: hôm nay).", metavar="NGÀY")
    ] = None,
) -> None:
    from dangvien_cli.organisation.schools import move_school

    day = date_option(on, "--on") or today()
    with command_context(ctx, write=True) as c:
        moved, old, new = move_school(c.session, name, unit=unit, on=day, stamp=c.stamp)
    stdout_console().print(
        f"Đã chuyển {literal(moved)}: {literal(old or '(chưa thuộc đơn vị nào)')} → "
        f"{literal(new)}, từ {day:%d/%m/%Y}."
    )


@target_app.command(
    "set",
    help="""Đặt chỉ tiêu (đặt lại thì thay chỉ tiêu cũ của cùng đơn vị, cùng kỳ).

Ví dụ:

  dangvien target set --unit "Tỉnh Lai Châu" --year 2024 --class 20 --admitted 1

  dangvien target set --school "THPT Bình Lư" --school-year 2024-2025 --class 10 --admitted 1

  dangvien target set --unit "Thị ủy Cai Lậy" --from 01/01/2024 --to 31/12/2025 --admitted 3
""",
)
def target_set(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Option("--unit", help="Đơn vị.", metavar="TÊN")] = None,
    school: Annotated[str | None, typer.Option("--school", help="Trường.", metavar="TÊN")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Năm dương lịch.")] = None,
    school_year: Annotated[
        str | None, typer.Option("--school-year", help="Năm học, ví dụ 2024-2025.", metavar="NĂM")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="Từ ngày (một giai đoạn).", metavar="NGÀY")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Đến ngày.", metavar="NGÀY")] = None,
    class_target: Annotated[
        int | None, typer.Option("--class", help="Số học sinh học lớp bồi dưỡng.")
    ] = None,
    admitted: Annotated[int | None, typer.Option("--admitted", help="Số học sinh kết nạp.")] = None,
) -> None:
    from dangvien_cli.organisation.targets import set_target

    with command_context(ctx, write=True) as c:
        period = period_option(c.rules, year, school_year, start, end)
        owner, replaced = set_target(
            c.session,
            unit=unit,
            school=school,
            period=period,
            class_target=class_target,
            admitted_target=admitted,
            stamp=c.stamp,
        )
    verb = "Đã thay" if replaced else "Đã đặt"
    figures = ", ".join(
        part
        for part in (
            f"học lớp bồi dưỡng {class_target}" if class_target is not None else "",
            f"kết nạp {admitted}" if admitted is not None else "",
        )
        if part
    )
    stdout_console().print(f"{verb} chỉ tiêu của {literal(owner)}, {period.label}: {figures}.")


@target_app.command(
    "list",
    help="""Các chỉ tiêu đã đặt.

Ví dụ:

  dangvien target list

  dangvien target list --json
""",
)
def target_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    from dangvien_cli.organisation.targets import list_targets

    with command_context(ctx) as c:
        rows = list_targets(c.session)
    if as_json:
        data = [
            {
                "owner": r.owner,
                "owner_kind": r.owner_kind,
                "period": r.period.as_json(),
                "class_target": r.class_target,
                "admitted_target": r.admitted_target,
            }
            for r in rows
        ]
        print_json(data)
        return
    from rich.table import Table

    if not rows:
        stdout_console().print("Chưa đặt chỉ tiêu nào (dangvien target set …).")
        return
    table = Table(title="Chỉ tiêu", title_justify="left")
    for name, justify in (
        ("Kỳ", "left"),
        ("Đơn vị / trường", "left"),
        ("Học lớp bồi dưỡng", "right"),
        ("Kết nạp", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        table.add_row(
            literal(r.period.label),
            literal(r.owner),
            "—" if r.class_target is None else str(r.class_target),
            "—" if r.admitted_target is None else str(r.admitted_target),
        )
    stdout_console().print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(unit_app, name="unit", short_help="Các đơn vị đảng (cây nhiều cấp).")
    app.add_typer(school_app, name="school", short_help="Trường và đơn vị trực thuộc.")
    app.add_typer(target_app, name="target", short_help="Chỉ tiêu kế hoạch.")
