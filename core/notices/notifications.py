"""Subscribe messages (订阅消息) to citizens who asked for them.

Invariants:
- A message goes only to a user whose last answer for its template was "accept" and who has
  an unused accept left; the accept is consumed by a conditional decrement before the send,
  so two runs never spend the same one (WeChat's one-time subscriptions: one accept, one message).
- The answers of one report and an Idempotency-Key's record of it (core.idempotency) commit in
  one transaction: a retried report never adds an accept twice, even after a crash.
- Notifying never fails the caller: settlement and expiry call `Notifier.send` and carry on
  whatever WeChat or DynamoDB do; each failure is one `notify_failed` line (user hashed, no openid).
Reads: one BatchGetItem of subscriptions for the users in a batch, one BatchGetItem of users for
those who accepted; one UpdateItem per message sent.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core import idempotency
from core.errors import IdempotencyKeyReused
from core.localday import local_minute
from core.logs import log, user_ref
from models import User
from models.subscriptions import Subscription

TEMPLATES = ("settlement_credit", "order_expiring", "appeal_result")
ANSWERS = (
    "accept",
    "reject",
    "ban",
    "filter",
)  # what wx.requestSubscribeMessage reports per template


def record_answers(user_id: str, answers: dict[str, str], keyed=None) -> dict:
    """Store what the mini-program reported: each accept allows one more message. With an
    Idempotency-Key, its record commits with the answers (a live one: IdempotencyKeyReused)."""
    now = datetime.now(UTC).isoformat()
    try:
        with TransactWrite(connection=models.connection()) as tx:
            for template, answer in answers.items():
                if answer == "accept":
                    actions = [Subscription.remaining.add(1)]
                else:
                    actions = [
                        Subscription.remaining.set(0)
                    ]  # a "no" now outweighs earlier accepts: respect it
                tx.update(
                    Subscription(user_id, template),
                    actions=actions
                    + [Subscription.status.set(answer), Subscription.updated_at.set(now)],
                )
            idempotency.put_in(tx, keyed, 200)
    except TransactWriteError as e:
        reasons = [r.code for r in e.cancellation_reasons or [] if r is not None]
        if keyed is not None and "ConditionalCheckFailed" in reasons:  # the key's record only
            raise IdempotencyKeyReused() from None
        raise
    return subscriptions_view(user_id)


def subscriptions_view(user_id: str) -> dict:
    found = {s.template: s for s in Subscription.query(user_id, consistent_read=True)}
    return {
        "templates": {
            t: {
                "status": found[t].status if t in found else None,
                "remaining": int(found[t].remaining) if t in found else 0,
            }
            for t in TEMPLATES
        }
    }


def template_ids(settings) -> dict[str, str]:
    """Our template names -> the template ids set up in the WeChat console."""
    return {
        "settlement_credit": settings.template_settlement_credit,
        "order_expiring": settings.template_order_expiring,
        "appeal_result": settings.template_appeal_result,
    }


class Message:
    def __init__(self, user_id: str, data: dict, page: str | None = None):
        self.user_id, self.data, self.page = user_id, data, page


class Notifier:
    """Sends one template's messages through the WeChat gateway; built once per run."""

    def __init__(self, settings, wechat):
        self.wechat = wechat
        self.template_ids = template_ids(settings)

    def send(self, template: str, messages: list[Message]) -> dict:
        """{"notified": n, "notify_failed": m}; never raises."""
        counts = {"notified": 0, "notify_failed": 0}
        if not messages:
            return counts
        try:
            openids = self._recipients(template, {m.user_id for m in messages})
        except Exception as e:
            _failed(template, None, e)
            counts["notify_failed"] += len(messages)
            return counts
        for m in messages:
            if m.user_id not in openids:
                continue
            try:
                if not _consume(m.user_id, template):
                    openids.pop(m.user_id)  # no accept left for this user's next message either
                    continue
                self.wechat.send_subscribe_message(
                    openids[m.user_id], self.template_ids[template], m.data, m.page
                )
                counts["notified"] += 1
            except Exception as e:
                _failed(template, m.user_id, e)
                counts["notify_failed"] += 1
        return counts

    def _recipients(self, template: str, user_ids: set[str]) -> dict[str, str]:
        subs = Subscription.batch_get([(u, template) for u in sorted(user_ids)])
        accepted = [s.user_id for s in subs if s.status == "accept" and int(s.remaining or 0) > 0]
        if not accepted:
            return {}
        return {
            u.user_id: u.openid
            for u in User.batch_get(accepted, attributes_to_get=["user_id", "openid"])
        }


def _consume(user_id: str, template: str) -> bool:
    from pynamodb.exceptions import UpdateError

    try:
        # remaining > 0: of two runs sending on one accept, only one may spend it.
        Subscription(user_id, template).update(
            actions=[Subscription.remaining.add(-1)], condition=Subscription.remaining > 0
        )
        return True
    except UpdateError as e:
        if e.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise


def _failed(template: str, user_id: str | None, e: Exception) -> None:
    cause = e.__cause__ or e
    log(
        "notify_failed",
        level=logging.WARNING,
        template=template,
        user=user_ref(user_id),
        error_type=type(cause).__name__,
        errcode=getattr(cause, "errcode", None),
    )


# What each template says. The keys (thing1, number2...) are the template's fields as set up in
# the WeChat console; WeChat limits a `thing` to 20 characters.
def settlement_message(user_id: str, date: str, coins: int) -> Message:
    return Message(
        user_id,
        {
            "date1": {"value": date},
            "number2": {"value": str(coins)},
            "thing3": {"value": "您的低碳行为已结算为碳币"},
        },
        page="pages/coins/index",
    )


def expiring_message(user_id: str, order_id: str, product_name: str, expires_at: str) -> Message:
    return Message(
        user_id,
        {
            "thing1": {"value": product_name[:20]},
            "time2": {"value": local_minute(expires_at)},
            "thing3": {"value": "兑换券即将过期，请尽快使用"},
        },
        page=f"pages/orders/detail?id={order_id}",
    )


def appeal_message(user_id: str, appeal_id: str, date: str, coins: int | None) -> Message:
    outcome = (
        "申诉未通过，点击查看原因"
        if coins is None
        else f"申诉已处理，补发{coins}枚碳币"
        if coins
        else "申诉已处理，点击查看结果"
    )
    return Message(
        user_id,
        {"date1": {"value": date}, "thing2": {"value": outcome[:20]}},
        page=f"pages/appeals/index?id={appeal_id}",
    )
