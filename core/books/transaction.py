"""One TransactWriteItems whose cancellation reasons name our own writes.

Invariants:
- DynamoDB lists a cancelled transaction's reasons one per item, in the order the items were sent.
  PynamoDB does not send them in the order they were added: it groups them by kind (condition
  checks, then deletes, then puts, then updates), each group in call order
  (pynamodb.connection.base.Connection.transact_write_items). `Labelled` records every write's label
  under its kind and derives the sent order the same way, so reason i names its write
  (tests/unit/test_transaction_order.py pins PynamoDB's grouping: an upgrade that changes it fails there).
- Every conditional put and update asks for ReturnValuesOnConditionCheckFailure=ALL_OLD: a failed
  condition hands back the item as it is now, so the caller needs no read to learn it.
"""

from __future__ import annotations

from pynamodb.exceptions import CancellationReason, TransactWriteError
from pynamodb.transactions import TransactWrite

SENT_ORDER = ("check", "delete", "put", "update")  # PynamoDB's grouping of a transaction's items


class Labelled:
    """A TransactWrite that remembers what each write was (a label: any hashable, None for 'no matter')."""

    def __init__(self, tx: TransactWrite):
        self.tx = tx
        self.labels: dict[str, list] = {kind: [] for kind in SENT_ORDER}

    def save(self, item, condition=None, label=None) -> None:
        self.tx.save(
            item, condition=condition, return_values="ALL_OLD" if condition is not None else None
        )
        self.labels["put"].append(label)

    def update(self, item, actions, condition=None, label=None) -> None:
        self.tx.update(
            item,
            actions=list(actions),
            condition=condition,
            return_values="ALL_OLD" if condition is not None else None,
        )
        self.labels["update"].append(label)

    def condition_check(self, model, hash_key, range_key=None, condition=None, label=None) -> None:
        self.tx.condition_check(model, hash_key, range_key, condition=condition)
        self.labels["check"].append(label)

    def sent_order(self) -> list:
        return [label for kind in SENT_ORDER for label in self.labels[kind]]

    def reasons(self, error: TransactWriteError) -> list[tuple[object, CancellationReason]]:
        """(label, reason) of each write DynamoDB gave a reason for, in the sent order."""
        return [
            (label, r)
            for label, r in zip(self.sent_order(), error.cancellation_reasons or [])
            if r is not None
        ]
