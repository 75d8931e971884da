"""A settlement unit streams its partition, checkpoints after each batch and, cut off by
the time-limit simulation (the Lambda context's remaining time), puts itself back on the
queue; the next invocation resumes after the checkpoint and the totals are exact."""

import bootstrap
from core.carbon import settlement_batches
from functions import work_queue, work_unit
from gateways import Gateways
from models import Account
from models.settlement import SettlementRun
from tests.support.behaviours import add_behaviour

D = "2026-11-23"


class Context:
    """Remaining time as Lambda reports it: plenty for the first `calls` checks, then nearly none."""

    def __init__(self, calls):
        self.calls = calls

    def get_remaining_time_in_millis(self):
        self.calls -= 1
        return 600_000 if self.calls >= 0 else 5_000


def test_unit_cut_off_by_time_limit__resumes_after_checkpoint__totals_exact(endpoint_aws):
    from core import settings as settings_mod

    s = settings_mod.use(endpoint_aws.with_(settle_shards=1, settle_in_flight=4))
    users = [f"u{i:03d}" for i in range(2 * settlement_batches.BATCH + 7)]
    for i, u in enumerate(users):
        add_behaviour(s, u, D, "metro", 1, f"t{i}")
        add_behaviour(s, u, D, "bus", 1, f"b{i}", "10:00")
    sqs = Gateways(s).sqs
    work_queue.ensure_queues(s, sqs)
    work_queue.put(s, sqs, [{"job": "settle", "date": D, "unit": 0}])
    invocations = []

    def invoke(unit):  # each invocation is cut off after its first batch
        invocations.append(work_unit.settle(bootstrap.Services(s), unit, Context(calls=0)))

    assert work_queue.drain(s, sqs, invoke, workers=1)["failed"] == 0
    assert [r["complete"] for r in invocations] == [False, False, True]
    run = SettlementRun.get(D, 0)
    assert run.status == "done" and int(run.attempts) == 3
    assert run.totals["users"] == len(users) and run.totals["behaviours"] == 2 * len(users)
    assert run.totals["credited"] == len(users) and run.totals["coins"] == 72 * len(users)
    assert {u: int(Account.get(u).balance) for u in users} == {u: 72 for u in users}
    # A repeated run is a new pass: it credits nothing, and the all-runs totals stay exact.
    again = work_unit.settle(bootstrap.Services(s), {"job": "settle", "date": D, "unit": 0}, None)
    assert again["credited"] == 0 and again["users"] == len(users)
    run.refresh()
    assert (int(run.credited_total), int(run.coins_total)) == (len(users), 72 * len(users))
