"""Blueprints are registered from the one list in miniprogram_api.blueprints()."""

import ast
import pathlib

import miniprogram_api

PACKAGE = pathlib.Path(miniprogram_api.__file__).parent


def _modules_defining_bp() -> set[str]:
    found = set()
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "bp" for t in node.targets
            ):
                found.add(f"miniprogram_api.{path.stem}")
    return found


def test_blueprints__every_module_with_a_bp__is_in_the_list():
    listed = {bp.import_name for bp in miniprogram_api.blueprints()}
    assert _modules_defining_bp() == listed


def test_blueprints__names_unique():
    names = [bp.name for bp in miniprogram_api.blueprints()]
    assert len(names) == len(set(names))
