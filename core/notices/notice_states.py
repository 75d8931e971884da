"""A notice's states in the outbox, and every move between them (core.notices.outbox sends).

    pending --claim--> sending --sent--> (deleted)
                          |--no accept left--> (deleted: a "no" is respected)
                          |--WeChat did not take it (outage)--> pending, due after a wait
                          |--WeChat refused it--> failed (kept FAILED_KEEP_DAYS for ops)
                          |--no answer, or the lease ran out--> unknown
    unknown / failed --`tanpuhui notices resend ID --by NAME`--> pending

Why an expired lease becomes `unknown` and is never sent again by itself: a sender that claimed a
notice and then died (killed, timed out, the container frozen) may have died before calling WeChat
or after WeChat delivered the message, and nothing tells the two apart: WeChat's subscribe-message
API takes no idempotency key and offers no way to ask what was delivered. Sending again blindly
would tell a citizen twice; dropping it would lose the notice silently. So it waits, counted
(`NoticesUnknown` metric, a `notice_unknown` line) and listed (`tanpuhui notices list --status
unknown`), for a person to decide. A claimed notice has spent the citizen's accept, so a resend
spends none (`accept_spent`); WeChat itself still refuses a message the user has no accept for.

Every move is conditional on the claim that made it (a token written by `claim`): a sender whose
lease ran out cannot overwrite what another run decided. The moves that change the sort key (a
new due time, unknown#, failed#) delete and put in one transaction.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import models
from core.logs import log, user_ref
from models.outbox import BUCKETS, Notice

LEASE_S = 120  # far above one send (the WeChat gateway's 5 s timeout) and the two writes around it
FAILED_KEEP_DAYS = 30
LISTED = ("pending", "sending", "unknown", "failed")
PARKED = ("unknown", "failed")  # out of the due range: only ops send them again


class NoticeNotFound(LookupError):
    pass


def iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="seconds")


def lease_expired(n: Notice, now: datetime) -> bool:
    return n.status == "sending" and (n.lease_until or "") <= iso(now)


def claim(n: Notice, now: datetime) -> str | None:
    """pending -> sending, or None if another sender has it (or sent it) already."""
    from pynamodb.exceptions import UpdateError

    token = uuid.uuid4().hex
    try:
        n.update(
            actions=[
                Notice.status.set("sending"),
                Notice.claim.set(token),
                Notice.claimed_at.set(iso(now)),
                Notice.lease_until.set(iso(now + timedelta(seconds=LEASE_S))),
                Notice.attempts.add(1),
            ],
            condition=Notice.due.exists()
            & (Notice.status.does_not_exist() | (Notice.status == "pending")),
        )
    except UpdateError as e:
        if e.cause_response_code == "ConditionalCheckFailedException":
            return None
        raise
    return token


def finish(n: Notice, token: str) -> bool:
    """Sent (or dropped): the notice goes. A sender that outlived its lease finds it moved to
    unknown and settles that too: the message went, so no one is asked to decide about it."""
    if _delete(Notice(n.bucket, n.due), Notice.claim == token):
        return True
    if _delete(Notice(n.bucket, f"unknown#{n.notice_id}"), Notice.claim == token):
        log("notice_sent_late", template=n.template, user=user_ref(n.user_id))
        return True
    return False


def release(n: Notice, token: str, wait_s: int, now: datetime) -> bool:
    """WeChat did not take it: pending again, due after `wait_s`."""
    return _move(n, token, f"{iso(now + timedelta(seconds=wait_s))}#{n.notice_id}", "pending")


def to_unknown(n: Notice, token: str, reason: str) -> bool:
    moved = _move(
        n, token, f"unknown#{n.notice_id}", "unknown", claim=token, claimed_at=n.claimed_at
    )
    if moved:
        log(
            "notice_unknown",
            level=30,
            template=n.template,
            user=user_ref(n.user_id),
            reason=reason,
            attempts=int(n.attempts or 0),
        )
    return moved


def to_failed(n: Notice, token: str, errcode, now: datetime) -> bool:
    return _move(
        n,
        token,
        f"failed#{n.notice_id}",
        "failed",
        errcode=errcode,
        ttl=now + timedelta(days=FAILED_KEEP_DAYS),
    )


def listed(status: str):
    """Notices in `status`, bucket by bucket (one Query each)."""
    for b in range(BUCKETS):
        if status in PARKED:
            yield from Notice.query(
                f"{b:02d}", Notice.due.startswith(f"{status}#"), consistent_read=True
            )
            continue
        wanted = (
            (Notice.status == "sending")
            if status == "sending"
            else (Notice.status.does_not_exist() | (Notice.status == "pending"))
        )
        yield from Notice.query(
            f"{b:02d}", Notice.due < "a", filter_condition=wanted, consistent_read=True
        )


def find(notice_id: str) -> Notice:
    """An unknown or failed notice by its id (one BatchGetItem over the buckets)."""
    keys = [(f"{b:02d}", f"{s}#{notice_id}") for b in range(BUCKETS) for s in PARKED]
    found = list(Notice.batch_get(keys))
    if not found:
        raise NoticeNotFound(notice_id)
    return found[0]


def resend(notice_id: str, by: str, now: datetime | None = None) -> Notice:
    """An operator's decision: send an unknown (or failed) notice again, due now."""
    now = now or datetime.now(UTC)
    n = find(notice_id)
    was = n.status
    fresh = _copy(n, f"{iso(now)}#{n.notice_id}", "pending", accept_spent=True, resent_by=by)
    if not _transact(Notice(n.bucket, n.due), Notice.status == was, fresh):
        raise NoticeNotFound(notice_id)  # resent by someone else a moment ago
    log("notice_resent", template=n.template, user=user_ref(n.user_id), was=was, by=by)
    return fresh


def _copy(n: Notice, due: str, status: str, **changes) -> Notice:
    kept = {
        "notice_id": n.notice_id,
        "user_id": n.user_id,
        "template": n.template,
        "data": n.data,
        "page": n.page,
        "attempts": int(n.attempts or 0),
        "accept_spent": n.accept_spent,
    }
    return Notice(n.bucket, due, status=status, **{**kept, **changes})


def _move(n: Notice, token: str, due: str, status: str, **changes) -> bool:
    old = Notice(n.bucket, n.due)
    return _transact(
        old,
        (Notice.claim == token) & (Notice.status == "sending"),
        _copy(n, due, status, **changes),
    )


def _transact(old: Notice, condition, new: Notice) -> bool:
    from pynamodb.exceptions import TransactWriteError
    from pynamodb.transactions import TransactWrite

    try:
        with TransactWrite(connection=models.connection()) as tx:
            tx.delete(old, condition=condition)
            tx.save(new, condition=Notice.due.does_not_exist())
        return True
    except TransactWriteError as e:
        if e.cause_response_code == "TransactionCanceledException":
            return False
        raise


def _delete(n: Notice, condition) -> bool:
    from pynamodb.exceptions import DeleteError

    try:
        n.delete(condition=condition)
        return True
    except DeleteError as e:
        if e.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
