import pytest

from core.citizens import oa_replies


@pytest.mark.parametrize(
    "args, expected",
    [
        (("event", None, "subscribe"), "welcome"),
        (("event", None, "subscribe_scan"), "welcome"),
        (("event", None, "click", "BALANCE"), "balance"),
        (("event", None, "click", "HELP"), "help"),
        (("event", None, "click", "SOMETHING_OLD"), "help"),
        (("event", None, "unsubscribe"), None),
        (("event", None, "view"), None),
        (("text", "碳币"), "balance"),
        (("text", " 我的余额 "), "balance"),
        (("text", "帮助"), "help"),
        (("text", "你好"), "help"),
        (("image",), "help"),
    ],
)
def test_intent__push_kinds__map_to_replies(args, expected):
    assert oa_replies.intent(*args) == expected


def test_menu__click_keys__are_the_ones_intent_knows():
    keys = [b["key"] for b in oa_replies.menu("wx1")["button"] if b["type"] == "click"]
    assert all(oa_replies.intent("event", None, "click", k) != "help" or k == "HELP" for k in keys)
    assert oa_replies.menu("wx1")["button"][0]["appid"] == "wx1"


def test_welcome__links_the_mini_program():
    assert 'data-miniprogram-appid="wx1"' in oa_replies.welcome_text("wx1")
