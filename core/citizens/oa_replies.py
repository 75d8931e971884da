"""What the official account says back: pure rules over plain values (no I/O).

A push becomes an intent (welcome, balance, help, or nothing) from its type, event,
menu key or keywords; each intent has one text. Unknown input gets the help text, so a
follower is never left without an answer.
"""

from __future__ import annotations

MINIPROGRAM_PATH = "pages/index/index"
BALANCE_KEYWORDS = ("碳币", "余额")
MENU_KEYS = {"BALANCE": "balance", "HELP": "help"}  # CLICK buttons created by `tanpuhui oa menu`


def intent(
    msg_type: str, content: str | None = None, event: str | None = None, key: str | None = None
) -> str | None:
    """welcome | balance | help, or None for pushes that need no answer (unsubscribe, view clicks...)."""
    if msg_type == "event":
        if event in ("subscribe", "subscribe_scan"):
            return "welcome"
        if event == "click":
            return MENU_KEYS.get((key or "").upper(), "help")
        return None
    if msg_type == "text":
        text = (content or "").strip().lower()
        if any(k in text for k in BALANCE_KEYWORDS):
            return "balance"
        return "help"  # 帮助, and anything we do not understand
    return "help"  # images, voice, locations...: say what we can do


def miniprogram_link(appid: str, label: str, path: str = MINIPROGRAM_PATH) -> str:
    # WeChat renders this anchor in a text message as a link that opens the mini-program;
    # href is the fallback for clients that cannot open mini-programs.
    return f'<a data-miniprogram-appid="{appid}" data-miniprogram-path="{path}" href="https://www.gz.gov.cn">{label}</a>'


def welcome_text(miniprogram_appid: str) -> str:
    return (
        "欢迎关注“广州市碳普惠”！乘坐地铁公交、骑行、步行等低碳行为都能获得碳币，碳币可在商城兑换好礼。\n"
        f"{miniprogram_link(miniprogram_appid, '打开碳普惠小程序')}\n"
        "回复“碳币”查询余额，回复“帮助”查看更多用法。"
    )


def help_text(miniprogram_appid: str) -> str:
    return (
        "可以这样用：\n"
        "· 回复“碳币”或“余额”：查询碳币余额\n"
        "· 回复“帮助”：查看本说明\n"
        f"绑定羊城通卡、同步微信步数、查看碳足迹、兑换商品，请{miniprogram_link(miniprogram_appid, '打开碳普惠小程序')}。"
    )


def balance_text(balance: int) -> str:
    return f"您当前的碳币余额为 {balance} 枚。"


def bind_text(miniprogram_appid: str) -> str:
    return (
        "还没有找到您的碳普惠账户。请先用同一个微信号登录"
        f"{miniprogram_link(miniprogram_appid, '碳普惠小程序')}，登录后即可在这里查询碳币。"
    )


def unavailable_text() -> str:
    return "暂时无法查询碳币余额，请稍后再试。"


def menu(miniprogram_appid: str) -> dict:
    """The official account's menu: open the mini-program, balance, help (keys match MENU_KEYS)."""
    return {
        "button": [
            {
                "type": "miniprogram",
                "name": "碳普惠",
                "url": "https://www.gz.gov.cn",
                "appid": miniprogram_appid,
                "pagepath": MINIPROGRAM_PATH,
            },
            {"type": "click", "name": "我的碳币", "key": "BALANCE"},
            {"type": "click", "name": "帮助", "key": "HELP"},
        ]
    }
