"""The platform book in the Guangzhou day model (bench/city_model.py): every credit adds its
legs to one of the day's `day#slot` items (core.books.platform), PLATFORM_BOOK_SLOTS partition
keys. Two limits per key: its WCU/s against DynamoDB's 1,000 a partition; and its transactions,
since DynamoDB cancels a transaction touching an item another one holds (TransactionConflict;
the ledger retries it): an item takes at most one credit a transaction time, and about 1/e of
that under random arrivals and retries (as slotted ALOHA)."""

from __future__ import annotations

import math

from core.settings import Settings

SLOTS = Settings.platform_book_slots  # the default


def book_slots(
    s: dict, table_wcu: dict, user_days: int, transact_ms: float, slots: int = SLOTS
) -> dict:
    tx_per_slot = s["city_rate"] / slots
    ceiling = slots * 1000 / transact_ms / math.e  # user-days/s the slots let through
    return {
        "slots": slots,
        "wcu_per_key": round(table_wcu.get("platform_book_slots", 0) / slots),
        "tx_per_key": round(tx_per_slot),
        "busy": round(tx_per_slot * transact_ms / 1000, 2),
        "ceiling": round(ceiling),
        "wall_min": round(user_days / min(ceiling, s["city_rate"]) / 60, 1),
    }


def bottleneck(b: dict, s: dict, transact_ms: float) -> str:
    return (
        f"platform book item conflicts: {b['tx_per_key']} credits/s on each of {b['slots']} slot items, "
        f"each busy {transact_ms} ms a transaction ({b['busy']} at once on average): about "
        f"{b['ceiling']:,} user-days/s get through, {b['wall_min']} min for the city instead of "
        f"{s['wall_min']} (WCU per key is not the limit: {b['wcu_per_key']})"
    )


def notes(b: dict, s: dict, pv: dict, transact_ms: float) -> str:
    return f"""- Platform book items: DynamoDB cancels a transaction touching an item another transaction holds
  (the ledger retries it), so besides WCU an item takes about one credit per {transact_ms} ms: each slot
  gets {b["tx_per_key"]} credits/s ({b["busy"]} in flight on it on average); at 1/e of one per {transact_ms} ms
  (random arrivals, retries) the {b["slots"]} slots let about {b["ceiling"]:,} user-days/s through
  ({b["wall_min"]} min for the city at the model's rate of {s["city_rate"]:,}/s; paced as
  deployed, below, {pv["units_at_once"]} units send {round(pv["units_at_once"] * s["unit_rate"]):,}/s). More than 100 slots
  would need a second BatchGetItem to read a day."""
