"""The ledger: every coin movement, exactly once.

Invariants (what every caller may rely on, and every test checks):
- An account's balance equals the sum of the amounts of its ledger entries. A balance never goes negative.
- Double entry: each entry's platform legs (core.books.legs) sum to minus its amount and are added to the
  platform accounts in the same transaction (core.books.platform): citizens plus platform sum to zero.
- An entry id is written at most once: entries are put with attribute_not_exists, and ids are deterministic
  per cause (settle#DATE, order#ID, refund#ID), so a replayed cause writes nothing and reports the first result.
- The entry and the account change (balance, TOTALS, year roll-ups) commit in one transaction, guarded by the
  account's version: of two concurrent movements one commits and the other re-reads and retries (no update lost).
A movement carries its cause's writes (an order, a stock decrement, a settled day) as `Write` values, in the same
transaction (and the entry's core.books.written item), so a coin never moves without its cause.
`post_once(movement, account)` is one transaction against the account as read. When it is cancelled, each
cancellation reason names its own write (core.books.transaction): the entry already there is a replay (the entry
comes back with the reason: no read), the account's version is a conflict (the fresh account comes back the same
way), throttling is its own case (a longer backoff), and a cause's condition is CauseConditionFailed naming which.
`post_from(account, movement_for)` is the one retry loop (core.retry): the movement is computed from the account
as read and recomputed from the fresh one after a conflict; `post(movement)` is it for a fixed amount.
The values it moves (Movement, Write, Posted, the failures): core.books.movement. Checks: core.books.checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core.books import legs as double_entry
from core.books import platform, written
from core.books.movement import (  # noqa: F401 (callers use them as ledger.X)
    ACCOUNT,
    ENTRY,
    THROTTLING,
    TOTALS,
    AccountMoved,
    CauseConditionFailed,
    InsufficientCoins,
    LedgerContention,
    Movement,
    Posted,
    Throttled,
    Write,
    check,
    put,
    update,
)
from core.books.transaction import Labelled
from core.retry import CONFLICT, THROTTLED
from models import Account, LedgerEntry


def read_account(user_id: str) -> Account | None:
    try:
        return Account.get(user_id, consistent_read=True)
    except Account.DoesNotExist:
        return None


def find_entry(user_id: str, entry_id: str) -> LedgerEntry | None:
    try:
        return LedgerEntry.get(user_id, entry_id, consistent_read=True)
    except LedgerEntry.DoesNotExist:
        return None


UNREAD = object()  # post(account=UNREAD): the caller has not read the account


def post(m: Movement, account: Account | None | object = UNREAD) -> Posted:
    """Post a movement whose amount does not depend on the account. Pass `account` when the caller
    already read it (None: there is none yet). Raises InsufficientCoins, CauseConditionFailed or LedgerContention."""
    return post_from(read_account(m.user_id) if account is UNREAD else account, lambda _: m)


def post_from(
    account: Account | None, movement_for: Callable[[Account | None], Movement | None]
) -> Posted | None:
    """Post `movement_for(account)`, computed from the account as read; after a conflict, computed again from
    the fresh account the cancelled transaction returned (no read). None when `movement_for` finds nothing to
    post. Conflicts pause briefly, throttling longer (core.retry); after the last try, LedgerContention."""
    for attempt in CONFLICT.tries():
        m = movement_for(account)
        if m is None:
            return None
        try:
            return post_once(m, account)
        except Throttled as throttled:
            account = throttled.account
            THROTTLED.pause(attempt + 1)
        except AccountMoved as moved:
            account = moved.account
    raise LedgerContention()


def post_once(m: Movement, account: Account | None) -> Posted:
    """One transaction: the entry, the account change from `account` as read, the cause's writes. Raises
    AccountMoved (nothing written; retry from its account), CauseConditionFailed, InsufficientCoins."""
    unknown = set(m.totals) - set(TOTALS) | {
        k for k in m.rollups if not models.accounts.is_rollup(k)
    }
    if unknown:
        raise ValueError(f"unknown account totals: {unknown}")
    # Double entry: the platform side of this movement (a credit to a closed account is forfeited).
    amount, legs = double_entry.on_account(
        m.kind, m.amount, m.legs, bool(account and account.closed_at)
    )
    if amount != m.amount:
        m = replace(
            m,
            amount=amount,
            totals={},
            rollups={},
            detail={**(m.detail or {}), "forfeited": m.amount},
        )
    after = (int(account.balance) if account else 0) + m.amount
    if after < 0:
        raise InsufficientCoins()
    created_at = datetime.now(UTC).isoformat(timespec="microseconds")
    entry = LedgerEntry(
        m.user_id,
        m.entry_id,
        seq=f"{created_at}#{m.entry_id}",
        kind=m.kind,
        amount=m.amount,
        balance_after=after,
        ref=m.ref,
        detail=m.detail,
        created_at=created_at,
        legs=legs,
    )
    try:
        with TransactWrite(connection=models.connection()) as raw:
            tx = Labelled(raw)
            # attribute_not_exists: a cause is posted at most once, whatever retries or re-runs happen.
            tx.save(entry, condition=LedgerEntry.entry_id.does_not_exist(), label=ENTRY)
            platform.add_legs(tx, m.user_id, legs, created_at)
            written.add(tx, entry)  # the transparency log's order and copy
            _account_change(tx, account, m, after)
            for i, w in enumerate(m.cause):
                _add(tx, w, i)
    except TransactWriteError as e:
        if e.cause_response_code != "TransactionCanceledException":
            raise
        return _cancelled(m, account, tx.reasons(e), e)
    return Posted(entry, after, replayed=False)


def _cancelled(
    m: Movement, account: Account | None, reasons: list, e: TransactWriteError
) -> Posted:
    """What a cancelled transaction means, from the reason each of our writes was given."""
    failed = {label: r for label, r in reasons if r.code == "ConditionalCheckFailed"}
    if (
        ENTRY in failed
    ):  # this cause was posted already (a re-run, or our own commit whose answer was lost)
        raw = failed[ENTRY].raw_item
        first = LedgerEntry.from_raw_data(raw) if raw else find_entry(m.user_id, m.entry_id)
        return Posted(first, int(first.balance_after), replayed=True)
    if any(r.code in THROTTLING for _, r in reasons):
        raise Throttled(account) from None
    if ACCOUNT in failed:  # another movement committed first: here is the account it left
        raw = failed[ACCOUNT].raw_item
        raise AccountMoved(Account.from_raw_data(raw) if raw else read_account(m.user_id)) from None
    if any(r.code == "TransactionConflict" for _, r in reasons):
        raise AccountMoved(
            account
        ) from None  # an item held by another transaction: nothing known changed
    if failed:
        raise CauseConditionFailed(
            {k: r.raw_item for k, r in failed.items() if isinstance(k, int)}
        ) from e
    raise e


def _account_change(tx: Labelled, account: Account | None, m: Movement, after: int) -> None:
    now = datetime.now(UTC)
    if (
        account is None
    ):  # only the first movement creates the account; a racing creator makes this one retry
        fresh = Account(
            m.user_id,
            balance=after,
            version=1,
            updated_at=now,
            **{k: int(m.totals.get(k, 0)) for k in TOTALS},
        )
        tx.save(
            fresh.with_rollups(m.rollups), condition=Account.user_id.does_not_exist(), label=ACCOUNT
        )
        return
    actions = [
        Account.balance.set(after),
        Account.version.set(int(account.version) + 1),
        Account.updated_at.set(now),
    ]
    actions += [getattr(Account, k).add(int(v)) for k, v in m.totals.items() if v]
    actions += [
        models.accounts.rollup_add(k, int(v)) for k, v in m.rollups.items() if v
    ]  # ADD: made the first time
    actions += [
        models.accounts.rollup_remove(k) for k, v in m.rollups.items() if v is None
    ]  # stale periods
    # version ==: the balance we computed `after` from is still the balance; else re-read and retry.
    tx.update(
        Account(m.user_id),
        actions,
        condition=Account.version == int(account.version),
        label=ACCOUNT,
    )


def _add(tx: Labelled, w: Write, label: int) -> None:
    if w.op == "put":
        tx.save(w.item, condition=w.condition, label=label)
    elif w.op == "update":
        tx.update(w.item, w.actions, condition=w.condition, label=label)
    elif w.op == "check":
        range_key = getattr(w.item, w.item._range_keyname) if w.item._range_keyname else None
        tx.condition_check(
            type(w.item),
            getattr(w.item, w.item._hash_keyname),
            range_key,
            condition=w.condition,
            label=label,
        )
    else:
        raise ValueError(f"unknown write {w.op!r}")
