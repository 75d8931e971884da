"""A day settled while it is still today (an early run: `tanpuhui settle --date <today>`).

GET /api/v1/coins reads no settled day (core.citizens.coins.balance): what an early run credited
rides on the day's index item (models.day_records: `settled_grams`, `settled_versions`, what
the settled day holds), set in the credit's own transaction, so the pending figure subtracts
exactly what was credited. /coins only asks about today, so a credit of a day that has ended
writes no such item: the nightly run (02:00, two hours after the day) adds none.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from core import localday
from core.books import ledger
from models.behaviours import expiry
from models.day_records import DayRecords

# A batch built just before midnight and committed after it, and clocks a little apart.
MARGIN = timedelta(hours=1)


class Settled(NamedTuple):
    """What the settled day holds, as settlement's day_registry and the pending figure read it."""

    grams: int
    versions: dict | None


def marks_index(date: str, now: datetime | None = None) -> bool:
    """Is `date` still today (or was it, up to MARGIN ago)?"""
    return date >= localday.today((now or localday.now()) - MARGIN)


def index_expiry(settings, date: str) -> datetime | None:
    """The TTL for the day's index item if a credit of `date` now marks it; None if it does not."""
    return expiry(date, settings.behaviour_retention_days) if marks_index(date) else None


def index_writes(
    user_id: str, date: str, grams: int, versions: dict, expires_at: datetime | None
) -> tuple:
    """The write a credit adds to its own transaction (it commits with the settled day or not at
    all): for a day still today (`expires_at`: index_expiry), what the settled day will hold, set
    on the day's index item; none for a day that has ended. The TTL is set only if the item has
    none yet: an early run can create the item (records stored before the index existed), and it
    goes with the day's behaviours."""
    if expires_at is None:
        return ()
    return (
        ledger.update(
            DayRecords(user_id, date),
            [
                DayRecords.settled_grams.set(grams),
                DayRecords.settled_versions.set(versions),
                DayRecords.expires_at.set(DayRecords.expires_at | expires_at),
            ],
        ),
    )


def settled(item: dict | None) -> Settled | None:
    """What an early run credited, from a day index item as read by the low-level client; None if
    no run of the day has credited it while it was today."""
    if not item or "settled_grams" not in item:
        return None
    versions = item.get("settled_versions")
    return Settled(
        int(item["settled_grams"]["N"]),
        DayRecords.settled_versions.deserialize(versions["S"]) if versions else None,
    )
