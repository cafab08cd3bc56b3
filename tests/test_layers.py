"""The package layout of issue 10: layers depend downward only, no import cycles, and every
package says in its docstring what it owns and what it may import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "dangvien_cli"
# Lower layers first; a module may import its own layer and those before it (importing and
# merge share a layer and do not import each other).
LAYERS = ["core", "db", "organisation", "roster", "admission", "importing|merge", "reports", "cli"]


def _rank(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "dangvien_cli":
        return None
    for rank, names in enumerate(LAYERS):
        if parts[1] in names.split("|"):
            return rank
    return None


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        if "migrations" in rel.parts:
            continue
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    out: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.startswith("dangvien_cli"):
                out.add(node.module)
                out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("dangvien_cli"))
    return out


def test_every_module_belongs_to_a_layer() -> None:
    loose = [m for m in _modules() if m.count(".") >= 1 and _rank(m) is None]
    assert loose == []


@pytest.mark.parametrize("module", sorted(_modules()))
def test_no_module_imports_a_layer_above_its_own(module: str) -> None:
    own = _rank(module)
    if own is None:
        return
    known = _modules()
    above = sorted(
        name
        for name in _imports(known[module], top_level_only=False)
        if name in known
        and (
            (_rank(name) or 0) > own
            or (own == LAYERS.index("importing|merge") and _rank(name) == own
                and name.split(".")[1] != module.split(".")[1])
        )
    )  # fmt: skip
    assert above == [], f"{module} imports {above}"


def test_no_import_cycles_between_modules() -> None:
    known = _modules()
    graph = {
        m: {n for n in _imports(p, top_level_only=True) if n in known and n != m}
        for m, p in known.items()
    }
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done:
            return
        assert module not in visiting, " → ".join([*visiting[visiting.index(module) :], module])
        visiting.append(module)
        for dep in sorted(graph[module]):
            if dep.startswith(module + "."):
                continue  # a package's __init__ may name its own modules
            visit(dep)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


@pytest.mark.parametrize(
    "package", sorted(m for m, p in _modules().items() if p.name == "__init__.py")
)
def test_every_package_says_what_it_owns_and_may_import(package: str) -> None:
    doc = ast.get_docstring(ast.parse(_modules()[package].read_text("utf-8")))
    assert doc, f"{package} has no docstring"
    if package != "dangvien_cli":
        assert "import" in doc, f"{package}'s docstring does not say what it may import"
