"""Which way imports go, read from the source (ASTs, nothing imported or executed):
core/ never reaches the edges (HTTP, functions, infra, gateways, the composition root), and a
pure rule module reaches no I/O library, neither directly nor through the repo modules it imports."""
from __future__ import annotations

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
EDGES = ("miniprogram_api", "functions", "infra", "gateways", "bootstrap")
IO_LIBRARIES = ("boto3", "botocore", "pynamodb", "flask", "wechatpy")
PURE = ("core/carbon/methodologies.py", "core/carbon/rules.py", "core/citizens/tokens.py",
        "core/citizens/oa_replies.py", "core/mall/codes.py")


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
            elif _top(name) not in {"core", "models", "gateways", "infra", "functions", "miniprogram_api"}:
                reached.setdefault(_top(name), str(current.relative_to(root)))
    return reached


def _pure_modules() -> list[pathlib.Path]:
    by_docstring = [p for p in (ROOT / "core").rglob("*.py")
                    if re.search(r"\bPure\b", ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) or "")]
    return sorted({ROOT / p for p in PURE} | set(by_docstring))


def test_core__imports_no_edge():
    bad = [f"{p.relative_to(ROOT)} imports {n}" for p in sorted((ROOT / "core").rglob("*.py"))
           for n in sorted(imports_of(p)) if _top(n) in EDGES]
    assert bad == []


def test_pure_rule_modules__reach_no_io_library():
    bad = [f"{p.relative_to(ROOT)} reaches {lib} (imported in {via})" for p in _pure_modules()
           for lib, via in sorted(reached_libraries(p).items()) if lib in IO_LIBRARIES]
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
    assert reached_libraries(tmp_path / "core/rule.py", tmp_path) == {"decimal": "core/rule.py",
                                                                      "pynamodb": "core/helper.py"}
