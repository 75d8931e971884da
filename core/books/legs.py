"""Double entry: the platform side of every coin movement. Pure: no I/O.

Every movement of a citizen's coins has legs on platform accounts that sum to minus its
amount, so citizens' balances plus platform accounts sum to zero over any period:
- settlement: `issuance:<scenario>`, the coins split over the day's scenarios by grams;
- order: `spending:<merchant_id>`; refund and expiry (orders refunded): `refunds`;
- forfeit (a deleted account): `forfeits`; adjustment: `adjustments`; PHCER feedback to citizens
  (core.enterprise.feedback): `feedback:phcer`; anything else `other:<kind>` (still two legs).
"""

from __future__ import annotations

from core.books.shares import largest_remainder

ACCOUNTS = {
    "settlement": "issuance",
    "order": "spending",
    "refund": "refunds",
    "expiry": "refunds",
    "forfeit": "forfeits",
    "adjustment": "adjustments",
    "phcer_feedback": "feedback:phcer",
}


def allocate(amount: int, weights: dict[str, int]) -> dict[str, int]:
    """Split a signed amount by weights (negative weights count as 0), losing nothing
    (core.books.shares); no weights at all: the whole amount is `unassigned`."""
    if not weights:
        return {"unassigned": amount} if amount else {}
    sign = 1 if amount >= 0 else -1
    parts = largest_remainder(abs(amount), {k: max(0, w) for k, w in weights.items()})
    return {k: sign * v for k, v in parts.items()}


def legs_for(kind: str, amount: int, legs: dict[str, int] | None = None) -> dict[str, int]:
    """The platform legs of a movement (explicit ones checked, or the kind's account)."""
    if legs is None:
        legs = {ACCOUNTS.get(kind, f"other:{kind}"): -amount}
    legs = {k: int(v) for k, v in legs.items() if int(v) != 0}
    if sum(legs.values()) != -amount:
        raise ValueError(f"platform legs {legs} do not balance a movement of {amount}")
    return legs


def settlement_legs(coins: int, grams_by_scenario: dict[str, int]) -> dict[str, int]:
    return {f"issuance:{s}": -v for s, v in allocate(coins, grams_by_scenario).items()}


def on_account(
    kind: str, amount: int, legs: dict[str, int] | None, closed: bool
) -> tuple[int, dict[str, int]]:
    """The account's change and the platform legs of a movement. A closed account (its citizen
    deleted it) holds no coins: a credit reaching it later (a cash order's voucher expiring, an
    adjustment, a PHCER share) changes nothing there and goes to `forfeits` in the same entry."""
    platform_legs = legs_for(kind, amount, legs)
    if not closed or amount <= 0:
        return amount, platform_legs
    platform_legs["forfeits"] = platform_legs.get("forfeits", 0) + amount
    return 0, platform_legs
