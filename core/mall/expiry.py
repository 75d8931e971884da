"""The hourly orders run: expire issued orders past their expiry (core.mall.orders.expire_due) and
tell owners whose orders expire within the next 24 hours.

Invariant: an order's notice is claimed once, by setting expiry_notice_at under
attribute_not_exists, before anything is sent; a re-run or a concurrent run finds it
claimed (the Query filters claimed orders out), so nobody is told twice. A failed send
is not retried (the claim stays): a missed notice costs less than a repeated one. The inbox
item (core.notices.inbox) commits with the claim: every expiring order is in the owner's inbox.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core.mall import orders, payments
from core.metrics import metric
from core.notices import inbox, notifications
from core.runlog import run_summary
from models.orders import Order

NOTICE_AHEAD = timedelta(hours=24)


def hourly(notifier, now: datetime | None = None, pay=None) -> dict:
    """One run of the schedule; logs the one `expire_orders` summary line. With `pay` (the WeChat
    Pay gateway) it also cancels orders left unpaid (core.mall.payments.expire_unpaid)."""
    now = now or datetime.now(UTC)
    with run_summary("expire_orders") as line:
        if pay is not None:
            line.update(payments.expire_unpaid(pay, now))
        line.update(orders.expire_due(now))
        line.update(notify_expiring(notifier, now))
    metric("OrdersExpired", line["expired"])
    return line


def notify_expiring(notifier, now: datetime) -> dict:
    counts = {"expiring": 0, "notified": 0, "notify_failed": 0}
    window = (now.isoformat(), (now + NOTICE_AHEAD).isoformat())
    messages = []
    for o in Order.by_status.query(
        "issued",
        Order.expires_at.between(*window),
        filter_condition=Order.expiry_notice_at.does_not_exist(),
    ):
        if _claim(o, now):
            counts["expiring"] += 1
            messages.append(
                notifications.expiring_message(o.user_id, o.order_id, o.product_name, o.expires_at)
            )
    counts.update(notifier.send("order_expiring", messages))
    return counts


def _claim(o: Order, now: datetime) -> bool:
    try:
        # Not claimed yet and still issued: one notice per order, none for a redeemed one.
        with TransactWrite(connection=models.connection()) as tx:
            tx.update(
                Order(o.order_id),
                actions=[Order.expiry_notice_at.set(now.isoformat())],
                condition=Order.expiry_notice_at.does_not_exist() & (Order.status == "issued"),
            )
            tx.save(
                inbox.item(
                    o.user_id,
                    "order_expiring",
                    o.order_id,
                    inbox.expiring_text(o.product_name, o.expires_at),
                )
            )
        return True
    except TransactWriteError as e:
        if e.cause_response_code == "TransactionCanceledException" and any(
            r is not None and r.code == "ConditionalCheckFailed"
            for r in e.cancellation_reasons or []
        ):
            return False
        raise
