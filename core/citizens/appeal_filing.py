"""Filing an appeal: the citizen's side. Ops answer it in core.citizens.appeals.

Invariants:
- A date is a YYYY-MM-DD day of the last WINDOW_DAYS days (Asia/Shanghai), the note 1 to NOTE_MAX
  characters (core.citizens.appeal_limits); anything else is a 422 with nothing written.
- One open appeal per user and date: the appeal is put, and its date's guard item takes it as
  `holder` (only if it has none), in one transaction.
- An Idempotency-Key's record (core.idempotency) commits in the appeal's transaction, naming the
  appeal: a retry is answered from it (`first_answer`), never filed twice; a record put meanwhile
  by the same key fails the transaction (IdempotencyKeyReused: the caller reads which request
  holds the key).
- A failed put is reported as what it was: 409 `appeal_open` only when the guard's condition
  failed (it has a holder); a conflict with another writer, throttling or a taken appeal id is
  retried (BACKOFF) and, if it still fails, a 503 `service_unavailable` with nothing written.
"""

from __future__ import annotations

import uuid

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core import idempotency, localday
from core.books.transaction import Labelled
from core.citizens.appeal_limits import NOTE_MAX, WINDOW_DAYS
from core.citizens.appeals import guard_key, view
from core.errors import Conflict, IdempotencyKeyReused, ServiceUnavailable, Unprocessable
from core.retry import CONFLICT
from models.appeals import Appeal

BACKOFF = CONFLICT.at_most(5)  # a failed put that may succeed again is retried this often, then 503


class AppealOpen(Conflict):
    code = "appeal_open"
    message = "You already have an open appeal for this date; we will answer it first."
    message_zh = "该日期已有一条处理中的申诉，请等待处理结果。"


def _valid_date(day, today: str) -> str:
    """A YYYY-MM-DD day of the last WINDOW_DAYS days (Asia/Shanghai, core.localday), else 422."""
    too_far = Unprocessable(
        f"date must be a day of the last {WINDOW_DAYS} days (YYYY-MM-DD).",
        zh=f"只能对最近 {WINDOW_DAYS} 天内的日期提出申诉（格式 YYYY-MM-DD）。",
    )
    try:
        d = localday.parse_date(day)
    except localday.InvalidDate:
        raise too_far from None
    if not localday.add_days(today, -WINDOW_DAYS) <= d.isoformat() <= today:
        raise too_far
    return d.isoformat()


def file(user_id: str, day: str, note: str, keyed=None) -> dict:
    day = _valid_date(day, localday.today())
    note = (note or "").strip()
    if not 1 <= len(note) <= NOTE_MAX:
        raise Unprocessable(
            f"note must be 1 to {NOTE_MAX} characters.",
            zh=f"请填写申诉说明（1 至 {NOTE_MAX} 个字）。",
        )
    for _ in BACKOFF.tries():
        appeal = Appeal(
            uuid.uuid4().hex[:20],
            user_id=user_id,
            date=day,
            note=note,
            status="open",
            created_at=localday.stamp(),
        )
        failed = _put_open(appeal, keyed)
        if failed is None:
            return view(appeal)
        if failed == "guard":  # the date's guard already names an open appeal: the real conflict
            raise AppealOpen()
        if failed == "key":  # another request with this key committed meanwhile
            raise IdempotencyKeyReused()
        # Another writer on the guard at the same moment, throttling, or (once in 2^80) an appeal id
        # taken: nothing was written, so the same appeal is tried again under a fresh id.
    raise ServiceUnavailable(
        "The appeal could not be saved just now; nothing was filed. Please send it again.",
        zh="申诉暂时未能保存（尚未提交），请稍后重新提交。",
    )


# What makes a put worth trying again: DynamoDB's word for a busy item or for too many requests.
_RETRYABLE = {
    "TransactionConflict",
    "ThrottlingError",
    "ProvisionedThroughputExceeded",
    "RequestLimitExceeded",
    "TransactionInProgressException",
    "ThrottlingException",
    "ProvisionedThroughputExceededException",
    "InternalServerError",
}


def first_answer(user_id: str, appeal_id: str) -> dict:
    """What filing the appeal answered (an Idempotency-Key's retry): the appeal as filed, open,
    whatever ops answered since."""
    a = Appeal.get(appeal_id, consistent_read=True)
    if a.user_id != user_id:
        raise Appeal.DoesNotExist()  # never another's: a record names its own caller's appeal
    return {**view(a), "status": "open", "resolved_at": None, "resolution": None}


def _put_open(appeal: Appeal, keyed=None) -> str | None:
    """Put the appeal and take its date's guard in one transaction. None when both were written;
    "guard" when the guard already had a holder; "retry" when the write may succeed if sent again.
    Any other failure is not ours to hide and propagates."""
    writes = None
    try:
        with TransactWrite(connection=models.connection()) as tx:
            writes = Labelled(tx)
            # No open appeal for this date yet: a second one (or a double tap) is refused.
            writes.update(
                Appeal(guard_key(appeal.user_id, appeal.date)),
                actions=[Appeal.holder.set(appeal.appeal_id)],
                condition=Appeal.holder.does_not_exist(),
                label="guard",
            )
            writes.save(appeal, condition=Appeal.appeal_id.does_not_exist(), label="appeal")
            idempotency.put_in(writes, keyed, 201, appeal.appeal_id, label="key")
    except TransactWriteError as e:
        reasons = {label: r.code for label, r in writes.reasons(e)}
        if reasons.get("guard") == "ConditionalCheckFailed":
            return "guard"
        if reasons.get("key") == "ConditionalCheckFailed":
            return "key"
        if (
            reasons.get("appeal") == "ConditionalCheckFailed"
            or e.cause_response_code in _RETRYABLE
            or _RETRYABLE & set(reasons.values())
        ):
            return "retry"
        raise
    return None
