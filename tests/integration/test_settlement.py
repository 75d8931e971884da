import threading

import pytest
from pynamodb.exceptions import TransactWriteError

from core.books import checks, ledger
from core.carbon import settlement_batches, settlement_runs
from models import Account
from tests.support.behaviours import add_behaviour
from tests.support.faults import fail_write

D = "2026-11-23"


def settle_all(s, date=D):
    return settlement_runs.run_date(s, date, workers=2)


def balances(users):
    return {u: int(Account.get(u).balance) if Account.count(u) else 0 for u in users}


def test_settle__metro_and_bus__one_credit_with_provenance(aws):
    add_behaviour(aws, "u1", D, "metro", 1, "t1", "08:00")
    add_behaviour(aws, "u1", D, "bus", 1, "t2", "09:00")
    summary = settle_all(aws)
    assert summary["credited"] == 1 and summary["coins"] == 72 and summary["grams"] == 727
    entry = ledger.find_entry("u1", f"settle#{D}")
    assert entry.amount == 72 and entry.kind == "settlement"
    assert {
        s["scenario"]: (s["grams"], s["count"], s["version"]) for s in entry.detail["scenarios"]
    } == {"metro": (515, 1, "1"), "bus": (212, 1, "1")}
    acc = Account.get("u1")
    assert (acc.balance, acc.grams_total, acc.coins_from_grams) == (72, 727, 72)


def test_settle__rerun__credits_nothing_twice(aws):
    add_behaviour(aws, "u1", D, "metro", 1, "t1")
    settle_all(aws)
    again = settle_all(aws)
    assert again["credited"] == 0 and Account.get("u1").balance == 51


def test_settle__carry_over__remainders_become_coins_later(aws):
    add_behaviour(aws, "u1", D, "metro", 1, "t1")  # 515 g -> 51 coins, 5 g carried
    add_behaviour(aws, "u1", "2026-11-24", "walk", 12000, "2026-11-24", source="werun")  # 240 g
    settle_all(aws)
    settle_all(aws, "2026-11-24")
    acc = Account.get("u1")
    assert (acc.grams_total, acc.balance) == (755, 75)  # floor(755/10), not 51 + 24


def test_settle__late_data__only_the_difference(aws):
    add_behaviour(aws, "u1", D, "metro", 1, "t1", "08:00")
    settle_all(aws)
    add_behaviour(aws, "u1", D, "bus", 1, "t2", "18:00")
    late = settle_all(aws)
    assert late["credited"] == 1 and late["grams"] == 212
    assert ledger.find_entry("u1", f"settle#{D}#2").amount == 21  # floor(727/10) - 51
    assert Account.get("u1").balance == 72 and checks.check_account("u1") == []


def test_settle__zero_coin_day__grams_still_recorded(aws):
    add_behaviour(aws, "u1", D, "e_ticket", 1, "x1", source="partner:p")  # 5 g
    settle_all(aws)
    entry = ledger.find_entry("u1", f"settle#{D}")
    assert entry.amount == 0 and entry.detail["grams"] == 5 and Account.get("u1").grams_total == 5


@pytest.mark.parametrize("k", [1, 2, 4])
def test_settle__crash_after_k_credits_then_rerun__same_as_clean_run(endpoint_aws, k):
    """The endpoint refuses the (k+1)-th write (a credit's transaction, SDK retries included):
    the run stops half-way as a crashed Lambda would; a re-run credits exactly the rest."""
    from core import settings as settings_mod

    # One shard: the crash lands mid-unit; one transaction at a time: exactly k come before it.
    s = settings_mod.use(endpoint_aws.with_(settle_shards=1, settle_in_flight=1))
    users = _six_users_of_72_coins(s)
    fail_write(s, k + 1)  # settle_shard's writes are its credits, one transaction each
    with pytest.raises(TransactWriteError) as e:
        settlement_batches.settle_shard(s, D, 0)
    assert e.value.cause_response_code == "InternalServerError"
    assert sum(balances(users).values()) == 72 * k  # k users credited before the crash
    settle_all(s)
    assert balances(users) == {u: 72 for u in users}
    assert checks.check_all() == []


def test_settle__write_refused_with_credits_in_flight__they_commit_and_count__rerun_exact(
    endpoint_aws,
):
    """Eight transactions in flight, the third write refused: no new transaction starts, those
    in flight commit and are counted in the run record; the re-run credits exactly the rest,
    and the all-runs totals equal one clean run's."""
    from core import settings as settings_mod
    from models.settlement import SettlementRun

    s = settings_mod.use(endpoint_aws.with_(settle_shards=1, settle_in_flight=8))
    users = _six_users_of_72_coins(s)
    run_record_writes = 1  # run_shard marks the run "running" first
    fail_write(s, run_record_writes + 3)
    with pytest.raises(TransactWriteError):
        settlement_runs.run_shard(s, D, 0)
    credited = [u for u, coins in balances(users).items() if coins == 72]
    assert 2 <= len(credited) <= 5  # the two before the refused one, and any in flight beside it
    run = SettlementRun.get(D, 0)
    # What committed is counted, exactly; the position did not move: the batch is settled again.
    assert (run.status, int(run.credited_total), int(run.coins_total), run.position) == (
        "failed",
        len(credited),
        72 * len(credited),
        None,
    )
    assert settlement_runs.run_shard(s, D, 0)["credited"] == 6 - len(credited)
    run.refresh()
    assert (int(run.credited_total), int(run.coins_total)) == (6, 432)
    assert balances(users) == {u: 72 for u in users} and checks.check_all() == []


def test_settle__credit_committed_but_answer_lost__credited_once(endpoint_aws):
    from core import settings as settings_mod

    s = settings_mod.use(endpoint_aws.with_(settle_shards=1))
    users = _six_users_of_72_coins(s)
    fail_write(s, 3, after_applying=True)  # the third credit commits, then its answer is a 500
    settlement_batches.settle_shard(
        s, D, 0
    )  # the SDK's retry finds the entry: replayed, not written twice
    assert settle_all(s)["credited"] == 0
    assert balances(users) == {u: 72 for u in users}
    assert checks.check_all() == []


def _six_users_of_72_coins(s):
    users = [f"u{i}" for i in range(6)]
    for i, u in enumerate(users):
        add_behaviour(s, u, D, "metro", 1, f"t{i}")
        add_behaviour(s, u, D, "bus", 1, f"b{i}", "10:00")
    return users


def test_settle__two_runs_at_once__same_as_one(endpoint_aws):
    users = [f"u{i}" for i in range(10)]
    for i, u in enumerate(users):
        add_behaviour(endpoint_aws, u, D, "metro", 1, f"t{i}")
    threads = [threading.Thread(target=settle_all, args=(endpoint_aws,)) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert balances(users) == {u: 51 for u in users}
    assert checks.check_all() == []
    # The run records' all-runs totals count each credit once, whichever run made it, and a
    # repeated run adds nothing.
    again = settle_all(endpoint_aws)
    assert (again["credited"], again["credited_total"], again["coins_total"]) == (0, 10, 510)


def test_settle__date_summary_record_and_log(aws, capsys):
    import json

    add_behaviour(aws, "u1", D, "metro", 1, "t1")
    settle_all(aws)
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    shard_lines = [x for x in lines if x["event"] == "settle_shard"]
    date_lines = [x for x in lines if x["event"] == "settle_date"]
    assert len(shard_lines) == aws.settle_shards and len(date_lines) == 1
    assert date_lines[0]["coins"] == 51 and date_lines[0]["status"] == "done"
