"""What a leaf of the transparency log says about a ledger entry. Pure.

Invariants:
- A leaf is the canonical JSON (sorted keys, no spaces, UTF-8; integers and strings only) of:
  the entry's id, kind, amount, local day and written time, its platform legs (how the books
  booked it), grams, methodology version and grams per scenario, the day a credit settled and the
  count and digest of the records behind it, and `account` = HMAC-SHA256(the account's salt, user id) in hex.
- No personal data: no user id, openid, phone, card or free text (an adjustment's reason stays
  in the ledger). Once the salt is deleted (erasure) nobody can tie `account` to a person; an entry
  appended after that carries `account` = "erased".
- The same entry and salt always give the same bytes: the log is rebuilt from the ledger by this.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime

from core import localday

VERSION = 1
ERASED = "erased"


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def commitment(salt: bytes | None, user_id: str) -> str:
    return hmac.new(salt, user_id.encode(), hashlib.sha256).hexdigest() if salt else ERASED


def leaf_of(entry, account: str) -> dict:
    """The leaf of a ledger entry (a LedgerEntry or anything with its attributes)."""
    detail = entry.detail or {}
    scenarios = detail.get("scenarios") or []
    return {
        "v": VERSION,
        "entry_id": entry.entry_id,
        "kind": entry.kind,
        "amount": int(entry.amount),
        "date": localday.day_of(datetime.fromisoformat(entry.created_at)),
        # at +08:00, as every time leaves the API (miniprogram_api.localjson restates *_at fields)
        "written_at": localday.local_iso(entry.created_at, timespec="microseconds"),
        "account": account,
        "legs": {k: int(v) for k, v in (entry.legs or {}).items()},
        "grams": int(detail.get("grams") or 0),
        "versions": {s["scenario"]: str(s.get("version")) for s in scenarios},
        "scenario_grams": {s["scenario"]: int(s.get("grams") or 0) for s in scenarios},
        "records": int(detail.get("records") or 0),
        "records_digest": detail.get("records_digest") or "",
        "for_date": str(
            detail.get("date") or ""
        ),  # a credit's settled day (its records'); "" for other kinds
    }


def add_to_totals(totals: dict, leaf: dict) -> None:
    """Add a leaf to a day's totals: entries, coins by kind, the books' platform accounts, the
    citizens' side, and the grams credits paid for. Coins by scenario are the `issuance:<scenario>`
    accounts (scenario_grams is the whole day's split, repeated by a re-run's entry: not summed)."""
    totals["entries"] = totals.get("entries", 0) + 1
    totals["citizens"] = totals.get("citizens", 0) + leaf["amount"]
    coins = totals.setdefault("coins", {})
    coins[leaf["kind"]] = coins.get(leaf["kind"], 0) + leaf["amount"]
    platform = totals.setdefault("platform", {})
    for account, amount in leaf["legs"].items():
        platform[account] = platform.get(account, 0) + amount
    totals["grams"] = (
        totals.get("grams", 0) + leaf["grams"]
    )  # what each credit paid for (a re-run: the rest)


def merge_totals(parts) -> dict:
    """The sum of several totals (a day's segments)."""
    out: dict = {"entries": 0, "citizens": 0, "coins": {}, "platform": {}, "grams": 0}
    for part in parts:
        for name in ("entries", "citizens", "grams"):
            out[name] += part.get(name, 0)
        for name in ("coins", "platform"):
            for k, v in part.get(name, {}).items():
                out[name][k] = out[name].get(k, 0) + v
    for name in ("coins", "platform"):
        out[name] = dict(sorted(out[name].items()))
    return out
