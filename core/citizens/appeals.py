"""Appeals: "my ride didn't count". A citizen reports a missing or wrong credit for a date of
the last 30 days; ops resolve it with coins or reject it with a reason; the citizen sees how.

Invariants:
- One open appeal per user and date: the appeal is put, and its date's guard item takes it as
  `holder` (only if it has none), in one transaction; resolving or rejecting releases the holder
  in the transaction that closes the appeal.
- A resolution's coins move exactly once: the ledger entry `appeal#<id>` (deterministic) and the
  appeal's open -> resolved change commit in one transaction; re-running the resolution finds the
  entry and changes nothing. The entry's detail names the appeal, the appeal names the entry.
"""
from __future__ import annotations

import re
import uuid
from datetime import date as date_cls, timedelta

from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core import localtime
from core.books import ledger
from core.citizens import notifications
from core.errors import Conflict, NotFound, Unprocessable
from models.appeals import Appeal

WINDOW_DAYS = 30
NOTE_MAX = 500


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


def _valid_date(day: str, today: str) -> str:
    try:
        d = date_cls.fromisoformat(day) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", day or "") else None
    except ValueError:
        d = None
    t = date_cls.fromisoformat(today)
    if d is None or not t - timedelta(days=WINDOW_DAYS) <= d <= t:
        raise Unprocessable(f"date must be a day of the last {WINDOW_DAYS} days (YYYY-MM-DD).",
                            zh=f"只能对最近 {WINDOW_DAYS} 天内的日期提出申诉（格式 YYYY-MM-DD）。")
    return d.isoformat()


def file(user_id: str, day: str, note: str) -> dict:
    day = _valid_date(day, localtime.today())
    note = (note or "").strip()
    if not 1 <= len(note) <= NOTE_MAX:
        raise Unprocessable(f"note must be 1 to {NOTE_MAX} characters.", zh=f"请填写申诉说明（1 至 {NOTE_MAX} 个字）。")
    appeal = Appeal(uuid.uuid4().hex[:20], user_id=user_id, date=day, note=note, status="open",
                    created_at=localtime.utc_iso())
    try:
        with TransactWrite(connection=models.connection()) as tx:
            # No open appeal for this date yet: a second one (or a double tap) is refused.
            tx.update(Appeal(_guard(user_id, day)), actions=[Appeal.holder.set(appeal.appeal_id)],
                      condition=Appeal.holder.does_not_exist())
            tx.save(appeal, condition=Appeal.appeal_id.does_not_exist())
    except TransactWriteError:
        raise AppealOpen() from None
    return view(appeal)


def mine(user_id: str, limit: int = 100) -> dict:
    items = [view(a) for a in Appeal.by_user.query(user_id, scan_index_forward=False, limit=limit)]
    return {"items": items[:limit], "next_cursor": None}


def view(a: Appeal, with_user: bool = False) -> dict:
    out = {"id": a.appeal_id, "date": a.date, "note": a.note, "status": a.status,
           "created_at": localtime.local_iso(a.created_at), "resolved_at": localtime.local_iso(a.resolved_at),
           "resolution": None}
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
    (core.citizens.notifications.Notifier) tells the citizen if they accepted a message."""
    a = _get(appeal_id)
    if a.status == "resolved":
        return view(a, with_user=True), True
    if a.status != "open":
        raise AppealClosed()
    entry_id = f"appeal#{a.appeal_id}"
    now = localtime.utc_iso()
    resolution = {"coins": coins, "reason": reason, "by": by, "entry_id": entry_id}
    # Still open: a concurrent rejection or resolution wins alone; the date's guard is released with it.
    close = (ledger.update(Appeal(a.appeal_id), [Appeal.status.set("resolved"), Appeal.resolution.set(resolution),
                                                 Appeal.resolved_at.set(now)], Appeal.status == "open"),
             ledger.update(Appeal(_guard(a.user_id, a.date)), [Appeal.holder.remove()], Appeal.holder == a.appeal_id))
    movement = ledger.Movement(a.user_id, entry_id, coins, "adjustment", ref=f"appeal {a.appeal_id}",
                               detail={"appeal_id": a.appeal_id, "date": a.date, "reason": reason, "by": by},
                               totals={"earned_total": coins}, cause=close)
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
            tx.update(Appeal(a.appeal_id), condition=Appeal.status == "open",
                      actions=[Appeal.status.set("rejected"), Appeal.resolution.set({"reason": reason, "by": by}),
                               Appeal.resolved_at.set(localtime.utc_iso())])
            tx.update(Appeal(_guard(a.user_id, a.date)), actions=[Appeal.holder.remove()],
                      condition=Appeal.holder == a.appeal_id)
    except TransactWriteError:
        return _closed_meanwhile(appeal_id)
    _tell(notifier, a, None)
    return view(_get(appeal_id), with_user=True), False


def _tell(notifier, a: Appeal, coins: int | None) -> None:
    """Notifier.send never fails the decision; None sends nothing."""
    if notifier is not None:
        notifier.send("appeal_result", [notifications.appeal_message(a.user_id, a.appeal_id, a.date, coins)])


def _closed_meanwhile(appeal_id: str):
    a = _get(appeal_id)
    raise AppealClosed(f"This appeal was {a.status} meanwhile.", zh="该申诉已被他人处理。")
