"""Faults the local AWS endpoint injects on purpose, so tests crash a run from outside
(STYLE.md habit 11: production code carries no test-only switches).

`fail_write(k)`: the k-th DynamoDB write from now (PutItem, UpdateItem, DeleteItem,
BatchWriteItem, TransactWriteItems) is refused with DynamoDB's own 500 InternalServerError on
every attempt: the SDK's retries of that call (one `amz-sdk-invocation-id`) are refused too,
so the caller sees the error, as a settlement Lambda does when a write keeps failing and the
run stops half-way. Writes after it pass again.
`fail_write(k, after_applying=True)`: the k-th write is applied, then answered 500 (the commit
happened but the answer was lost); the SDK's retry of it reaches the tables as usual.
Reads are never failed: a crash is about what got written.
"""

from __future__ import annotations

import json
import threading
import uuid

WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})
ERROR_BODY = json.dumps(
    {
        "__type": "com.amazonaws.dynamodb.v20120810#InternalServerError",
        "message": "Internal server error (injected by the local endpoint)",
    }
).encode()


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._countdown = 0  # writes still to pass before the armed one; 0: nothing armed
        self._after_applying = False
        self._failing: set[str] = set()  # invocation ids refused on every attempt
        self.failed = 0  # writes refused so far (attempts counted once per call)

    def fail_write(self, k: int = 1, after_applying: bool = False) -> None:
        if k < 1:
            raise ValueError("k counts from 1: the next write is k=1")
        with self._lock:
            self._countdown, self._after_applying = k, after_applying

    def clear(self) -> None:
        with self._lock:
            self._countdown, self._failing = 0, set()

    def state(self) -> dict:
        with self._lock:
            return {
                "armed_in": self._countdown,
                "after_applying": self._after_applying,
                "failed": self.failed,
            }

    def decide(self, operation: str, invocation_id: str | None) -> str:
        """'pass', 'refuse' (answer 500 without applying) or 'apply_then_refuse' for one request."""
        if operation not in WRITES:
            return "pass"
        with self._lock:
            if invocation_id and invocation_id in self._failing:
                return "refuse"  # a retry of the call we are failing
            if self._countdown == 0:
                return "pass"
            self._countdown -= 1
            if self._countdown:
                return "pass"
            self.failed += 1
            if self._after_applying:
                return "apply_then_refuse"
            self._failing.add(invocation_id or uuid.uuid4().hex)
            return "refuse"

    def control(self, method: str, body: bytes) -> dict:
        """The HTTP control route /_endpoint/faults: POST {"fail_write": k, "after_applying": bool}
        arms a fault, DELETE clears, GET reports."""
        if method == "POST":
            ask = json.loads(body or b"{}")
            self.fail_write(int(ask.get("fail_write", 1)), bool(ask.get("after_applying", False)))
        elif method == "DELETE":
            self.clear()
        return self.state()


def error_response(start_response) -> list[bytes]:
    start_response(
        "500 Internal Server Error",
        [
            ("Content-Type", "application/x-amz-json-1.0"),
            ("Content-Length", str(len(ERROR_BODY))),
            ("x-amzn-RequestId", uuid.uuid4().hex),
        ],
    )
    return [ERROR_BODY]
