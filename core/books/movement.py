"""What the ledger moves, as values (core.books.ledger posts them; callers build them): a Movement of
coins with its cause's writes (put, update, check), what posting it answered (Posted), and the ways a
post can fail (InsufficientCoins, CauseConditionFailed, AccountMoved, Throttled, LedgerContention).

Invariants: values only, no I/O; a Write is built from an item's key (and, for a put, the whole
item) and is written only inside the movement's own transaction, so a coin never moves without its cause.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pynamodb.models import Model

from core.errors import Conflict
from models import Account, LedgerEntry

TOTALS = ("earned_total", "spent_total", "grams_total", "coins_from_grams", "carry_grams")
THROTTLING = ("ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded")
ENTRY, ACCOUNT = (
    "entry",
    "account",
)  # labels of the movement's own writes; a cause's writes are labelled 0, 1, ...


class InsufficientCoins(Conflict):
    code = "insufficient_coins"
    message = "Not enough carbon coins."
    message_zh = "碳币余额不足。"


class CauseConditionFailed(Exception):
    """Writes of the cause failed their conditions (stock, limits, status): nothing was written.
    `failed` maps the index of each failed write in `Movement.cause` to its item as it is now
    (the raw item DynamoDB returned with the reason; None for a missing item or a condition check)."""

    def __init__(self, failed: dict[int, dict | None]):
        super().__init__(f"cause conditions failed: {sorted(failed)}")
        self.failed = failed


class AccountMoved(Exception):
    """The account changed since it was read (another movement committed first): nothing was written;
    `account` is the account as it is now, to recompute from and try again."""

    def __init__(self, account: Account | None):
        super().__init__("account moved")
        self.account = account


class Throttled(AccountMoved):
    """DynamoDB refused the transaction for capacity: nothing was written; try again later from `account`."""


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
    rollups: dict = field(
        default_factory=dict
    )  # increments of roll-ups on the account (models.accounts); None removes
    cause: tuple[Write, ...] = ()  # the cause's writes, in the same transaction
    legs: dict | None = (
        None  # platform account -> coins, summing to -amount (default: the kind's account)
    )


@dataclass(frozen=True)
class Posted:
    entry: LedgerEntry  # replayed: the entry the first post wrote
    balance_after: int
    replayed: bool  # True: this cause was already posted; nothing was written now
