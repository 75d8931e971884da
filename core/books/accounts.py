"""What a citizen sees of their coins: balance, ledger pages, reductions. Read-only.

Invariant: every figure comes from the ledger and accounts (the settled truth), except
pending_grams_today: today's records under settlement's rules, minus what was credited already.
"""
from __future__ import annotations

from core.carbon import rules
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
    """Grams of `day` not credited yet: the day's grams under settlement's rules (a record that
    breaks one is skipped, as settlement quarantines it) minus what an early run credited."""
    from core.books import trace
    from core.carbon import quarantine, settlement

    stored = list(trace.behaviours_of(settings, user_id, day))
    if not stored:
        return 0
    done = trace.settled_day(user_id, day)
    registry = settlement.day_registry(registry, done)
    records = [r for r, _ in (quarantine.admit(b, day, registry) for b in stored) if r is not None]
    grams = sum(t.grams for t in rules.apply(records, day, registry, settlement.requires_evidence(settings)))
    return max(0, grams - (int(done.grams) if done else 0))


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
