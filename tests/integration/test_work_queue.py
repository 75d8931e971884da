"""The work queue: the dispatcher puts a date's settlement units on SQS (moto), a pool
drains it as the worker's event source mapping would, a unit that keeps failing ends in
the dead-letter queue, and a unit delivered twice credits nothing twice."""

import json

from functions import settle_daily, work_queue, work_unit
from gateways import aws_client
from models import Account
from models.settlement import SettlementRun
from tests.support.behaviours import add_behaviour

D = "2026-11-23"


def _queue(aws):
    sqs = aws_client("sqs", aws)
    work_queue.ensure_queues(aws, sqs)
    return sqs


def test_dispatch__every_unit_on_the_queue__drained_by_a_pool__date_summarised(endpoint_aws):
    # Three units at once: on the serialised endpoint, as in-process moto is not safe under
    # concurrent requests (it failed a unit about one run in ten).
    aws = endpoint_aws
    sqs = _queue(aws)
    for n in range(12):
        add_behaviour(aws, f"u{n}", D, "metro", 1, f"t{n}")
    assert settle_daily.dispatch(aws, sqs, D) == {"date": D, "dispatched": aws.settle_shards}
    drained = work_queue.drain(aws, sqs, work_unit.run_unit, workers=3)
    assert drained == {"done": aws.settle_shards, "failed": 0}
    runs = {int(r.shard): r for r in SettlementRun.query(D)}
    assert runs[-1].status == "done" and int(runs[-1].totals["credited"]) == 12
    assert all(runs[s].status == "done" for s in range(aws.settle_shards))
    assert sum(int(Account.get(f"u{n}").balance) for n in range(12)) == 12 * 51


def test_unit_delivered_twice__credits_once(endpoint_aws):
    aws = endpoint_aws  # both copies may run at once: the serialised endpoint
    sqs = _queue(aws)
    add_behaviour(aws, "u1", D, "metro", 1, "t1")
    from models.behaviours import shard_of

    unit = {"job": "settle", "date": D, "unit": shard_of("u1", aws.settle_shards)}
    work_queue.put(aws, sqs, [unit, unit])
    # Both copies may run at once: one may lose the race on the account and go back on the queue.
    assert work_queue.drain(aws, sqs, work_unit.run_unit, workers=2, visibility=0)["done"] == 2
    assert int(Account.get("u1").balance) == 51


def test_unit_that_keeps_failing__ends_in_the_dead_letter_queue(aws):
    sqs = _queue(aws)
    work_queue.put(aws, sqs, [{"job": "no_such_job"}])
    drained = work_queue.drain(aws, sqs, work_unit.run_unit, visibility=0)
    assert drained["done"] == 0 and drained["failed"] == work_queue.MAX_RECEIVES
    dlq = sqs.get_queue_url(QueueName=aws.work_queue + "-dlq")["QueueUrl"]
    dead = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"]) for m in dead] == [{"job": "no_such_job"}]
