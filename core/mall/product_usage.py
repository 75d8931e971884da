"""Green product feedback for manufacturers (将绿色产品的使用信息反馈给绿色厂商): how a merchant's
products were used in a month, as counts only.

Invariants:
- No citizen is in it: rows are (product, district) with counts and sums; no user id, order id,
  code, time or anything else that names or singles out a person.
- A cell counted from fewer than MIN_CITIZENS distinct citizens is suppressed (written "<5"),
  and no total row is written, so a suppressed cell cannot be recovered by subtraction.
- Orders of the month: placed in the month (Asia/Shanghai) and not left unpaid or cancelled;
  coins and cash are theirs. Redemptions of the month: orders redeemed in the month (whenever placed).
- District: the order's, else the merchant's, where the record has one; otherwise "" (unknown).
- The same month and data give byte-identical CSV (rows sorted; money as 2-place yuan, fen inside).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from core import localday
from core.books.fen import text as yuan
from core.errors import Unprocessable
from models.orders import Merchant, Order

MIN_CITIZENS = 5
COUNTED = (
    "issued",
    "redeemed",
    "expired",
)  # paid for and handed out (pending_payment and cancelled are not)
HEADER = ["product_id", "product_name", "district", "orders", "coins", "cash_yuan", "redemptions"]


@dataclass(frozen=True)
class Use:
    """One order, as plain values (the aggregation below reads nothing else)."""

    user_id: str
    product_id: str
    product_name: str
    district: str
    status: str
    coins: int
    cash_fen: int
    placed_in_month: bool
    redeemed_in_month: bool


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The instants where a Shanghai month starts and the next one starts."""
    try:
        first = localday.parse_date(f"{month}-01") if len(month) == 7 else None
    except localday.InvalidDate:
        first = None
    if first is None:
        raise Unprocessable("The month is YYYY-MM.", zh="月份格式为 YYYY-MM。")
    nxt = f"{first.year + first.month // 12:04d}-{first.month % 12 + 1:02d}-01"
    return (
        datetime.fromisoformat(localday.utc_bounds(first.isoformat())[0]),
        datetime.fromisoformat(localday.utc_bounds(nxt)[0]),
    )


def rows(uses: list[Use]) -> list[list[str]]:
    cells: dict[tuple, dict] = defaultdict(
        lambda: {
            "name": "",
            "orders": 0,
            "coins": 0,
            "cash": 0,
            "buyers": set(),
            "redemptions": 0,
            "redeemers": set(),
        }
    )
    for u in uses:
        c = cells[(u.product_id, u.district)]
        c["name"] = c["name"] or u.product_name
        if u.placed_in_month and u.status in COUNTED:
            c["orders"] += 1
            c["coins"] += u.coins
            c["cash"] += u.cash_fen
            c["buyers"].add(u.user_id)
        if u.redeemed_in_month:
            c["redemptions"] += 1
            c["redeemers"].add(u.user_id)
    out = []
    for (product_id, district), c in sorted(cells.items()):
        if not c["buyers"] and not c["redeemers"]:
            continue
        bought = len(c["buyers"]) >= MIN_CITIZENS
        redeemed = len(c["redeemers"]) >= MIN_CITIZENS
        hidden = f"<{MIN_CITIZENS}"
        out.append(
            [
                product_id,
                c["name"],
                district,
                str(c["orders"]) if bought else hidden,
                str(c["coins"]) if bought else hidden,
                yuan(c["cash"]) if bought else hidden,
                str(c["redemptions"]) if redeemed else hidden,
            ]
        )
    return out


def _district(o: Order, merchant: Merchant | None) -> str:
    # Districts are being added to merchants (and may reach orders): use them where a record has one.
    return getattr(o, "district", None) or getattr(merchant, "district", None) or ""


def product_usage(merchant_id: str, month: str) -> str:
    start, end = month_bounds(month)
    try:
        merchant = Merchant.get(merchant_id)
    except Merchant.DoesNotExist:
        raise Unprocessable("No such merchant.", zh="商户不存在。") from None
    first, last = start.isoformat(), end.isoformat()
    uses = []
    # A monthly ops export over one merchant's orders: a filtered Scan is acceptable here (orders have
    # no merchant index; the redemption codes' one misses activation-code products).
    for o in Order.scan(
        (Order.merchant_id == merchant_id)
        & (Order.created_at.between(first, last) | Order.redeemed_at.between(first, last))
    ):
        placed = start <= datetime.fromisoformat(o.created_at) < end
        redeemed = bool(o.redeemed_at) and start <= datetime.fromisoformat(o.redeemed_at) < end
        uses.append(
            Use(
                o.user_id,
                o.product_id,
                o.product_name,
                _district(o, merchant),
                o.status,
                int(o.coins),
                int(o.cash_fen or 0),
                placed,
                redeemed,
            )
        )
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows(uses))
    return buf.getvalue()
