"""What `tanpuhui report day DATE` shows, read once: the day's book (the same trial balance
`tanpuhui books --from DATE --to DATE` prints, so every coin figure equals it), the day's ledger
entries (spending by product category, active citizens), the settlement runs that ran that day,
their quarantined records, and the notices WeChat refused that day.

A "day" is a local (Asia/Shanghai) day, as everywhere: the book of a day holds the movements
booked on it, so the settlement that ran at 02:00 that day (of the day before, plus late days)
is the one whose issuance is in it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from core import localday
from core.books.platform import local_day, trial_balance

LATE_DAYS_BACK = 7  # a run on a day settles it, the day before, or a late day of the week before


@dataclass(frozen=True)
class SettledDate:
    date: str  # the date settled
    units: int
    done: int
    failed: int  # units not done (failed, running, cut off)
    users: int
    credited: int
    coins: int
    grams: int
    quarantined: int
    duration_s: float  # first unit's start to last unit's finish
    reasons: dict[str, int] = field(default_factory=dict)  # quarantined records by reason


@dataclass(frozen=True)
class DayReport:
    day: str
    books: dict  # trial_balance(day, day): {"citizens", "platform": {account: coins}, "total"}
    spent_by_category: dict[str, int]
    active_citizens: int  # citizens with any coin movement booked that day
    movements: int
    settled: list[SettledDate]
    failed_notices: dict[str, int]  # "template errcode" -> notices WeChat refused that day
    merchants: dict[str, str] = field(
        default_factory=dict
    )  # merchant id -> name, for the spending lines

    def issued_by_scenario(self) -> dict[str, int]:
        return {
            a.split(":", 1)[1]: -v
            for a, v in self.books["platform"].items()
            if a.startswith("issuance:")
        }

    def account(self, name: str) -> int:
        return int(self.books["platform"].get(name, 0))

    def spent(self) -> int:
        return sum(v for a, v in self.books["platform"].items() if a.startswith("spending:"))

    def issued(self) -> int:
        return sum(self.issued_by_scenario().values())


def _ledger(day: str) -> tuple[Counter, set, int]:
    """Coins spent per product of the orders booked on `day`, the citizens with a movement, count."""
    from models import LedgerEntry

    start, end = localday.utc_bounds(day)
    spent, users, n = Counter(), set(), 0
    # An ops report over all users: a Scan filtered to the day's created_at (the book's own day rule below).
    for e in LedgerEntry.scan(
        LedgerEntry.created_at.between(start, end),
        attributes_to_get=["user_id", "kind", "amount", "created_at", "detail", "legs"],
    ):
        if local_day(e.created_at) != day:
            continue
        n += 1
        users.add(e.user_id)
        if e.kind == "order":
            spent[(e.detail or {}).get("product_id")] += sum(
                v for a, v in (e.legs or {}).items() if a.startswith("spending:")
            )
    return spent, users, n


def _categories(spent_by_product: Counter, spent_total: int) -> dict[str, int]:
    from models.mall import Product

    ids = sorted(p for p in spent_by_product if p)
    category = {p.product_id: p.category for p in Product.batch_get(ids)} if ids else {}
    out = Counter()
    for product, coins in spent_by_product.items():
        out[category.get(product, "other")] += coins
    rest = spent_total - sum(
        out.values()
    )  # entries written without legs or product: still the book's
    if rest:
        out["other"] += rest
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def _settled_that_day(day: str) -> list[SettledDate]:
    from core.carbon import quarantine
    from core.carbon.late import DATE_RUN
    from models.settlement import SettlementRun

    out = []
    for back in range(
        -1, LATE_DAYS_BACK + 1
    ):  # today's early run too (the day after `day`, back = -1)
        date = localday.add_days(day, -back)
        units = [r for r in SettlementRun.query(date, consistent_read=True) if r.shard != DATE_RUN]
        ran = [r for r in units if r.finished_at and local_day(r.finished_at) == day]
        if not ran:
            continue
        totals = [r.totals or {} for r in ran if r.status == "done"]
        starts = [r.started_at for r in ran if r.started_at]
        duration = (
            (
                datetime.fromisoformat(max(r.finished_at for r in ran))
                - datetime.fromisoformat(min(starts))
            ).total_seconds()
            if starts
            else 0.0
        )
        reasons = Counter(q.reason for q in quarantine.listed(date))
        out.append(
            SettledDate(
                date,
                len(units),
                sum(r.status == "done" for r in units),
                sum(r.status != "done" for r in units),
                *(
                    sum(int(t.get(k, 0)) for t in totals)
                    for k in ("users", "credited", "coins", "grams", "quarantined")
                ),
                round(duration, 1),
                dict(reasons),
            )
        )
    return out


def _merchant_names(books: dict) -> dict[str, str]:
    from models.orders import Merchant

    ids = sorted(a.split(":", 1)[1] for a in books["platform"] if a.startswith("spending:"))
    return (
        {
            m.merchant_id: m.name
            for m in Merchant.batch_get(ids, attributes_to_get=["merchant_id", "name"])
        }
        if ids
        else {}
    )


def _failed_notices(day: str) -> dict[str, int]:
    from core.notices import notice_states

    out = Counter()
    for n in notice_states.listed("failed"):
        if n.claimed_at and local_day(n.claimed_at) == day:
            out[f"{n.template} {n.errcode}"] += 1
    return dict(out)


STEPS = 5


def gather(day: str, progress=lambda: None) -> DayReport:
    """Read the day (progress() after each of STEPS reads, for a progress bar)."""
    books = trial_balance(day, day)
    progress()
    spent_by_product, users, movements = _ledger(day)
    progress()
    spent_total = sum(v for a, v in books["platform"].items() if a.startswith("spending:"))
    categories = _categories(spent_by_product, spent_total)
    merchants = _merchant_names(books)
    progress()
    settled = _settled_that_day(day)
    progress()
    failed = _failed_notices(day)
    progress()
    return DayReport(day, books, categories, len(users), movements, settled, failed, merchants)
