"""No function in core/ takes more than six parameters (self/cls not counted): what belongs
together travels as one small frozen dataclass (house standard; issue 30)."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
MOST = 6


def _count(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    a = fn.args
    names = [p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
    names += [p.arg for p in (a.vararg, a.kwarg) if p is not None]
    return len([n for n in names if n not in ("self", "cls")])


def over(root: pathlib.Path = ROOT / "core") -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _count(node) > MOST:
                found.append(
                    f"{path.relative_to(root.parent)}:{node.lineno} {node.name} takes {_count(node)}"
                )
    return found


def test_no_function_in_core_takes_more_than_six_parameters():
    assert over() == []


def test_the_count__self_not_counted_varargs_counted(tmp_path):
    (tmp_path / "m.py").write_text(
        "class C:\n    def f(self, a, b, c, d, e, f): ...\ndef g(a, b, c, d, e, *rest, **kw): ...\n"
    )
    assert [x.split(" ", 1)[1] for x in over(tmp_path)] == ["g takes 7"]
