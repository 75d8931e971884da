"""The notification outbox: a notice is written in the same transaction as the credit it tells
about, and sent later by a scheduled function (functions.send_notices), never by settlement.

Invariants:
- A credit has a notice only if its transaction committed, and at most one (the transaction
  commits once: the ledger entry's attribute_not_exists).
- Never twice: a sender claims a notice (conditional pending -> sending, with a lease) before it
  spends one of the user's accepts (notifications._consume) and sends; only the claim's holder
  marks the outcome (core.notices.notice_states has the states and why).
- Never lost silently: when WeChat does not take the message (HTTP error, no connection, "system
  busy") the notice goes back to pending, due later (backoff), and the accept is given back; a
  sender killed between claim and mark leaves the notice `sending` until its lease runs out, and
  the next run moves it to `unknown` (logged, counted, listed for ops), never sent again by itself.
- A refusal: no accept left (the user withdrew consent) drops the notice; WeChat refusing the
  message keeps it as `failed` for ops.
Reads: one Query per bucket for due notices, one BatchGetItem of users for their openids.
Writes per notice sent: the claim, the accept spent, the delete.
"""

from __future__ import annotations

import logging
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from itertools import islice

from core.books import ledger
from core.logs import log, user_ref
from core.metrics import metric
from core.notices import notice_states as states
from models import User
from models.outbox import BUCKETS, Notice
from models.subscriptions import Subscription

PAGE = 100  # notices a Query page, and one BatchGetItem of their users
SENDERS = 8  # WeChat calls at once
RESERVE_MS = 30_000
RETRY_S = (
    60,
    300,
    900,
    1800,
)  # wait before the 1st, 2nd, 3rd and later retries: an outage only delays
OUTCOMES = ("sent", "delayed", "dropped", "failed", "unknown")


def bucket_of(user_id: str) -> str:
    # Salted: settlement units use crc32(user) % units, and a unit's notices must not share one bucket.
    return f"{zlib.crc32(('notice#' + user_id).encode()) % BUCKETS:02d}"


def intent(
    user_id: str, template: str, notice_id: str, data: dict, page: str | None = None
) -> ledger.Write:
    """The notice as one write of the credit's transaction (a ledger.Movement's cause)."""
    due = f"{states.iso(datetime.now(UTC))}#{notice_id}"
    return ledger.put(
        Notice(
            bucket_of(user_id),
            due,
            notice_id=notice_id,
            user_id=user_id,
            template=template,
            data=data,
            page=page,
            status="pending",
            attempts=0,
        )
    )


def wants(user_ids: list[str], template: str) -> set[str]:
    """Users with an accept left for `template` (one BatchGetItem per 100): only they get a notice."""
    subs = Subscription.batch_get([(u, template) for u in user_ids])
    return {s.user_id for s in subs if s.status == "accept" and int(s.remaining or 0) > 0}


def due(bucket: str, now: datetime):
    return Notice.query(
        bucket, Notice.due <= states.iso(now) + "#\uffff", consistent_read=True, page_size=PAGE
    )


def send_due(
    wechat, template_ids: dict[str, str], now: datetime | None = None, time_left=None
) -> dict:
    """Send every notice due by `now`: {"sent", "delayed", "dropped", "failed", "unknown"}, a page
    of notices at a time, SENDERS at once. `time_left()` (ms, the Lambda context's) stops between
    pages when under RESERVE_MS; the next run (every minute) goes on, and runs that overlap never
    send one twice. Notices another sender holds are left to it; those whose lease ran out become
    unknown (counted under "unknown", with the notices WeChat gave no answer for)."""
    now = now or datetime.now(UTC)
    counts = dict.fromkeys(OUTCOMES, 0)
    with ThreadPoolExecutor(SENDERS) as pool:
        for b in range(BUCKETS):
            notices = due(f"{b:02d}", now)
            while page := list(islice(notices, PAGE)):
                if time_left is not None and time_left() < RESERVE_MS:
                    return _counted(counts)
                held = [n for n in page if n.status == "sending"]
                counts["unknown"] += sum(
                    states.to_unknown(n, n.claim, "lease_expired")
                    for n in held
                    if states.lease_expired(n, now)
                )
                page = [n for n in page if n.status != "sending"]
                if not page:
                    continue
                users = sorted({n.user_id for n in page})
                openids = {
                    u.user_id: u.openid
                    for u in User.batch_get(users, attributes_to_get=["user_id", "openid"])
                }
                send = lambda n: _send_one(wechat, template_ids, n, openids.get(n.user_id), now)  # noqa: E731, B023 (mapped right here)
                for outcome in pool.map(send, page):
                    if outcome:
                        counts[outcome] += 1
    return _counted(counts)


def _counted(counts: dict) -> dict:
    # Alarm on NoticesUnknown > 0 (a run that made none sends no line): each one waits for a
    # person (`tanpuhui notices list --status unknown`).
    if counts["unknown"]:
        metric("NoticesUnknown", counts["unknown"])
    if counts["sent"]:
        metric("NotificationsSent", counts["sent"])
    if counts["failed"]:
        metric("NotificationsFailed", counts["failed"])
    return counts


def _send_one(
    wechat, template_ids: dict, n: Notice, openid: str | None, now: datetime
) -> str | None:
    from core.notices.notifications import _consume, _failed

    token = states.claim(n, now)
    if token is None:
        return None  # another sender took it first: it is theirs to send
    spends = not n.accept_spent  # a notice ops resent spent its accept when it was first claimed
    if openid is None or (spends and not _consume(n.user_id, n.template)):
        states.finish(n, token)
        log(
            "notice_dropped", template=n.template, user=user_ref(n.user_id), reason="no_accept_left"
        )
        return "dropped"
    try:
        wechat.send_subscribe_message(openid, template_ids[n.template], n.data, n.page)
    except Exception as e:
        _failed(n.template, n.user_id, e)
        if getattr(e, "transient", False):
            return _delay(n, token, spends, now)
        if getattr(e, "maybe_sent", False):  # asked, no answer: it may have been delivered
            return "unknown" if states.to_unknown(n, token, "no_answer") else None
        cause = e.__cause__ or e
        states.to_failed(n, token, getattr(cause, "errcode", None), now)
        return "failed"
    states.finish(n, token)
    return "sent"


def _delay(n: Notice, token: str, spent: bool, now: datetime) -> str | None:
    """WeChat did not take it: the notice back, due after a wait, then the accept back. (In this
    order: a sender killed between the two costs the citizen an accept, never a message too many.)"""
    from pynamodb.exceptions import UpdateError

    attempts = int(n.attempts or 1)
    wait = RETRY_S[min(attempts, len(RETRY_S)) - 1]
    if not states.release(n, token, wait, now):
        return None  # our lease ran out meanwhile: another run made it unknown
    log(
        "notice_delayed",
        level=logging.WARNING,
        template=n.template,
        user=user_ref(n.user_id),
        attempts=attempts,
        retry_in_s=wait,
    )
    if spent:
        try:  # only to a user still accepting: a "no" given meanwhile is respected
            Subscription(n.user_id, n.template).update(
                actions=[Subscription.remaining.add(1)], condition=Subscription.status == "accept"
            )
        except UpdateError as e:
            if e.cause_response_code != "ConditionalCheckFailedException":
                raise
    return "delayed"
