"""The queue of work units: the dispatcher puts units on it, the worker takes them.

In AWS the worker function consumes it through Lambda's event source mapping (bounded
concurrency, retries, the dead-letter queue after MAX_RECEIVES failed attempts: all SQS's
and Lambda's, nothing home-made). The local stack runs the same queue on its moto endpoint
and `drain` plays the event source mapping's part with a pool of threads.

A unit is a JSON object with a "job" (see functions.work_unit.JOBS) and its arguments.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

MAX_RECEIVES = 5  # attempts before a unit goes to the dead-letter queue
VISIBILITY_SECONDS = (
    960  # longer than the worker's 900 s limit: a running unit is not handed out twice
)


def ensure_queues(settings, sqs) -> str:
    """Create the queue and its dead-letter queue if absent (local stack; AWS has the template's)."""
    dlq = sqs.create_queue(QueueName=settings.work_queue + "-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(MAX_RECEIVES)})
    return sqs.create_queue(
        QueueName=settings.work_queue,
        Attributes={"VisibilityTimeout": str(VISIBILITY_SECONDS), "RedrivePolicy": redrive},
    )["QueueUrl"]


def queue_url(settings, sqs) -> str:
    return sqs.get_queue_url(QueueName=settings.work_queue)["QueueUrl"]


def put(settings, sqs, units: list[dict]) -> int:
    """Put the units on the queue, ten a request (SQS's batch limit); returns how many."""
    url, sent = queue_url(settings, sqs), 0
    for i in range(0, len(units), 10):
        batch = [
            {"Id": str(n), "MessageBody": json.dumps(u, sort_keys=True)}
            for n, u in enumerate(units[i : i + 10])
        ]
        r = sqs.send_message_batch(QueueUrl=url, Entries=batch)
        if r.get("Failed"):
            raise RuntimeError(
                f"SQS refused {len(r['Failed'])} work unit(s): {r['Failed'][0].get('Code')}"
            )
        sent += len(batch)
    return sent


def drain(settings, sqs, run, workers: int = 4, visibility: int = 30) -> dict:
    """Local stand-in for the event source mapping: take units until the queue is empty,
    `run(unit)` each in a pool; a unit whose run raises stays on the queue and comes back
    after `visibility` seconds (the dead-letter queue takes it after MAX_RECEIVES)."""
    url = queue_url(settings, sqs)
    done = failed = 0

    def one(message):
        try:
            run(json.loads(message["Body"]))
        except Exception:
            return False
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return True

    with ThreadPoolExecutor(workers) as pool:
        while True:
            messages = sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=visibility
            ).get("Messages", [])
            if not messages:
                break
            for ok in pool.map(one, messages):
                done, failed = done + ok, failed + (not ok)
    return {"done": done, "failed": failed}
