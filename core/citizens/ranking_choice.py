"""A citizen's choice to appear in the city ranking (PUT /api/v1/rankings/me).

Invariants:
- Nobody is listed unless they chose it; the nickname is one they typed (2-16 characters,
  letters, digits, Chinese, space, _ - ·), checked against forbidden words and digit runs that
  look like a phone or card number: six or more digits in a row once the separators a name may
  hold (space _ - ·) are dropped, a digit being any script's (NFKC makes ０ and ① ASCII; ١ and ๑
  stay themselves) or a Chinese numeral (一三八〇〇〇… and 壹贰叁… spell a number as well). The platform never reads their WeChat nickname at all.
- The choice is in the citizen's export and deleted with the account (core.citizens.erasure):
  a deleted citizen's entries in the ranking's top items are then shown to nobody (the reader
  filters by the current choice, core.carbon.rankings).
"""

from __future__ import annotations

import re
import unicodedata

from core import localday
from core.carbon.rankings import choice_key
from core.errors import Unprocessable
from models.rankings import RankingItem

NICKNAME = re.compile(r"^[\w\u00b7 \-]{2,16}$")
# \d is every script's decimal digit (str patterns); the Chinese numerals, 幺 (one, said in
# phone numbers) and the financial forms spell digits too.
DIGITS = re.compile(r"(?:\d|[〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖]){6,}")
# Words a public name may not hold (checked case- and space-insensitively): impersonation of the
# platform, abuse, and the topics a Chinese public listing must not carry. Ops extend it here.
FORBIDDEN = (
    "管理员",
    "官方",
    "客服",
    "碳普惠",
    "生态环境局",
    "admin",
    "official",
    "傻逼",
    "傻b",
    "sb",
    "操你",
    "妈的",
    "fuck",
    "shit",
    "赌博",
    "博彩",
    "色情",
    "约炮",
    "代开发票",
    "法轮",
    "台独",
    "藏独",
    "疆独",
    "习近平",
    "共产党",
    "政府",
)


class NicknameInvalid(Unprocessable):
    code = "nickname_invalid"
    message = "This nickname cannot be used."
    message_zh = "该昵称不能使用。"


def _folded(text: str) -> str:
    return re.sub(r"[\s_\-\u00b7]", "", unicodedata.normalize("NFKC", text)).lower()


def check_nickname(nickname: str) -> str:
    name = unicodedata.normalize("NFKC", nickname).strip()
    if not NICKNAME.fullmatch(name) or not any(c.isalnum() for c in name):
        raise NicknameInvalid(
            "A nickname is 2 to 16 letters, digits or Chinese characters.",
            zh="昵称应为 2 到 16 个汉字、字母或数字。",
        )
    if DIGITS.search(_folded(name)):
        raise NicknameInvalid(
            "A nickname may not hold a long run of digits.", zh="昵称不能包含一长串数字。"
        )
    folded = _folded(name)
    if any(_folded(w) in folded for w in FORBIDDEN):
        raise NicknameInvalid(
            "This nickname is not allowed.", zh="该昵称包含不允许使用的词语，请换一个。"
        )
    return name


def choose(user_id: str, listed: bool, nickname: str | None) -> dict:
    current = _get(user_id)
    name = (
        check_nickname(nickname)
        if nickname is not None
        else (current.nickname if current else None)
    )
    if listed and not name:
        raise NicknameInvalid(
            "Choose a nickname to appear in the ranking.", zh="上榜需要先设置一个昵称。"
        )
    RankingItem(
        **choice_key(user_id), listed=listed, nickname=name, updated_at=localday.stamp()
    ).save()
    return {"listed": listed, "nickname": name}


def answer(user_id: str, listed: bool, nickname: str | None) -> dict:
    """What `choose` answered for this choice, read, not written (an Idempotency-Key's retry): the
    nickname as checked, or the one kept when none was given."""
    if nickname is not None:
        return {"listed": listed, "nickname": check_nickname(nickname)}
    current = _get(user_id)
    return {"listed": listed, "nickname": current.nickname if current else None}


def _get(user_id: str) -> RankingItem | None:
    try:
        key = choice_key(user_id)
        return RankingItem.get(key["pk"], key["sk"], consistent_read=True)
    except RankingItem.DoesNotExist:
        return None


def for_export(user_id: str) -> dict | None:
    c = _get(user_id)
    return (
        None
        if c is None
        else {"listed": bool(c.listed), "nickname": c.nickname, "updated_at": c.updated_at}
    )


def erase(user_id: str) -> None:
    RankingItem(**choice_key(user_id)).delete()
