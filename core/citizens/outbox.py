"""The notification outbox: a notice is written in the same transaction as the credit it tells
about, and sent later by a scheduled function (functions.send_notices), never by settlement.

Invariants:
- A credit has a notice only if its transaction committed, and at most one (the transaction
  commits once: the ledger entry's attribute_not_exists).
- Never twice: a sender takes a notice by deleting it (conditionally: of two senders one wins)
  before it sends, and consumes one of the user's accepts (notifications._consume).
- An outage delays, never loses: when WeChat does not take the message (HTTP error, no answer,
  "system busy"), the accept is given back and the notice put back, due again later (backoff).
  Only a sender killed between taking a notice and putting it back loses it (logged as taken).
- A refusal (the user withdrew consent, no accept left) drops the notice: a "no" is respected.
Reads: one Query per bucket for due notices, one BatchGetItem of users for their openids.
"""
from __future__ import annotations

import logging
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from itertools import islice

from core.books import ledger
from core.logs import log, user_ref
from models import User
from models.outbox import Notice
from models.subscriptions import Subscription

BUCKETS = 32
PAGE = 100  # notices a Query page, and one BatchGetItem of their users
SENDERS = 8  # WeChat calls at once
RESERVE_MS = 30_000
RETRY_S = (60, 300, 900, 1800)  # wait before the 1st, 2nd, 3rd and later retries


def bucket_of(user_id: str) -> str:
    # Salted: settlement units use crc32(user) % units, and a unit's notices must not share one bucket.
    return f"{zlib.crc32(('notice#' + user_id).encode()) % BUCKETS:02d}"


def _iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).isoformat(timespec="seconds")


def intent(user_id: str, template: str, notice_id: str, data: dict, page: str | None = None) -> ledger.Write:
    """The notice as one write of the credit's transaction (a ledger.Movement's cause)."""
    due = f"{_iso(datetime.now(timezone.utc))}#{notice_id}"
    return ledger.put(Notice(bucket_of(user_id), due, notice_id=notice_id, user_id=user_id, template=template,
                             data=data, page=page, attempts=0))


def wants(user_ids: list[str], template: str) -> set[str]:
    """Users with an accept left for `template` (one BatchGetItem per 100): only they get a notice."""
    subs = Subscription.batch_get([(u, template) for u in user_ids])
    return {s.user_id for s in subs if s.status == "accept" and int(s.remaining or 0) > 0}


def due(bucket: str, now: datetime):
    return Notice.query(bucket, Notice.due <= _iso(now) + "#\uffff", consistent_read=True, page_size=PAGE)


def send_due(wechat, template_ids: dict[str, str], now: datetime | None = None, time_left=None) -> dict:
    """Send every notice due by `now`: {"sent", "delayed", "dropped"}, a page of notices at a
    time, SENDERS at once. `time_left()` (ms, the Lambda context's) stops between pages when under
    RESERVE_MS; the next run (every minute) goes on, and runs that overlap never send one twice."""
    now = now or datetime.now(timezone.utc)
    counts = {"sent": 0, "delayed": 0, "dropped": 0}
    with ThreadPoolExecutor(SENDERS) as pool:
        for b in range(BUCKETS):
            notices = due(f"{b:02d}", now)
            while page := list(islice(notices, PAGE)):
                if time_left is not None and time_left() < RESERVE_MS:
                    return counts
                users = sorted({n.user_id for n in page})
                openids = {u.user_id: u.openid for u in User.batch_get(users, attributes_to_get=["user_id", "openid"])}
                outcomes = pool.map(lambda n: _send_one(wechat, template_ids, n, openids.get(n.user_id), now), page)
                for outcome in outcomes:
                    counts[outcome] += 1
    return counts


def _send_one(wechat, template_ids: dict, n: Notice, openid: str | None, now: datetime) -> str:
    from core.citizens.notifications import _consume, _failed

    if not _take(n):
        return "dropped"  # another sender took it first: it is theirs to send
    if openid is None or not _consume(n.user_id, n.template):
        log("notice_dropped", template=n.template, user=user_ref(n.user_id), reason="no_accept_left")
        return "dropped"
    try:
        wechat.send_subscribe_message(openid, template_ids[n.template], n.data, n.page)
        return "sent"
    except Exception as e:
        _failed(n.template, n.user_id, e)
        if not getattr(e, "transient", False):
            return "dropped"  # WeChat refused this user's message (consent withdrawn, bad openid)
        _give_back(n, now)
        return "delayed"


def _take(n: Notice) -> bool:
    from pynamodb.exceptions import DeleteError

    try:
        n.delete(condition=Notice.due.exists())
        return True
    except DeleteError as e:
        if e.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise


def _give_back(n: Notice, now: datetime) -> None:
    """WeChat did not take it: the accept back, the notice back, due after a wait."""
    from pynamodb.exceptions import UpdateError

    try:  # only to a user still accepting: a "no" given meanwhile is respected
        Subscription(n.user_id, n.template).update(actions=[Subscription.remaining.add(1)],
                                                   condition=Subscription.status == "accept")
    except UpdateError as e:
        if e.cause_response_code != "ConditionalCheckFailedException":
            raise
    attempts = int(n.attempts or 0) + 1
    wait = RETRY_S[min(attempts, len(RETRY_S)) - 1]
    Notice(n.bucket, f"{_iso(now + timedelta(seconds=wait))}#{n.notice_id}", notice_id=n.notice_id,
           user_id=n.user_id, template=n.template, data=n.data, page=n.page, attempts=attempts).save()
    log("notice_delayed", level=logging.WARNING, template=n.template, user=user_ref(n.user_id), attempts=attempts,
        retry_in_s=wait)
