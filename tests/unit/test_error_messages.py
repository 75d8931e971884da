"""Every error code speaks Simplified Chinese (the default) and English (Accept-Language: en).

The classes are discovered, not listed: importing every module of the app finds each ApiError
subclass, so a code added anywhere is covered the moment it exists."""

import ast
import importlib
import pathlib
import pkgutil
import re

import pytest

from core.errors import ApiError

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGES = ["core", "gateways", "miniprogram_api", "functions", "models"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _import_everything():
    for name in PACKAGES:
        pkg = importlib.import_module(name)
        for info in pkgutil.walk_packages(pkg.__path__, name + "."):
            importlib.import_module(info.name)


def _all_errors() -> list[type[ApiError]]:
    _import_everything()
    seen, todo = [], [ApiError]
    while todo:
        cls = todo.pop()
        seen.append(cls)
        todo.extend(cls.__subclasses__())
    return seen


ERRORS = _all_errors()


def test_discovery__finds_errors_defined_outside_core_errors():
    modules = {cls.__module__ for cls in ERRORS}
    assert "core.errors" in modules and len(modules) > 3, modules


def _missing(cls) -> list[str]:
    own, problems = vars(cls), []
    if ("code" in own or "message" in own or "message_zh" in own) and not (
        "message" in own and "message_zh" in own
    ):
        problems.append(
            "sets one language only"
        )  # a new code or text owns both, never half inherited
    e = cls()
    if not e.text("en").strip() or CJK.search(e.text("en")):
        problems.append("English missing")
    if not CJK.search(e.text("zh")):
        problems.append("Simplified Chinese missing")
    return problems


@pytest.mark.parametrize("cls", ERRORS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_error__has_chinese_and_english(cls):
    assert not _missing(cls), f"{cls.__module__}.{cls.__name__}: {_missing(cls)}"


def test_check__catches_a_code_with_english_only():
    class ShopClosed(ApiError):
        code, message = "shop_closed", "the shop is closed"

    class Half(ApiError):
        message_zh = "只有中文"

    assert _missing(ShopClosed) == ["sets one language only"]
    assert "sets one language only" in _missing(Half)


def test_every_code__has_both_languages_once():
    """Each distinct code: the class that introduces it carries both texts."""
    codes = {}
    for cls in ERRORS:
        codes.setdefault(cls.code, cls)
    for code, cls in codes.items():
        assert re.fullmatch(r"[a-z_]+", code), code
        assert CJK.search(cls.message_zh) and cls.message and not CJK.search(cls.message), code


def _raise_sites():
    names = {cls.__name__ for cls in ERRORS}
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not isinstance(node, ast.Call):
                    continue
                f = node.func
                name = (
                    f.id
                    if isinstance(f, ast.Name)
                    else f.attr
                    if isinstance(f, ast.Attribute)
                    else None
                )
                if name in names:
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", node


def test_raise_sites__a_specific_message_comes_in_both_languages():
    """`NotFound("no such order")` alone would show English to a Chinese reader."""
    bad = []
    for where, call in _raise_sites():
        keywords = {k.arg for k in call.keywords}
        has_en = bool(call.args) or "message" in keywords
        if has_en != ("zh" in keywords):
            bad.append(where)
    assert not bad, f"give both the English text and zh=: {bad}"


def test_raise_site_scan__sees_the_calls():
    assert sum(1 for _ in _raise_sites()) > 20
