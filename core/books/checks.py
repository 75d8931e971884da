"""Checking the books: every balance equals the sum of its ledger entries and is not negative.

Scans: an ops check (`tanpuhui ledger check`) and the tests' invariant, never a request path.
"""

from __future__ import annotations

from core.books.ledger import read_account
from models import Account, LedgerEntry


def entries(user_id: str):
    return LedgerEntry.query(user_id, consistent_read=True)


def check_account(user_id: str) -> list[str]:
    """Problems with one account: balance != sum of entries, or a negative balance."""
    account = read_account(user_id)
    balance = int(account.balance) if account else 0
    total = sum(int(e.amount) for e in entries(user_id))
    problems = (
        [f"{user_id}: balance {balance} != sum of entries {total}"] if balance != total else []
    )
    return problems + ([f"{user_id}: negative balance {balance}"] if balance < 0 else [])


def check_all() -> list[str]:
    """Every account's problems, and entries without an account. A Scan: an ops check, never a request path."""
    problems, seen = [], set()
    for account in Account.scan(consistent_read=True):
        seen.add(account.user_id)
        problems.extend(check_account(account.user_id))
    for entry in LedgerEntry.scan(attributes_to_get=["user_id"]):
        if entry.user_id not in seen:
            seen.add(entry.user_id)
            problems.extend(check_account(entry.user_id))
    return problems
