"""The citizen's inbox (GET /api/v1/inbox): every notice the platform writes for a citizen —
credits, expiring and expired orders, appeal outcomes, PHCER feedback — kept 90 days, whether
or not a subscribe message was sent (that needs an accept; the inbox does not).

Invariants:
- An inbox item is one write of the transaction of what it tells about (a ledger movement's
  cause, an order's claim): it exists exactly when that committed, once (the transaction
  commits once; its key holds the cause's id).
- Items expire (DynamoDB TTL) KEEP_DAYS after they were written; a reader never shows one past
  its expiry even before DynamoDB deletes it.
- A citizen reads and marks only their own items (the user id is the partition key, never taken
  from the request).
Reads: one Query of the user's partition (newest first; a page is cut from it, `unread`
counts all). Writes: one UpdateItem per item marked.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import UpdateError

from core import cursors, localday
from core.books import ledger
from core.errors import Unprocessable
from core.localday import local_minute
from models.inbox import InboxItem

KEEP_DAYS = 90
PAGE = 20  # items a GET returns by default (API.md lists: limit 1..100, default 20)
MAX_IDS = 100


def item(user_id: str, kind: str, notice_id: str, text: tuple[str, str, str, str]) -> InboxItem:
    """text: (title, body, title_en, body_en)."""
    # Local time (+08:00) in the sort key too: the key is the item's id in responses, and every
    # time a citizen sees is at +08:00 (one offset, so keys still sort by time).
    now = localday.to_local(datetime.now(UTC))
    title, body, title_en, body_en = text
    return InboxItem(
        user_id,
        f"{now.isoformat(timespec='microseconds')}#{notice_id}",
        kind=kind,
        title=title,
        body=body,
        title_en=title_en,
        body_en=body_en,
        created_at=now.isoformat(timespec="seconds"),
        read=False,
        expires_at=now + timedelta(days=KEEP_DAYS),
    )


def entry(user_id: str, kind: str, notice_id: str, text: tuple[str, str, str, str]) -> ledger.Write:
    """The inbox item as one write of a ledger movement's transaction (its cause)."""
    return ledger.put(item(user_id, kind, notice_id, text))


# What each kind says: (title, body, title_en, body_en), the bodies filled by str.format (a value
# is put in as it is: braces in a product name or a reason are not read as fields).
TEXTS = {
    "credit": (
        "碳币到账",
        "您 {date} 的低碳行为减排 {grams} 克，已结算为 {coins} 枚碳币。",
        "Coins credited",
        "Your low-carbon actions of {date} saved {grams} g: {coins} coins credited.",
    ),
    "expiring": (
        "兑换券即将过期",
        "您兑换的“{product}”将于 {at} 过期，请尽快使用。",
        "Voucher expiring",
        "Your voucher for {product} expires at {at}: use it soon.",
    ),
    "expired": (
        "兑换券已过期",
        "您兑换的“{product}”已过期未使用，{coins} 枚碳币已退回。",
        "Voucher expired",
        "Your voucher for {product} expired unused: {coins} coins refunded.",
    ),
    "appeal_rejected": (
        "申诉未通过",
        "您对 {date} 的申诉未通过：{reason}",
        "Appeal rejected",
        "Your appeal about {date} was rejected: {reason}",
    ),
    "appeal_resolved": (
        "申诉已处理",
        "您对 {date} 的申诉已处理，补发 {coins} 枚碳币：{reason}",
        "Appeal resolved",
        "Your appeal about {date} was resolved, {coins} coins credited: {reason}",
    ),
    "phcer_feedback": (
        "减排量收益返还",
        "您参与的减排量批次 {batch} 已售出，返还 {coins} 枚碳币。",
        "PHCER proceeds",
        "The reductions batch {batch} you contributed to was sold: {coins} coins returned.",
    ),
}


def _says(key: str, **values) -> tuple[str, str, str, str]:
    title, body, title_en, body_en = TEXTS[key]
    return title, body.format(**values), title_en, body_en.format(**values)


def credit_text(date: str, coins: int, grams: int) -> tuple[str, str, str, str]:
    return _says("credit", date=date, coins=coins, grams=grams)


def expiring_text(product_name: str, expires_at: str) -> tuple[str, str, str, str]:
    return _says("expiring", product=product_name, at=local_minute(expires_at))


def expired_text(product_name: str, coins: int) -> tuple[str, str, str, str]:
    return _says("expired", product=product_name, coins=coins)


def appeal_text(date: str, coins: int | None, reason: str) -> tuple[str, str, str, str]:
    if coins is None:
        return _says("appeal_rejected", date=date, reason=reason)
    return _says("appeal_resolved", date=date, coins=coins, reason=reason)


def phcer_feedback_text(batch: str, coins: int) -> tuple[str, str, str, str]:
    return _says("phcer_feedback", batch=batch, coins=coins)


def _kept(user_id: str):
    now = datetime.now(UTC)
    return [
        i
        for i in InboxItem.query(user_id, scan_index_forward=False, consistent_read=True)
        if i.expires_at is None or i.expires_at > now
    ]


def _shown(i: InboxItem, english: bool) -> dict:
    return {
        "id": i.at,
        "kind": i.kind,
        "title": (i.title_en if english and i.title_en else i.title),
        "body": (i.body_en if english and i.body_en else i.body),
        "created_at": localday.local_iso(i.created_at),
        "read": bool(i.read),
    }


def inbox(
    user_id: str, english: bool = False, limit: int = PAGE, cursor: str | None = None
) -> dict:
    """A page of the caller's kept items, newest first, and `unread` over all of them. The
    cursor is the key of the last item shown (core.cursors, checked to be the caller's): the
    next page is the items older than it, so every kept item is reachable, each on one page."""
    items = _kept(user_id)
    start = cursors.decode(cursor, cursors.INBOX, owner=user_id)
    if start is not None:
        items_after = [i for i in items if i.at < start["at"]["S"]]
    else:
        items_after = items
    page = items_after[:limit]
    more = len(items_after) > limit
    return {
        "items": [_shown(i, english) for i in page],
        "next_cursor": cursors.encode({"user_id": {"S": user_id}, "at": {"S": page[-1].at}})
        if more
        else None,
        "unread": sum(not i.read for i in items),
    }


def every_item(user_id: str) -> list[dict]:
    """Every kept item (the export: all the data held, not a page of it)."""
    return [_shown(i, english=False) for i in _kept(user_id)]


def mark_read(user_id: str, ids: list[str] | None, everything: bool) -> int:
    """Mark the caller's items read: the ids given, or every unread one. Unknown ids are ignored."""
    if everything == bool(ids):
        raise Unprocessable("Give either ids or all: true.", zh="请提供 ids 或 all: true 之一。")
    keys = [i.at for i in _kept(user_id) if not i.read] if everything else list(dict.fromkeys(ids))
    marked = 0
    for at in keys:
        try:
            InboxItem(user_id, at).update(
                actions=[InboxItem.read.set(True)], condition=InboxItem.user_id.exists()
            )
            marked += 1
        except UpdateError as e:
            if e.cause_response_code != "ConditionalCheckFailedException":
                raise
    return marked


def erase(user_id: str) -> int:
    """Account deletion: every inbox item of the citizen (core.citizens.erasure)."""
    n = 0
    with InboxItem.batch_write() as batch:
        for i in InboxItem.query(user_id, attributes_to_get=["user_id", "at"]):
            batch.delete(i)
            n += 1
    return n
