"""The platform's money in yuan, as double entry in integer fen, beside the coin book.

Invariants:
- A posting's legs (account -> fen) sum to zero; it is put once under a deterministic id per
  cause (attribute_not_exists), so a re-run or a retry never books money twice. A caller may put
  it in its own transaction (`make` + `condition`) so the money moves with its cause.
- The yuan trial balance sums every posting's legs per account; the total is 0 by construction,
  and `tanpuhui books` exits 1 if it is not.
- Accounts: `exchange:gross` (what buyers paid, negative), `exchange:fees` (the exchange's fees),
  `proceeds:kept` (net proceeds the platform holds), `proceeds:returned` (the yuan value of the
  coins returned to citizens at the policy's coin value). Received = kept + returned.
"""

from __future__ import annotations

from core import localday
from models.yuan_postings import YuanPosting


def make(posting_id: str, legs: dict[str, int], detail: dict | None = None) -> YuanPosting:
    legs = {k: int(v) for k, v in legs.items() if int(v)}
    if sum(legs.values()) != 0:
        raise ValueError(f"yuan legs {legs} do not balance")
    return YuanPosting(posting_id, legs=legs, detail=detail, created_at=localday.stamp())


def condition():
    return YuanPosting.posting_id.does_not_exist()  # a cause's money is booked once


def trial_balance() -> dict:
    """{"accounts": {account: fen}, "received", "returned", "kept", "total"} in fen."""
    accounts: dict[str, int] = {}
    # An ops report over every posting (a few per PHCER batch): a Scan is acceptable here.
    for p in YuanPosting.scan(consistent_read=True):
        for account, amount in (p.legs or {}).items():
            accounts[account] = accounts.get(account, 0) + int(amount)
    kept, returned = accounts.get("proceeds:kept", 0), accounts.get("proceeds:returned", 0)
    return {
        "accounts": dict(sorted(accounts.items())),
        "received": kept + returned,
        "returned": returned,
        "kept": kept,
        "total": sum(accounts.values()),
    }
