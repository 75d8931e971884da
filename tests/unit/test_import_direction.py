"""Which way imports go, read from the source (ASTs, nothing imported or executed):
core/ never reaches the edges (HTTP, functions, infra, gateways, the composition root); core's
packages import only down the order of core.LAYERS (core/__init__.py); no two modules anywhere
in the project import each other; and a pure rule module reaches no I/O library, neither
directly nor through the repo modules it imports."""

from __future__ import annotations

import ast
import pathlib
import re

from core import LAYERS

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROJECT = ("core", "miniprogram_api", "functions", "gateways", "models", "infra")
EDGES = ("miniprogram_api", "functions", "infra", "gateways", "bootstrap")
IO_LIBRARIES = ("boto3", "botocore", "pynamodb", "flask", "wechatpy")
PURE = (
    "core/carbon/methodologies.py",
    "core/carbon/rules.py",
    "core/citizens/tokens.py",
    "core/citizens/oa_replies.py",
    "core/mall/codes.py",
)


def imported_names(source: str, package: str = "") -> set[str]:
    """Every module named by an import anywhere in `source` (function bodies too), absolute."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing module's package
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(p for p in parts + [base] if p)
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names)  # `from core.carbon import rules`
    return names


def _top(name: str) -> str:
    return name.split(".")[0]


def _module_file(name: str, root: pathlib.Path = ROOT) -> pathlib.Path | None:
    path = root.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _package_of(path: pathlib.Path, root: pathlib.Path = ROOT) -> str:
    return ".".join(path.relative_to(root).parts[:-1])  # a module's and an __init__'s package alike


def imports_of(path: pathlib.Path, root: pathlib.Path = ROOT) -> set[str]:
    return imported_names(path.read_text(encoding="utf-8"), _package_of(path, root))


def reached_libraries(path: pathlib.Path, root: pathlib.Path = ROOT) -> dict[str, str]:
    """Outside modules `path` reaches, following the repo's own modules: {library: through which file}."""
    seen, todo, reached = set(), [path], {}
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name in imports_of(current, root):
            inner = _module_file(name, root)
            if inner is not None:
                todo.append(inner)
            elif _top(name) not in {
                "core",
                "models",
                "gateways",
                "infra",
                "functions",
                "miniprogram_api",
            }:
                reached.setdefault(_top(name), str(current.relative_to(root)))
    return reached


def _pure_modules() -> list[pathlib.Path]:
    by_docstring = [
        p
        for p in (ROOT / "core").rglob("*.py")
        if re.search(r"\bPure\b", ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) or "")
    ]
    return sorted({ROOT / p for p in PURE} | set(by_docstring))


def module_name(path: pathlib.Path, root: pathlib.Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: pathlib.Path, root: pathlib.Path = ROOT) -> dict[str, int]:
    """The project's modules `path` imports (function bodies too): {module: first line}. `from p
    import x` names the module p.x when x is one, else p itself (x is a name defined in p)."""
    found: dict[str, int] = {}
    package = _package_of(path, root)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(p for p in parts + [base] if p)
            targets = [
                f"{base}.{a.name}" if _module_file(f"{base}.{a.name}", root) else base
                for a in node.names
            ]
        else:
            continue
        for name in targets:
            if _module_file(name, root) is not None:
                found.setdefault(name, node.lineno)
    found.pop(module_name(path, root), None)
    return found


def project_modules(root: pathlib.Path = ROOT) -> list[pathlib.Path]:
    return sorted(p for d in PROJECT for p in (root / d).rglob("*.py")) + [root / "bootstrap.py"]


def rank(module: str, layers=LAYERS) -> tuple[int, str] | None:
    """(rank, package) of a core module: basics 0, then 1.. up core.LAYERS; None outside core or
    for a package the order does not list."""
    parts = module.split(".")
    if parts[0] != "core":
        return None
    if len(parts) == 1 or not (ROOT / "core" / parts[1]).is_dir():
        return 0, ""
    return next(((i, parts[1]) for i, tier in enumerate(layers, 1) if parts[1] in tier), None)


def against_the_order(importer: str, imported: str, layers=LAYERS) -> bool:
    mine, theirs = rank(importer, layers), rank(imported, layers)
    if mine is None or theirs is None:
        return False
    return theirs[0] > mine[0] or (theirs[0] == mine[0] and theirs[1] != mine[1])


def test_core__every_package_has_a_place_in_the_order():
    # A new package must be placed (core.LAYERS) before it can be checked; a listed one may not exist yet.
    listed = {p for tier in LAYERS for p in tier}
    packages = {p.name for p in (ROOT / "core").iterdir() if (p / "__init__.py").is_file()}
    assert packages - listed == set()


def test_core__imports_only_down_the_layers():
    bad = [
        f"{p.relative_to(ROOT)}:{line} imports {n}"
        for p in sorted((ROOT / "core").rglob("*.py"))
        for n, line in sorted(imported_modules(p).items())
        if against_the_order(module_name(p), n)
    ]
    assert bad == []


def test_no_two_modules_import_each_other():
    graph = {module_name(p): set(imported_modules(p)) for p in project_modules()}
    circles = sorted(
        f"{a} <-> {b}"
        for a, targets in graph.items()
        for b in targets
        if a < b and a in graph.get(b, ())
    )
    assert circles == []


def test_against_the_order__reads_ranks_siblings_and_basics():
    layers = (("books",), ("carbon", "mall"), ("citizens",))
    assert against_the_order("core.books.ledger", "core.carbon.rules", layers)  # up
    assert against_the_order(
        "core.carbon.rules", "core.mall.codes", layers
    )  # sideways, between siblings
    assert against_the_order("core.localday", "core.books.ledger", layers)  # basics know no domain
    assert not against_the_order("core.citizens.users", "core.carbon.rules", layers)
    assert not against_the_order("core.carbon.rules", "core.carbon.methodologies", layers)
    assert not against_the_order("core.mall.orders", "core.errors", layers)


def test_imported_modules__sees_lazy_imports_and_names_from_a_package(tmp_path):
    (tmp_path / "pkg").mkdir()
    for name, text in {
        "__init__.py": "LIMIT = 1\n",
        "a.py": "def f():\n    from pkg import b\n",
        "b.py": "from pkg import LIMIT\nfrom . import a\n",
    }.items():
        (tmp_path / "pkg" / name).write_text(text)
    assert imported_modules(tmp_path / "pkg/a.py", tmp_path) == {"pkg.b": 2}
    assert imported_modules(tmp_path / "pkg/b.py", tmp_path) == {"pkg": 1, "pkg.a": 2}


def test_core__imports_no_edge():
    bad = [
        f"{p.relative_to(ROOT)} imports {n}"
        for p in sorted((ROOT / "core").rglob("*.py"))
        for n in sorted(imports_of(p))
        if _top(n) in EDGES
    ]
    assert bad == []


def test_pure_rule_modules__reach_no_io_library():
    bad = [
        f"{p.relative_to(ROOT)} reaches {lib} (imported in {via})"
        for p in _pure_modules()
        for lib, via in sorted(reached_libraries(p).items())
        if lib in IO_LIBRARIES
    ]
    assert bad == []


def test_pure_rule_modules__found_by_docstring_too():
    found = {str(p.relative_to(ROOT)) for p in _pure_modules()}
    assert set(PURE) <= found and all((ROOT / p).is_file() for p in PURE)


def test_imported_names__sees_imports_inside_functions_and_relative_ones():
    # The checks above are only as good as this reader: it must see every form of import.
    source = "def f():\n    import gateways.wechat\n    from flask import g\nfrom . import ledger\nfrom ..mall import codes\n"
    names = imported_names(source, "core.books")
    assert {"gateways.wechat", "flask", "core.books.ledger", "core.mall.codes"} <= names


def test_reached_libraries__follows_repo_modules(tmp_path):
    # A rule that imports a helper that imports pynamodb reaches pynamodb, through the helper.
    (tmp_path / "core").mkdir()
    (tmp_path / "core/__init__.py").write_text("")
    (tmp_path / "core/rule.py").write_text("from core import helper\nfrom decimal import Decimal\n")
    (tmp_path / "core/helper.py").write_text("def f():\n    from pynamodb.models import Model\n")
    assert reached_libraries(tmp_path / "core/rule.py", tmp_path) == {
        "decimal": "core/rule.py",
        "pynamodb": "core/helper.py",
    }
