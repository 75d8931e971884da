import threading

import pytest

from core.books import checks, ledger
from core.books.ledger import Movement


def credit(user, n, entry, **kw):
    return ledger.post(Movement(user, entry, n, "adjustment", ref="test", **kw))


def test_ledger__credit_then_debit__balance_and_entries_agree(aws):
    credit("u1", 100, "adj#1", totals={"earned_total": 100})
    p = ledger.post(Movement("u1", "order#o1", -30, "order", totals={"spent_total": 30}))
    assert p.balance_after == p.entry.balance_after == 70 and not p.replayed
    acc = ledger.read_account("u1")
    assert (acc.balance, acc.earned_total, acc.spent_total) == (70, 100, 30)
    assert checks.check_account("u1") == []


def test_ledger__same_entry_twice__replayed_not_written(aws):
    credit("u1", 50, "settle#2026-11-23")
    again = credit("u1", 50, "settle#2026-11-23")
    assert again.replayed and ledger.read_account("u1").balance == 50


def test_ledger__debit_more_than_balance__insufficient_and_nothing_written(aws):
    credit("u1", 10, "adj#1")
    with pytest.raises(ledger.InsufficientCoins):
        ledger.post(Movement("u1", "order#o1", -11, "order"))
    assert ledger.read_account("u1").balance == 10 and ledger.find_entry("u1", "order#o1") is None


def test_ledger__extra_action_condition_fails__cause_error_and_nothing_written(aws):
    from models import Account

    credit("u1", 10, "adj#1")

    impossible = ledger.check(
        Account("nobody"), Account.user_id.exists()
    )  # a cause that cannot hold
    with pytest.raises(ledger.CauseConditionFailed):
        ledger.post(Movement("u1", "order#o1", -5, "order", cause=(impossible,)))
    assert ledger.read_account("u1").balance == 10 and ledger.find_entry("u1", "order#o1") is None


def test_ledger__concurrent_credits__none_lost(endpoint_aws):
    errors = []

    def worker(i):
        try:
            credit("u1", 1, f"adj#{i}")
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors
    assert ledger.read_account("u1").balance == 8 and checks.check_account("u1") == []


def test_ledger_check__tampered_balance__reported(aws):
    from models import Account

    credit("u1", 10, "adj#1")
    Account("u1").update(actions=[Account.balance.set(11)])
    assert checks.check_all() == ["u1: balance 11 != sum of entries 10"]


@pytest.mark.parametrize(
    "reason", ["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"]
)
def test_ledger__transaction_conflict__retried_not_taken_for_a_broken_cause(
    aws, monkeypatch, reason
):
    """DynamoDB cancels a transaction that touches an item another transaction holds (reason
    TransactionConflict), or that exceeds a provisioned table's capacity (moto does neither): the
    movement is posted again, not refused."""
    from pynamodb.connection import Connection
    from pynamodb.exceptions import CancellationReason, TransactWriteError, VerboseClientError

    real, calls = Connection.transact_write_items, []

    def conflicted_once(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            cause = VerboseClientError(
                {"Error": {"Code": "TransactionCanceledException", "Message": "conflict"}},
                "TransactWriteItems",
                cancellation_reasons=[None, CancellationReason(code=reason)],
            )
            raise TransactWriteError("Failed to write transaction items", cause=cause)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "transact_write_items", conflicted_once)
    credit("u1", 5, "adj#1")
    assert (
        len(calls) == 2
        and ledger.read_account("u1").balance == 5
        and checks.check_account("u1") == []
    )


def test_post_once__stale_account__moved_with_the_fresh_account_from_the_cancellation(aws):
    credit("u1", 10, "adj#1")
    stale = ledger.read_account("u1")
    credit("u1", 5, "adj#2")  # another movement commits first
    with pytest.raises(ledger.AccountMoved) as moved:
        ledger.post_once(Movement("u1", "adj#3", 1, "adjustment"), stale)
    assert (moved.value.account.balance, moved.value.account.version) == (15, stale.version + 1)
    assert ledger.find_entry("u1", "adj#3") is None


def test_post_once__entry_there__replayed_with_the_first_entry(aws):
    first = credit("u1", 10, "adj#1")
    again = ledger.post_once(Movement("u1", "adj#1", 99, "adjustment"), ledger.read_account("u1"))
    assert (
        again.replayed
        and again.entry.amount == 10
        and again.entry.created_at == first.entry.created_at
    )


def test_post_once__failed_cause_named_by_its_index_with_its_item_now(aws):
    from models import Account

    credit("u1", 10, "adj#1")
    credit("u2", 3, "adj#1")
    credit("u3", 4, "adj#1")
    fine = ledger.check(Account("u2"), Account.user_id.exists())
    broken = ledger.update(Account("u3"), [Account.balance.add(0)], Account.balance > 100)
    with pytest.raises(ledger.CauseConditionFailed) as failed:
        ledger.post_once(
            Movement("u1", "order#o1", -5, "order", cause=(fine, broken)), ledger.read_account("u1")
        )
    assert list(failed.value.failed) == [1] and failed.value.failed[1]["balance"] == {"N": "4"}
