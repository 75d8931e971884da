"""Appeals: "my ride didn't count". A citizen reports a missing or wrong credit for a date of
the last 30 days; ops resolve it with coins or reject it with a reason; the citizen sees how.

Invariants:
- One open appeal per user and date: the appeal is put, and its date's guard item takes it as
  `holder` (only if it has none), in one transaction; resolving or rejecting releases the holder
  in the transaction that closes the appeal.
- A failed put is reported as what it was: 409 `appeal_open` only when the guard's condition
  failed (it has a holder); a conflict with another writer, throttling or a taken appeal id is
  retried (BACKOFF) and, if it still fails, a 503 `service_unavailable` with nothing written.
- A resolution's coins move exactly once: the ledger entry `appeal#<id>` (deterministic) and the
  appeal's open -> resolved change commit in one transaction; re-running the resolution finds the
  entry and changes nothing. The entry's detail names the appeal, the appeal names the entry.
"""

from __future__ import annotations

import uuid

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core import cursors, localday
from core.books import ledger
from core.books.transaction import Labelled
from core.citizens.appeal_limits import NOTE_MAX, WINDOW_DAYS
from core.errors import Conflict, NotFound, ServiceUnavailable, Unprocessable
from core.notices import inbox, notifications
from core.retry import CONFLICT
from models.appeals import Appeal

BACKOFF = CONFLICT.at_most(5)  # a failed put that may succeed again is retried this often, then 503


class AppealOpen(Conflict):
    code = "appeal_open"
    message = "You already have an open appeal for this date; we will answer it first."
    message_zh = "该日期已有一条处理中的申诉，请等待处理结果。"


class AppealClosed(Conflict):
    code = "appeal_closed"
    message = "This appeal was already answered."
    message_zh = "该申诉已处理完毕。"


def _guard(user_id: str, day: str) -> str:
    return f"open#{user_id}#{day}"


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


def file(user_id: str, day: str, note: str) -> dict:
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
        failed = _put_open(appeal)
        if failed is None:
            return view(appeal)
        if (
            failed == "guard"
        ):  # the date's guard already names an open appeal: the one real conflict
            raise AppealOpen()
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


def _put_open(appeal: Appeal) -> str | None:
    """Put the appeal and take its date's guard in one transaction. None when both were written;
    "guard" when the guard already had a holder; "retry" when the write may succeed if sent again.
    Any other failure is not ours to hide and propagates."""
    writes = None
    try:
        with TransactWrite(connection=models.connection()) as tx:
            writes = Labelled(tx)
            # No open appeal for this date yet: a second one (or a double tap) is refused.
            writes.update(
                Appeal(_guard(appeal.user_id, appeal.date)),
                actions=[Appeal.holder.set(appeal.appeal_id)],
                condition=Appeal.holder.does_not_exist(),
                label="guard",
            )
            writes.save(appeal, condition=Appeal.appeal_id.does_not_exist(), label="appeal")
    except TransactWriteError as e:
        reasons = {label: r.code for label, r in writes.reasons(e)}
        if reasons.get("guard") == "ConditionalCheckFailed":
            return "guard"
        if (
            reasons.get("appeal") == "ConditionalCheckFailed"
            or e.cause_response_code in _RETRYABLE
            or _RETRYABLE & set(reasons.values())
        ):
            return "retry"
        raise
    return None


def mine(user_id: str, limit: int = 20, cursor: str | None = None) -> dict:
    """One page of the citizen's appeals, newest first; the cursor pages only its owner's list."""
    page = Appeal.by_user.query(
        user_id,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=cursors.decode(cursor, cursors.APPEALS, owner=user_id),
    )
    return {
        "items": [view(a) for a in page],
        "next_cursor": cursors.encode(page.last_evaluated_key),
    }


def all_items(user_id: str) -> list[Appeal]:
    """Every appeal of the citizen, newest first (their data export, account deletion)."""
    return list(Appeal.by_user.query(user_id, scan_index_forward=False))


def all_of(user_id: str) -> list[dict]:
    return [view(a) for a in all_items(user_id)]


def erase_note(appeal_id: str) -> None:
    """Account deletion: the note is the citizen's own words; the decision and its entry stay."""
    Appeal(appeal_id).update(actions=[Appeal.note.set("")], condition=Appeal.appeal_id.exists())


def view(a: Appeal, with_user: bool = False) -> dict:
    out = {
        "id": a.appeal_id,
        "date": a.date,
        "note": a.note,
        "status": a.status,
        "created_at": localday.local_iso(a.created_at),
        "resolved_at": localday.local_iso(a.resolved_at),
        "resolution": None,
    }
    if a.resolution:
        out["resolution"] = {k: a.resolution[k] for k in ("coins", "reason") if k in a.resolution}
    if with_user:
        out["user_id"] = a.user_id
        out["resolution"] = a.resolution
    return out


def open_appeals(limit: int = 1000) -> list[dict]:
    return [view(a, with_user=True) for a in Appeal.by_status.query("open", limit=limit)]


def _get(appeal_id: str) -> Appeal:
    try:
        a = Appeal.get(appeal_id, consistent_read=True)
    except Appeal.DoesNotExist:
        a = None
    if a is None or a.status is None:
        raise NotFound("No such appeal.", zh="找不到这条申诉。")
    return a


def resolve(appeal_id: str, coins: int, reason: str, by: str, notifier=None) -> tuple[dict, bool]:
    """Credit `coins` for the appeal and close it; (appeal, replayed). `notifier`
    (core.notices.notifications.Notifier) tells the citizen if they accepted a message."""
    a = _get(appeal_id)
    if a.status == "resolved":
        return view(a, with_user=True), True
    if a.status != "open":
        raise AppealClosed()
    entry_id = f"appeal#{a.appeal_id}"
    now = localday.stamp()
    resolution = {"coins": coins, "reason": reason, "by": by, "entry_id": entry_id}
    # Still open: a concurrent rejection or resolution wins alone; the date's guard is released with it.
    close = (
        ledger.update(
            Appeal(a.appeal_id),
            [
                Appeal.status.set("resolved"),
                Appeal.resolution.set(resolution),
                Appeal.resolved_at.set(now),
            ],
            Appeal.status == "open",
        ),
        ledger.update(
            Appeal(_guard(a.user_id, a.date)),
            [Appeal.holder.remove()],
            Appeal.holder == a.appeal_id,
        ),
        inbox.entry(
            a.user_id, "appeal_result", a.appeal_id, inbox.appeal_text(a.date, coins, reason)
        ),
    )
    movement = ledger.Movement(
        a.user_id,
        entry_id,
        coins,
        "adjustment",
        ref=f"appeal {a.appeal_id}",
        detail={"appeal_id": a.appeal_id, "date": a.date, "reason": reason, "by": by},
        totals={"earned_total": coins},
        cause=close,
    )
    try:
        posted = ledger.post(movement)
    except ledger.CauseConditionFailed:
        return _closed_meanwhile(appeal_id)
    if not posted.replayed:
        _tell(notifier, a, coins)
    return view(_get(appeal_id), with_user=True), posted.replayed


def reject(appeal_id: str, reason: str, by: str, notifier=None) -> tuple[dict, bool]:
    a = _get(appeal_id)
    if a.status == "rejected":
        return view(a, with_user=True), True
    if a.status != "open":
        raise AppealClosed()
    try:
        with TransactWrite(connection=models.connection()) as tx:
            tx.update(
                Appeal(a.appeal_id),
                condition=Appeal.status == "open",
                actions=[
                    Appeal.status.set("rejected"),
                    Appeal.resolution.set({"reason": reason, "by": by}),
                    Appeal.resolved_at.set(localday.stamp()),
                ],
            )
            tx.update(
                Appeal(_guard(a.user_id, a.date)),
                actions=[Appeal.holder.remove()],
                condition=Appeal.holder == a.appeal_id,
            )
            tx.save(
                inbox.item(
                    a.user_id, "appeal_result", a.appeal_id, inbox.appeal_text(a.date, None, reason)
                )
            )
    except TransactWriteError:
        return _closed_meanwhile(appeal_id)
    _tell(notifier, a, None)
    return view(_get(appeal_id), with_user=True), False


def _tell(notifier, a: Appeal, coins: int | None) -> None:
    """Notifier.send never fails the decision; None sends nothing."""
    if notifier is not None:
        notifier.send(
            "appeal_result", [notifications.appeal_message(a.user_id, a.appeal_id, a.date, coins)]
        )


def _closed_meanwhile(appeal_id: str):
    a = _get(appeal_id)
    raise AppealClosed(f"This appeal was {a.status} meanwhile.", zh="该申诉已被他人处理。")
