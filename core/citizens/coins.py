"""What a citizen sees of their coins: balance, ledger pages, reductions. Read-only.

Invariant: every figure comes from the ledger and accounts (the settled truth), except
pending_grams_today: today's records under settlement's rules, minus what was credited already.
"""

from __future__ import annotations

from core import cursors, localday
from core.carbon import rules
from core.errors import Unprocessable
from models import Account, LedgerEntry

FIGURES = ("balance", "earned_total", "spent_total", "grams_total")


def balance(settings, user_id: str, gen: int, registry, day: str | None = None) -> dict:
    """GET /api/v1/coins in one DynamoDB request: one consistent BatchGetItem of the user (its
    token generation: the request's authentication ends here), the account's figures and today's
    day index (core.carbon.day_index), which also holds what an early run of today credited."""
    from core.carbon import day_index, early
    from core.citizens import users
    from models import User, base
    from models.day_records import DayRecords

    day = day or localday.today()
    user, account, index = base.get_items(
        [
            (User, {"user_id": user_id}, ["token_gen"]),
            (Account, {"user_id": user_id}, list(FIGURES)),
            (DayRecords, {"user_id": user_id, "date": day}, None),
        ]
    )
    users.check_generation(user, gen)
    figures = {k: int((account or {}).get(k, {}).get("N", "0")) for k in FIGURES}
    done = early.settled(index)
    figures["pending_grams_today"] = pending(
        settings, day_index.records(index), day, done, registry
    )
    return figures


def pending(settings, stored: list, day: str, done, registry) -> int:
    """Grams of `day`'s stored records (the day index's records, or its behaviours as the records
    listing reads them: the same figure) not credited yet:
    the day's grams under settlement's rules (a record that breaks one is skipped, as settlement
    quarantines it) minus what an early run credited (`done`: the day's SettledDay, or what the day
    index holds of it (core.carbon.early.Settled), or None)."""
    from core.carbon import quarantine, settlement

    if not stored:
        return 0
    registry = settlement.day_registry(registry, done)
    records = [r for r, _ in (quarantine.admit(b, day, registry) for b in stored) if r is not None]
    grams = sum(
        t.grams for t in rules.apply(records, day, registry, settlement.requires_evidence(settings))
    )
    return max(0, grams - (int(done.grams) if done else 0))


def ledger_page(user_id: str, limit: int, cursor: str | None) -> dict:
    page = LedgerEntry.by_time.query(
        user_id,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=cursors.decode(cursor, cursors.LEDGER, owner=user_id),
    )
    items = [
        {
            "id": e.entry_id,
            "kind": e.kind,
            "amount": int(e.amount),
            "balance_after": int(e.balance_after),
            "created_at": localday.local_iso(e.created_at, timespec="auto"),
            "ref": e.ref,
            "detail": localday.local_times(e.detail),
        }
        for e in page
    ]
    return {"items": items, "next_cursor": cursors.encode(page.last_evaluated_key)}


def reductions(user_id: str, start: str, end: str) -> dict:
    d0, d1 = localday.parse_date(start), localday.parse_date(end)
    if d1 < d0 or (d1 - d0).days > 365:
        raise Unprocessable(
            "from must be on or before to, at most 366 days apart.",
            zh="开始日期不能晚于结束日期，且相隔不超过 366 天。",
        )
    latest: dict[str, LedgerEntry] = {}
    # Settlement entries are settle#DATE[#RUN]: one Query over the id range covers the period.
    for e in LedgerEntry.query(
        user_id, LedgerEntry.entry_id.between(f"settle#{start}", f"settle#{end}#~")
    ):
        day = (e.detail or {}).get("date", e.ref)
        if day not in latest or int(e.detail.get("day_grams", 0)) >= int(
            latest[day].detail.get("day_grams", 0)
        ):
            latest[day] = e  # the latest run of a day lists the day's full totals per scenario
    items = [
        {"date": day, "scenario": s["scenario"], "grams": int(s["grams"]), "count": int(s["count"])}
        for day in sorted(latest)
        for s in latest[day].detail.get("scenarios", [])
    ]
    return {"items": items, "total_grams": sum(i["grams"] for i in items)}
