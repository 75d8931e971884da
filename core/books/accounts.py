"""What a citizen sees of their coins: balance, ledger pages, reductions. Read-only.

Invariant: every figure comes from the ledger and accounts (the settled truth), except
pending_grams_today, which applies today's methodologies to today's unsettled records.
"""
from __future__ import annotations

from core.carbon import behaviours, rules
from core.errors import Unprocessable
from core import cursors, localday
from models import Account, LedgerEntry


def balance(settings, user_id: str, registry) -> dict:
    try:
        a = Account.get(user_id)
        figures = {k: int(getattr(a, k)) for k in ("balance", "earned_total", "spent_total", "grams_total")}
    except Account.DoesNotExist:
        figures = dict.fromkeys(("balance", "earned_total", "spent_total", "grams_total"), 0)
    figures["pending_grams_today"] = pending_grams(settings, user_id, localday.today(), registry)
    return figures


def pending_grams(settings, user_id: str, day: str, registry) -> int:
    records = behaviours.user_day_records(user_id, day, settings.settle_shards)
    return sum(t.grams for t in rules.apply(records, day, registry)) if records else 0


def ledger_page(user_id: str, limit: int, cursor: str | None) -> dict:
    page = LedgerEntry.by_time.query(user_id, scan_index_forward=False, limit=limit,
                                     last_evaluated_key=cursors.decode(cursor, cursors.LEDGER, owner=user_id))
    items = [{"id": e.entry_id, "kind": e.kind, "amount": int(e.amount), "balance_after": int(e.balance_after),
              "created_at": e.created_at, "ref": e.ref, "detail": e.detail} for e in page]
    return {"items": items, "next_cursor": cursors.encode(page.last_evaluated_key)}


def reductions(user_id: str, start: str, end: str) -> dict:
    d0, d1 = localday.parse_date(start), localday.parse_date(end)
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
