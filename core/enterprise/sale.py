"""The exchange's trade confirmation of a PHCER batch, checked. Pure: no I/O.

Invariants:
- Money is integer fen and tonnes are exact decimals (never a float): yuan fields must be decimal
  strings with exactly two places, tonnes a decimal string of at most six places (one gram).
- gross_yuan = tonnes x price_yuan_per_tonne (to the fen, half up; the exchange rounds so), fees are
  0 <= fees <= gross, net = gross - fees > 0.
- The tonnes never exceed what the batch certified (grams / 10^6); the trade date is a real day,
  not before the batch was sealed and not after today (Asia/Shanghai).
A refusal names its reason in Chinese and English (SaleRefused), and nothing is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from core.books.fen import fen_of as fen
from core.books.fen import text as yuan
from core.errors import Unprocessable

FIELDS = ("trade_ref", "trade_date", "tonnes", "price_yuan_per_tonne", "gross_yuan", "fees_yuan")
_YUAN = re.compile(r"^(0|[1-9][0-9]{0,11})\.[0-9]{2}$")
_TONNES = re.compile(r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,6})?$")
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_REF = re.compile(r"^[A-Za-z0-9_.:/-]{1,64}$")
GRAMS_PER_TONNE = 1_000_000


class SaleRefused(Unprocessable):
    code, message, message_zh = (
        "sale_refused",
        "The trade confirmation was refused.",
        "成交确认被拒绝。",
    )


@dataclass(frozen=True)
class Confirmation:
    trade_ref: str
    trade_date: str
    tonnes: Decimal
    price_fen: int  # per tonne
    gross_fen: int
    fees_fen: int

    @property
    def net_fen(self) -> int:
        return self.gross_fen - self.fees_fen

    def to_dict(self) -> dict:
        """As stored on the batch and shown: yuan as 2-place strings, tonnes as given."""
        return {
            "trade_ref": self.trade_ref,
            "trade_date": self.trade_date,
            "tonnes": str(self.tonnes),
            "price_yuan_per_tonne": yuan(self.price_fen),
            "gross_yuan": yuan(self.gross_fen),
            "fees_yuan": yuan(self.fees_fen),
            "net_yuan": yuan(self.net_fen),
        }


def _refuse(en: str, zh: str) -> None:
    raise SaleRefused(en, zh=zh)


def parse(raw: object) -> Confirmation:
    """The confirmation object as read from its JSON file, or SaleRefused."""
    if not isinstance(raw, dict) or set(raw) != set(FIELDS):
        _refuse(
            f"The confirmation must be a JSON object with exactly the fields {', '.join(FIELDS)}.",
            f"成交确认须为 JSON 对象，且恰好包含字段 {'、'.join(FIELDS)}。",
        )
    if not isinstance(raw["trade_ref"], str) or not _REF.match(raw["trade_ref"]):
        _refuse(
            "trade_ref must be 1-64 letters, digits or _.:/-.",
            "成交编号 trade_ref 须为 1–64 位字母、数字或 _.:/-。",
        )
    try:  # only YYYY-MM-DD (fromisoformat alone would also take 20260101 or 2026-W01-1)
        day = date.fromisoformat(raw["trade_date"]) if _DAY.match(str(raw["trade_date"])) else None
    except ValueError:
        day = None
    if day is None:
        _refuse(
            "trade_date must be a date, YYYY-MM-DD.",
            "成交日期 trade_date 须为 YYYY-MM-DD 格式的日期。",
        )
    for name in ("price_yuan_per_tonne", "gross_yuan", "fees_yuan"):
        if not isinstance(raw[name], str) or not _YUAN.match(raw[name]):
            _refuse(
                f'{name} must be yuan as a decimal string with two places, e.g. "60.00".',
                f'{name} 须为保留两位小数的元金额字符串，如 "60.00"。',
            )
    if (
        not isinstance(raw["tonnes"], str)
        or not _TONNES.match(raw["tonnes"])
        or Decimal(raw["tonnes"]) <= 0
    ):
        _refuse(
            'tonnes must be a positive decimal string with at most six places, e.g. "1.2".',
            '吨数 tonnes 须为正的十进制字符串，最多六位小数，如 "1.2"。',
        )
    c = Confirmation(
        raw["trade_ref"],
        raw["trade_date"],
        Decimal(raw["tonnes"]),
        fen(raw["price_yuan_per_tonne"]),
        fen(raw["gross_yuan"]),
        fen(raw["fees_yuan"]),
    )
    expected = int((c.tonnes * c.price_fen).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if c.price_fen <= 0 or c.gross_fen != expected:
        _refuse(
            f"gross_yuan {raw['gross_yuan']} is not tonnes x price ({yuan(expected)}).",
            f"成交总额 {raw['gross_yuan']} 元不等于吨数 × 单价（{yuan(expected)} 元）。",
        )
    if c.fees_fen >= c.gross_fen:
        _refuse("The fees must be less than the gross amount.", "手续费须少于成交总额。")
    return c


def check_against(c: Confirmation, batch_grams: int, sealed_day: str, today: str) -> None:
    """SaleRefused unless the confirmation fits the batch it is recorded for."""
    certified = Decimal(batch_grams) / GRAMS_PER_TONNE
    if c.tonnes > certified:
        _refuse(
            f"{c.tonnes} t is more than the batch certified ({certified} t).",
            f"成交 {c.tonnes} 吨超过该批次核证的 {certified} 吨。",
        )
    if c.trade_date < sealed_day:
        _refuse(
            f"The trade date {c.trade_date} is before the batch was sealed ({sealed_day}).",
            f"成交日期 {c.trade_date} 早于批次封存日期 {sealed_day}。",
        )
    if c.trade_date > today:
        _refuse(
            f"The trade date {c.trade_date} is in the future.",
            f"成交日期 {c.trade_date} 晚于今天。",
        )
