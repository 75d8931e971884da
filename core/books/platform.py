"""Platform accounts and the trial balance (`tanpuhui books`).

Invariants:
- Each movement adds its platform legs (core.books.legs) to one PlatformBook item (its local
  day, the user's slot) in the movement's own transaction: one extra item per movement, the
  slots keep concurrent movements off one hot item; the entry records its legs too.
- Trial balance: citizens' side (balances, or entries created in the period) plus every
  platform account = 0. Entries written before double entry have no legs; their sum is shown
  as `opening:before_double_entry` so the book still closes and the difference stays visible.
"""
from __future__ import annotations

import zlib
from datetime import datetime

from pynamodb.attributes import NumberAttribute

from core import localday

from models import Account, LedgerEntry
from models.platform import PlatformBook

SLOTS = 64


def local_day(created_at_iso: str) -> str:
    """The Asia/Shanghai day of a stored UTC timestamp (the day its movement is booked on)."""
    return localday.day_of(datetime.fromisoformat(created_at_iso))


def add_legs(tx, user_id: str, legs: dict[str, int], created_at_iso: str) -> None:
    if not legs:
        return
    actions = [NumberAttribute(attr_name=account).add(amount) for account, amount in sorted(legs.items())]
    # No condition: the legs are counters; the entry's attribute_not_exists keeps them once.
    # Salted: settlement units are crc32(user) % units, and one unit's transactions in flight
    # must not all update one item (DynamoDB cancels concurrent transactions on an item).
    tx.update(PlatformBook(local_day(created_at_iso), zlib.crc32(b"book#" + user_id.encode()) % SLOTS), actions=actions)


def _raw_items(day: str | None):
    conn = PlatformBook._get_connection()
    start = None
    while True:
        page = conn.query(day, exclusive_start_key=start, consistent_read=True) if day else \
            conn.scan(exclusive_start_key=start, consistent_read=True)
        yield from page.get("Items", [])
        start = page.get("LastEvaluatedKey")
        if not start:
            return


def platform_accounts(start: str | None = None, end: str | None = None) -> dict[str, int]:
    days = [None]
    if start and end:
        span = (localday.parse_date(end) - localday.parse_date(start)).days
        days = [localday.add_days(start, i) for i in range(span + 1)]
    totals: dict[str, int] = {}
    for day in days:
        for item in _raw_items(day):
            for name, value in item.items():
                if name not in ("day", "slot") and "N" in value:
                    totals[name] = totals.get(name, 0) + int(value["N"])
    return totals


def trial_balance(start: str | None = None, end: str | None = None) -> dict:
    """{"citizens", "platform": {account: coins}, "total"}: total must be 0."""
    platform = platform_accounts(start, end)
    unbooked = 0
    if start and end:
        # An ops report over all users: a Scan of the ledger is acceptable here.
        citizens = 0
        for e in LedgerEntry.scan(attributes_to_get=["amount", "created_at", "legs"]):
            if start <= local_day(e.created_at) <= end:
                citizens += int(e.amount)
                unbooked += int(e.amount) if e.legs is None else 0
    else:
        citizens = sum(int(a.balance) for a in Account.scan(attributes_to_get=["balance"]))
        unbooked = sum(int(e.amount) for e in LedgerEntry.scan(attributes_to_get=["amount", "legs"]) if e.legs is None)
    if unbooked:
        platform["opening:before_double_entry"] = -unbooked
    return {"citizens": citizens, "platform": dict(sorted(platform.items())),
            "total": citizens + sum(platform.values())}
