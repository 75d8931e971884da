"""What a citizen sees of their coins: balance, ledger pages, reductions. Read-only.

Invariant: every figure comes from the ledger and accounts (the settled truth), except
pending_grams_today, which applies today's methodologies to today's unsettled records.
"""
from __future__ import annotations

import base64
import json
from datetime import date as date_cls, datetime

from core import jsonbounds
from core.carbon import rules
from core.errors import Unprocessable
from core.carbon.settlement_runs import SHANGHAI
from models import Account, LedgerEntry
from models.behaviours import Behaviour, partition, shard_of

def today() -> str:
    return datetime.now(SHANGHAI).date().isoformat()


def balance(settings, user_id: str, registry) -> dict:
    try:
        a = Account.get(user_id)
        figures = {k: int(getattr(a, k)) for k in ("balance", "earned_total", "spent_total", "grams_total")}
    except Account.DoesNotExist:
        figures = dict.fromkeys(("balance", "earned_total", "spent_total", "grams_total"), 0)
    figures["pending_grams_today"] = pending_grams(settings, user_id, today(), registry)
    return figures


def pending_grams(settings, user_id: str, day: str, registry) -> int:
    from decimal import Decimal

    records = [rules.Record(b.scenario, Decimal(str(b.quantity)), b.occurred_at, b.source_id, b.facts)
               for b in Behaviour.query(partition(day, shard_of(user_id, settings.settle_shards)),
                                        Behaviour.sk.startswith(f"{user_id}#"))]
    return sum(t.grams for t in rules.apply(records, day, registry)) if records else 0


def encode_cursor(key: dict | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode() if key else None


def decode_cursor(cursor: str | None, user_id: str) -> dict | None:
    if not cursor:
        return None
    try:
        key = jsonbounds.loads(base64.urlsafe_b64decode(cursor.encode()))
        # Exactly the by_time index's start key, all strings: DynamoDB fails (a 500) on any other.
        if not isinstance(key, dict) or set(key) != {"user_id", "entry_id", "seq"} or not all(
                isinstance(v, dict) and list(v) == ["S"] and isinstance(v["S"], str) for v in key.values()):
            raise ValueError
        if key["user_id"]["S"] != user_id:  # a cursor only pages its owner's list
            raise ValueError
        return key
    except (ValueError, KeyError, TypeError):
        raise Unprocessable("The list cursor is not valid.", zh="翻页参数（cursor）无效，请从第一页重新加载。") from None


def ledger_page(user_id: str, limit: int, cursor: str | None) -> dict:
    page = LedgerEntry.by_time.query(user_id, scan_index_forward=False, limit=limit,
                                     last_evaluated_key=decode_cursor(cursor, user_id))
    items = [{"id": e.entry_id, "kind": e.kind, "amount": int(e.amount), "balance_after": int(e.balance_after),
              "created_at": e.created_at, "ref": e.ref, "detail": e.detail} for e in page]
    return {"items": items, "next_cursor": encode_cursor(page.last_evaluated_key)}


def reductions(user_id: str, start: str, end: str) -> dict:
    try:
        d0, d1 = date_cls.fromisoformat(start), date_cls.fromisoformat(end)
    except ValueError:
        raise Unprocessable("from and to must be dates (YYYY-MM-DD).", zh="起止日期格式应为 YYYY-MM-DD。") from None
    if d1 < d0 or (d1 - d0).days > 365:
        raise Unprocessable("from must be on or before to, at most 366 days apart.",
                            zh="开始日期不能晚于结束日期，且相隔不超过 366 天。")
    latest: dict[str, LedgerEntry] = {}
    # Settlement entries are settle#DATE[#RUN]: one Query over the id range covers the period.
    for e in LedgerEntry.query(user_id, LedgerEntry.entry_id.between(f"settle#{start}", f"settle#{end}#~")):
        day = (e.detail or {}).get("date", e.ref)
        if day not in latest or int(e.detail.get("day_grams", 0)) >= int(latest[day].detail.get("day_grams", 0)):
            latest[day] = e  # the latest run of a day lists the day's full totals per scenario
    items = [{"date": day, "scenario": s["scenario"], "grams": int(s["grams"]), "count": int(s["count"])}
             for day in sorted(latest) for s in latest[day].detail.get("scenarios", [])]
    return {"items": items, "total_grams": sum(i["grams"] for i in items)}
