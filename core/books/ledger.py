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
`post_once(movement, account)` is one transaction against the account as read; `post(movement)` loops for a fixed
amount (read, post_once, re-read on AccountMoved); settlement writes its own loop. Checks: core.books.checks.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

import models
from core.books import legs as double_entry, platform, written
from core.errors import Conflict
from models import Account, LedgerEntry

TOTALS = ("earned_total", "spent_total", "grams_total", "coins_from_grams", "carry_grams")
MAX_ATTEMPTS = 12
RETRYABLE = ("TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded")  # no verdict on the cause


class InsufficientCoins(Conflict):
    code = "insufficient_coins"
    message = "Not enough carbon coins."
    message_zh = "碳币余额不足。"


class CauseConditionFailed(Exception):
    """The cause's writes failed their conditions (stock, limits, status): the caller re-reads to say which."""


class AccountMoved(Exception):
    """The account changed since it was read (another movement committed first): nothing was written;
    `account` is the account as it is now, to recompute from and try again."""

    def __init__(self, account: Account | None):
        super().__init__("account moved")
        self.account = account


class LedgerContention(Conflict):
    code = "conflict"
    message = "The account is busy. Please try again."
    message_zh = "账户正忙，请稍后重试。"


@dataclass(frozen=True)
class Write:
    """One write of a movement's cause: put an item, update it, or only check a condition (why it may not happen)."""
    op: str  # put | update | check
    item: Model  # for update and check, built from its key alone
    condition: object = None  # a PynamoDB condition
    actions: tuple = ()  # update only


def put(item: Model, condition=None) -> Write:
    return Write("put", item, condition)


def update(item: Model, actions, condition=None) -> Write:
    return Write("update", item, condition, tuple(actions))


def check(item: Model, condition) -> Write:  # e.g. a rate window not full, an item that must exist
    return Write("check", item, condition)


@dataclass(frozen=True)
class Movement:
    user_id: str
    entry_id: str
    amount: int  # signed coins
    kind: str  # settlement | order | refund | adjustment | expiry | forfeit | phcer_feedback
    ref: str | None = None
    detail: dict | None = None
    totals: dict = field(default_factory=dict)  # increments of TOTALS fields on the account
    rollups: dict = field(default_factory=dict)  # increments of year roll-ups on the account (models.accounts)
    cause: tuple[Write, ...] = ()  # the cause's writes, in the same transaction
    legs: dict | None = None  # platform account -> coins, summing to -amount (default: the kind's account)


@dataclass(frozen=True)
class Posted:
    entry: LedgerEntry  # replayed: the entry the first post wrote
    balance_after: int
    replayed: bool  # True: this cause was already posted; nothing was written now


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
    for attempt in range(MAX_ATTEMPTS):
        if account is UNREAD:
            account = read_account(m.user_id)
        try:
            return post_once(m, account)
        except AccountMoved as moved:
            account = moved.account
            pause(attempt)
    raise LedgerContention()


def post_once(m: Movement, account: Account | None) -> Posted:
    """One transaction: the entry, the account change from `account` as read, the cause's writes. Raises
    AccountMoved (nothing written; retry from its account), CauseConditionFailed, InsufficientCoins."""
    unknown = set(m.totals) - set(TOTALS) | {k for k in m.rollups if not models.accounts.ROLLUP.fullmatch(k)}
    if unknown:
        raise ValueError(f"unknown account totals: {unknown}")
    # Double entry: the platform side of this movement (a credit to a closed account is forfeited).
    amount, legs = double_entry.on_account(m.kind, m.amount, m.legs, bool(account and account.closed_at))
    if amount != m.amount:
        m = replace(m, amount=amount, totals={}, rollups={}, detail={**(m.detail or {}), "forfeited": m.amount})
    after = (int(account.balance) if account else 0) + m.amount
    if after < 0:
        raise InsufficientCoins()
    created_at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    entry = LedgerEntry(m.user_id, m.entry_id, seq=f"{created_at}#{m.entry_id}", kind=m.kind, amount=m.amount,
                        balance_after=after, ref=m.ref, detail=m.detail, created_at=created_at, legs=legs)
    try:
        with TransactWrite(connection=models.connection()) as tx:
            # attribute_not_exists: a cause is posted at most once, whatever retries or re-runs happen.
            tx.save(entry, condition=LedgerEntry.entry_id.does_not_exist())
            platform.add_legs(tx, m.user_id, legs, created_at)
            written.add(tx, entry)  # the transparency log's order and copy
            _account_change(tx, account, m, after)
            for w in m.cause:
                _add(tx, w)
    except TransactWriteError as e:
        if e.cause_response_code != "TransactionCanceledException":
            raise
        existing = find_entry(m.user_id, m.entry_id)
        if existing is not None:
            return Posted(existing, int(existing.balance_after), replayed=True)
        current = read_account(m.user_id)  # an item held by another transaction, or capacity exceeded: retry
        if any(r is not None and r.code in RETRYABLE for r in e.cancellation_reasons) or \
                int(getattr(current, "version", -1)) != int(getattr(account, "version", -1)):  # -1: no account yet
            raise AccountMoved(current) from None
        raise CauseConditionFailed() from e
    return Posted(entry, after, replayed=False)


def pause(attempt: int) -> None:  # a short random wait before a retry, so racing writers spread out
    time.sleep(random.uniform(0, 0.005 * (attempt + 1)))


def _account_change(tx: TransactWrite, account: Account | None, m: Movement, after: int) -> None:
    now = datetime.now(timezone.utc)
    if account is None:  # only the first movement creates the account; a racing creator makes this one retry
        fresh = Account(m.user_id, balance=after, version=1, updated_at=now, **{k: int(m.totals.get(k, 0)) for k in TOTALS})
        tx.save(fresh.with_rollups(m.rollups), condition=Account.user_id.does_not_exist())
        return
    actions = [Account.balance.set(after), Account.version.set(int(account.version) + 1), Account.updated_at.set(now)]
    actions += [getattr(Account, k).add(int(v)) for k, v in m.totals.items() if v]
    actions += [models.accounts.rollup_add(k, int(v)) for k, v in m.rollups.items() if v]  # ADD: made the first time
    # version ==: the balance we computed `after` from is still the balance; else re-read and retry.
    tx.update(Account(m.user_id), actions=actions, condition=Account.version == int(account.version))


def _add(tx: TransactWrite, w: Write) -> None:
    if w.op == "put":
        tx.save(w.item, condition=w.condition)
    elif w.op == "update":
        tx.update(w.item, actions=list(w.actions), condition=w.condition)
    elif w.op == "check":
        range_key = getattr(w.item, w.item._range_keyname) if w.item._range_keyname else None
        tx.condition_check(type(w.item), getattr(w.item, w.item._hash_keyname), range_key, condition=w.condition)
    else:
        raise ValueError(f"unknown write {w.op!r}")
