"""The rooms keep their dependency direction (ARCHITECTURE.md): queries only in db/, no database
in the screens' logic, leaves that know nothing of the kiosk, transactions only through db/tx,
and no import cycle among the presenters."""
import ast
from pathlib import Path

from kiosk import PROJECT_ROOT

#: db modules that hold no query: plain words and text functions, usable everywhere.
PURE_DB = {"db.vocabulary", "db.text"}


def _modules(folder: str):
    for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _runtime_nodes(tree):
    """Every node but those under ``if TYPE_CHECKING:`` (imports for type hints only)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if (isinstance(child, ast.If) and isinstance(child.test, ast.Name)
                    and child.test.id == "TYPE_CHECKING"):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def _imports(tree) -> set[str]:
    """Every module a file imports at run time, at any depth (function-level included)."""
    names = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _rel(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT))


def test_no_module_outside_db_queries_the_models():
    offenders = []
    for folder in ("kiosk", "devices", "printers"):
        for path, tree in _modules(folder):
            bad = {name for name in _imports(tree)
                   if name == "peewee" or name.startswith("db.models")}
            if bad:
                offenders.append(f"{_rel(path)}: {sorted(bad)}")
    assert offenders == []


def test_presenters_and_screens_import_no_database_module():
    offenders = []
    for folder in ("kiosk/presenters", "kiosk/ui"):
        for path, tree in _modules(folder):
            bad = {name for name in _imports(tree)
                   if (name == "db" or name.startswith("db."))
                   and not any(name == pure or name.startswith(pure + ".") for pure in PURE_DB)
                   and name not in ("db.writer", "db.writer.Writer")}
            # The window hands writes to the writer thread; that is the one db object it knows.
            if bad:
                offenders.append(f"{_rel(path)}: {sorted(bad)}")
    assert offenders == []


def test_leaves_know_nothing_of_the_kiosk_or_the_database():
    offenders = []
    for folder in ("devices", "printers"):
        for path, tree in _modules(folder):
            bad = {name for name in _imports(tree)
                   if name.split(".")[0] in ("kiosk", "db", "kivy")}
            if bad:
                offenders.append(f"{_rel(path)}: {sorted(bad)}")
    assert offenders == []


def test_transactions_are_opened_only_in_db():
    offenders = []
    for folder in ("kiosk", "devices", "printers"):
        for path, tree in _modules(folder):
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in ("atomic", "transaction", "savepoint")):
                    offenders.append(f"{_rel(path)}:{node.lineno}")
    assert offenders == []


def test_no_import_cycle_among_the_presenters():
    package = "kiosk.presenters"
    graph: dict[str, set[str]] = {}
    for path, tree in _modules("kiosk/presenters"):
        name = f"{package}.{path.stem}"
        graph[name] = {imported for imported in _imports(tree) if imported in
                       {f"{package}.{p.stem}" for p in (PROJECT_ROOT / "kiosk/presenters")
                        .glob("*.py")}} - {name}
    cycles = []

    def visit(node, trail):
        for nxt in graph.get(node, ()):
            if nxt in trail:
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif len(trail) < 20:
                visit(nxt, trail + [nxt])

    for start in graph:
        visit(start, [start])
    assert cycles == []
    # Only the flow knows the screens' presenters: no presenter imports another screen's.
    screens = {f"{package}.{s}" for s in ("home", "borrow", "returns", "teacher",
                                            "equipment_borrow", "equipment_return",
                                            "staff_signin", "staff_review")}
    crossing = {module: sorted(imports & screens) for module, imports in graph.items()
                if module in screens and imports & screens}
    assert crossing == {}
