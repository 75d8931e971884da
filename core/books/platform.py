"""Platform accounts and the trial balance (`tanpuhui books`).

Invariants:
- Each movement adds its platform legs (core.books.legs) to one PlatformBook item, keyed
  `<local day>#<slot>` with the user's slot (a salted hash of the user id modulo
  PLATFORM_BOOK_SLOTS), in the movement's own transaction: one extra item per movement. The
  slot is in the partition key, so a city day's credits spread over that many partitions
  instead of one hot key (DynamoDB: 1,000 WCU a second a partition), and a user's retried
  credit adds to the same item; the entry records its legs too.
- A day is read with one BatchGetItem of every possible slot key (MAX_SLOTS, the most the
  setting allows), so a change of the setting never hides a slot written before it.
- Trial balance: citizens' side (balances, or entries created in the period) plus every
  platform account = 0. Entries written before double entry have no legs; their sum is shown
  as `opening:before_double_entry` so the book still closes and the difference stays visible.
"""

from __future__ import annotations

import zlib
from datetime import datetime

from pynamodb.attributes import NumberAttribute

from core import localday, settings
from core.errors import ServiceUnavailable
from core.retry import THROTTLED
from models import Account, LedgerEntry
from models.platform import PlatformBook

MAX_SLOTS = 100  # BatchGetItem's limit of keys a request: one request reads a day (settings checks the bound)
KEY = "day_slot"


def local_day(created_at_iso: str) -> str:
    """The Asia/Shanghai day of a stored UTC timestamp (the day its movement is booked on)."""
    return localday.day_of(datetime.fromisoformat(created_at_iso))


def slot_of(user_id: str, slots: int) -> int:
    # Salted: settlement units are crc32(user) % units, and one unit's transactions in flight
    # must not all update one item (DynamoDB cancels concurrent transactions on an item).
    return zlib.crc32(b"book#" + user_id.encode()) % slots


def slot_key(day: str, slot: int) -> str:
    return f"{day}#{slot}"


def add_legs(tx, user_id: str, legs: dict[str, int], created_at_iso: str) -> None:
    if not legs:
        return
    actions = [
        NumberAttribute(attr_name=account).add(amount) for account, amount in sorted(legs.items())
    ]
    # No condition: the legs are counters; the entry's attribute_not_exists keeps them once.
    slot = slot_of(user_id, settings.get().platform_book_slots)
    tx.update(PlatformBook(slot_key(local_day(created_at_iso), slot)), actions=actions)


def day_items(day: str) -> list[dict]:
    """A day's slot items (raw), in one BatchGetItem of every slot key (strongly consistent);
    keys DynamoDB leaves unprocessed (throttling) are asked for again."""
    conn = PlatformBook._get_connection()
    table = PlatformBook.Meta.table_name
    keys, items = [{KEY: {"S": slot_key(day, s)}} for s in range(MAX_SLOTS)], []
    for _ in THROTTLED.tries():  # none the first time; then back off from the throttle
        got = conn.batch_get_item(keys, consistent_read=True)
        items += got.get("Responses", {}).get(table, [])
        keys = got.get("UnprocessedKeys", {}).get(table, {}).get("Keys", [])
        if not keys:
            return items
    raise ServiceUnavailable()


def _raw_items(day: str | None):
    if day:
        yield from day_items(day)
        return
    conn, start = PlatformBook._get_connection(), None
    while True:  # every day: an ops report over the whole book may Scan it
        page = conn.scan(exclusive_start_key=start, consistent_read=True)
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
                if name != KEY and "N" in value:
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
        unbooked = sum(
            int(e.amount)
            for e in LedgerEntry.scan(attributes_to_get=["amount", "legs"])
            if e.legs is None
        )
    if unbooked:
        platform["opening:before_double_entry"] = -unbooked
    return {
        "citizens": citizens,
        "platform": dict(sorted(platform.items())),
        "total": citizens + sum(platform.values()),
    }
