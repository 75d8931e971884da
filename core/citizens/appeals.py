"""Appeals: "my ride didn't count". A citizen files one (core.citizens.appeal_filing) for a date
of the last 30 days; ops resolve it with coins or reject it with a reason; the citizen sees how.

Invariants:
- Resolving or rejecting an appeal releases its date's guard item (`holder`, taken at filing)
  in the transaction that closes the appeal, so the date is open to a new appeal exactly then.
- A resolution's coins move exactly once: the ledger entry `appeal#<id>` (deterministic) and the
  appeal's open -> resolved change commit in one transaction; re-running the resolution finds the
  entry and changes nothing. The entry's detail names the appeal, the appeal names the entry.
- An appeal is closed once: a concurrent rejection or resolution wins alone (condition: still
  open), and the other is refused `appeal_closed`.
- A citizen sees their own appeals only (the cursor pages only its owner's list), and the
  resolution's coins and reason, never who decided.
"""

from __future__ import annotations

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core import cursors, localday
from core.books import ledger
from core.errors import Conflict, NotFound
from core.notices import inbox, notifications
from models.appeals import Appeal


class AppealClosed(Conflict):
    code = "appeal_closed"
    message = "This appeal was already answered."
    message_zh = "该申诉已处理完毕。"


def guard_key(user_id: str, day: str) -> str:
    """The item that holds the date's one open appeal (core.citizens.appeal_filing takes it)."""
    return f"open#{user_id}#{day}"


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
            Appeal(guard_key(a.user_id, a.date)),
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
                Appeal(guard_key(a.user_id, a.date)),
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
