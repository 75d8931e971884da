"""The ledger: every coin movement, exactly once.

Invariants (what every caller may rely on, and every test checks):
- An account's balance equals the sum of the amounts of its ledger entries.
- A balance never goes negative.
- An entry id is written at most once: entries are put with attribute_not_exists,
  and ids are deterministic per cause (settle#DATE, order#ID, refund#ID), so a
  replayed cause writes nothing and reports the first result.
- The entry and the account change commit in one DynamoDB transaction, guarded by
  the account's version: of two concurrent movements one commits and the other
  re-reads and retries, so no update is lost and balance_after is exact.
Callers add their own actions (an order, a stock decrement) to the same
transaction through `extra`, so a coin never moves without its cause.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core.errors import Conflict
from models import Account, LedgerEntry

TOTALS = ("earned_total", "spent_total", "grams_total", "coins_from_grams")


class InsufficientCoins(Conflict):
    code = "insufficient_coins"
    message = "Not enough carbon coins."
    message_zh = "碳币余额不足。"


class CauseConditionFailed(Exception):
    """The caller's own actions in the transaction failed their conditions (stock, limits, status).
    The caller re-reads its state to say which rule broke (cancellation reasons are not in call order)."""


class LedgerContention(Conflict):
    code = "conflict"
    message = "The account is busy. Please try again."
    message_zh = "账户正忙，请稍后重试。"


@dataclass(frozen=True)
class Movement:
    user_id: str
    entry_id: str
    amount: int  # signed coins
    kind: str  # settlement | order | refund | adjustment | expiry
    ref: str | None = None
    detail: dict | None = None
    totals: dict = field(default_factory=dict)  # increments of TOTALS fields on the account


@dataclass(frozen=True)
class Posted:
    entry: LedgerEntry
    replayed: bool  # True: this cause was already posted; nothing was written now


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def read_account(user_id: str) -> Account | None:
    try:
        return Account.get(user_id, consistent_read=True)
    except Account.DoesNotExist:
        return None


def add_movement(tx: TransactWrite, account: Account | None, m: Movement, created_at: str) -> LedgerEntry:
    """Add the entry and the account change to `tx`; raise InsufficientCoins before writing anything."""
    unknown = set(m.totals) - set(TOTALS)
    if unknown:
        raise ValueError(f"unknown account totals: {unknown}")
    balance = int(account.balance) if account else 0
    after = balance + m.amount
    if after < 0:
        raise InsufficientCoins()
    entry = LedgerEntry(m.user_id, m.entry_id, seq=f"{created_at}#{m.entry_id}", kind=m.kind, amount=m.amount,
                        balance_after=after, ref=m.ref, detail=m.detail, created_at=created_at)
    # attribute_not_exists: a cause is posted at most once, whatever retries or re-runs happen.
    tx.save(entry, condition=LedgerEntry.entry_id.does_not_exist())
    if account is None:
        fresh = Account(m.user_id, balance=after, version=1, updated_at=datetime.now(timezone.utc),
                        **{k: int(m.totals.get(k, 0)) for k in TOTALS})
        # Only the first movement creates the account; a racing creator makes this one retry.
        tx.save(fresh, condition=Account.user_id.does_not_exist())
    else:
        actions = [Account.balance.set(after), Account.version.set(int(account.version) + 1),
                   Account.updated_at.set(datetime.now(timezone.utc))]
        actions += [getattr(Account, k).add(int(v)) for k, v in m.totals.items() if v]
        # version ==: the balance we computed `after` from is still the balance; else re-read and retry.
        tx.update(Account(m.user_id), actions=actions, condition=Account.version == int(account.version))
    return entry


def find_entry(user_id: str, entry_id: str) -> LedgerEntry | None:
    try:
        return LedgerEntry.get(user_id, entry_id, consistent_read=True)
    except LedgerEntry.DoesNotExist:
        return None


UNREAD = object()  # post(account=UNREAD): the caller has not read the account


def post(movement, extra=None, account=UNREAD, max_attempts: int = 12, user_id: str | None = None) -> Posted:
    """Post one movement (and the caller's `extra(tx)` actions) in one transaction.

    `movement` is a Movement, or a function account -> Movement when the amount depends on
    the account (settlement's carry-over): it is recomputed from the fresh account on retry.
    `account` may be passed when the caller already read it (saves a read; None means it does
    not exist yet); on contention the account is re-read. Raises InsufficientCoins, CauseConditionFailed or LedgerContention.
    """
    have_account = account is not UNREAD
    m = movement if isinstance(movement, Movement) else None
    uid = m.user_id if m else user_id
    for attempt in range(max_attempts):
        if not have_account:
            account = read_account(uid)
        have_account = False
        m = movement if isinstance(movement, Movement) else movement(account)
        try:
            with TransactWrite(connection=models.connection()) as tx:
                entry = add_movement(tx, account, m, now_iso())
                if extra is not None:
                    extra(tx)
            return Posted(entry, replayed=False)
        except TransactWriteError as e:
            if e.cause_response_code != "TransactionCanceledException":
                raise
            existing = find_entry(m.user_id, m.entry_id)
            if existing is not None:
                return Posted(existing, replayed=True)
            current = read_account(m.user_id)
            if _version(current) != _version(account):
                account, have_account = current, True  # someone else moved coins: recompute
                time.sleep(random.uniform(0, 0.005 * (attempt + 1)))
                continue
            raise CauseConditionFailed() from e
    raise LedgerContention()


def _version(account: Account | None) -> int:
    return int(account.version) if account is not None else -1


def entries(user_id: str):
    return LedgerEntry.query(user_id, consistent_read=True)


def check_account(user_id: str) -> list[str]:
    """Problems with one account: balance != sum of entries, or a negative balance."""
    account = read_account(user_id)
    balance = int(account.balance) if account else 0
    total = sum(int(e.amount) for e in entries(user_id))
    problems = []
    if balance != total:
        problems.append(f"{user_id}: balance {balance} != sum of entries {total}")
    if balance < 0:
        problems.append(f"{user_id}: negative balance {balance}")
    return problems


def check_all() -> list[str]:
    """Every account's problems. A Scan: this is an ops check, never a request path."""
    problems = []
    seen = set()
    for account in Account.scan(consistent_read=True):
        seen.add(account.user_id)
        problems.extend(check_account(account.user_id))
    # Entries without an account would also break the invariant.
    for entry in LedgerEntry.scan(attributes_to_get=["user_id"]):
        if entry.user_id not in seen:
            seen.add(entry.user_id)
            problems.extend(check_account(entry.user_id))
    return problems
