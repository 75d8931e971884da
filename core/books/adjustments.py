"""Ops adjustments: coins moved by hand, always with a reason and the operator who made it.

Invariants: only an existing citizen's account is adjusted (never an orphan account for a
mistyped id); `by` and `reason` are recorded in the entry's detail; an adjustment id posts once.
"""

from __future__ import annotations

import uuid

from core.books import ledger
from core.logs import log, user_ref
from models import User


class AdjustmentRefused(ValueError):
    pass


def adjust(
    user_id: str, amount: int, reason: str, by: str, adjustment_id: str | None = None
) -> ledger.Posted:
    reason, by = (reason or "").strip(), (by or "").strip()
    if amount == 0:
        raise AdjustmentRefused("the amount must be non-zero")
    if not reason or not by:
        raise AdjustmentRefused("a reason and who makes it (--by) are required")
    if User.count(user_id) == 0:
        raise AdjustmentRefused("no such user")
    entry_id = f"adjust#{adjustment_id or uuid.uuid4().hex}"
    totals = {"earned_total": amount} if amount > 0 else {"spent_total": -amount}
    posted = ledger.post(
        ledger.Movement(
            user_id,
            entry_id,
            amount,
            "adjustment",
            ref=reason[:200],
            detail={"reason": reason, "by": by},
            totals=totals,
        )
    )
    log(
        "adjustment",
        entry_id=entry_id,
        amount=amount,
        by=by,
        user=user_ref(user_id),
        replayed=posted.replayed,
    )
    return posted
