"""`make run` stopped or killed under load keeps a consistent state: citizens order, cancel and
redeem over HTTP while the stack gets SIGTERM (it drains, then snapshots) or SIGKILL (after a
periodic snapshot); restarted on the saved state, `tanpuhui ledger check` passes, no stock is off,
each product's stock is its seeded stock less what its live orders hold, and nothing a client was
told succeeded before the snapshot is missing."""

import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest

from tests.support.concurrency import http
from tests.support.invariants import data_problems, log_problems
from tests.support.stack import SAVING, restart_stack, start_stack, stop_stack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("restart")]

# Demo products of one shop (infra/seeds/mall.json): 20 coins, 5 per citizen; its seeded staff key.
PRODUCTS = {"p_002": 800, "p_031": 500}
STAFF = {"Authorization": "Bearer mk_demo_m_demo_02_local"}
CITIZENS = 6
HOLDING = (
    "pending_payment",
    "issued",
    "redeemed",
)  # cancelled and expired orders gave their stock back


def citizens(stack) -> list[dict]:
    """Signed-in citizens with 1,000 coins each (an ops adjustment, as ops would type it)."""
    tanpuhui = os.path.join(os.path.dirname(sys.executable), "tanpuhui")
    people = []
    for _ in range(CITIZENS):
        login = http(
            "POST",
            stack.api + "/api/v1/auth/login",
            {"code": f"test-restart{uuid.uuid4().hex[:10]}"},
        )
        assert login.status == 200, login.body
        user_id = login.body["user"]["id"]
        r = subprocess.run(
            [tanpuhui, "adjust", user_id, "1000", "--reason", "restart test", "--by", "ops-test"],
            env=stack.tool_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 0, r.stderr[-2000:]
        people.append({"id": user_id, "auth": {"Authorization": f"Bearer {login.body['token']}"}})
    return people


class Load:
    """One thread per citizen: order, then cancel (mostly) or redeem at the counter, until stopped
    or the stack stops answering. `done` records what the API said succeeded, with when."""

    def __init__(self, stack, people):
        self.stack, self.people = stack, people
        self.stop = threading.Event()
        self.done: list[
            tuple[float, str, str]
        ] = []  # (time acknowledged, order id, placed|cancelled|redeemed)
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._citizen, args=(p, random.Random(i)), daemon=True)
            for i, p in enumerate(people)
        ]

    def start(self) -> "Load":
        for t in self.threads:
            t.start()
        return self

    def join(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(60)

    def _ack(self, order_id: str, what: str) -> None:
        with self.lock:
            self.done.append((time.time(), order_id, what))

    def _citizen(self, person, rng):
        api, redeemed = self.stack.api, 0
        while not self.stop.is_set():
            try:
                order = http(
                    "POST",
                    api + "/api/v1/orders",
                    {"product_id": rng.choice(list(PRODUCTS)), "quantity": 1},
                    headers={**person["auth"], "Idempotency-Key": uuid.uuid4().hex},
                    timeout=30,
                )
                if order.status != 201:  # a limit reached, a 503 while stopping: not an effect
                    time.sleep(0.05)
                    continue
                self._ack(order.body["id"], "placed")
                if redeemed < 4 and rng.random() < 0.3:
                    r = http(
                        "POST",
                        api + "/merchant/v1/redemptions",
                        {"code": order.body["code"]},
                        headers=STAFF,
                        timeout=30,
                    )
                    if r.status == 200:
                        redeemed += 1
                        self._ack(order.body["id"], "redeemed")
                else:
                    r = http(
                        "POST",
                        api + f"/api/v1/orders/{order.body['id']}/cancel",
                        headers=person["auth"],
                        timeout=30,
                    )
                    if r.status == 200:
                        self._ack(order.body["id"], "cancelled")
            except OSError:  # the stack stopped: refused, reset, or 503 while it drains
                if self.stack.proc.poll() is not None:
                    return
                time.sleep(0.05)

    def acknowledged(self, before: float = float("inf")) -> dict[str, str]:
        """Each order's last acknowledged state among what was acknowledged before `before`."""
        last = {}
        for at, order_id, what in sorted(self.done):
            if at < before:
                last[order_id] = what
        return last


def orders_and_stock(stack) -> tuple[dict, dict]:
    from gateways import aws_client

    ddb, s = aws_client("dynamodb", stack.settings()), stack.settings()
    orders, stock = {}, {}
    for page in ddb.get_paginator("scan").paginate(
        TableName=s.table_name("orders"), ConsistentRead=True
    ):
        for item in page["Items"]:
            orders[item["order_id"]["S"]] = (
                item["product_id"]["S"],
                int(item["quantity"]["N"]),
                item["status"]["S"],
            )
    for pid in PRODUCTS:
        got = ddb.get_item(
            TableName=s.table_name("products"), Key={"product_id": {"S": pid}}, ConsistentRead=True
        )
        stock[pid] = int(got["Item"]["stock"]["N"])
    return orders, stock


def check_restored(stack, load: Load, before: float) -> dict:
    """The restarted stack's data: consistent, and holding every effect acknowledged before `before`."""
    problems = data_problems(stack)
    assert problems == [], problems
    orders, stock = orders_and_stock(stack)
    for pid, seeded in PRODUCTS.items():
        held = sum(q for p, q, status in orders.values() if p == pid and status in HOLDING)
        assert stock[pid] == seeded - held, (pid, stock[pid], seeded, held)
    expected = {
        "placed": HOLDING + ("cancelled",),
        "cancelled": ("cancelled",),
        "redeemed": ("redeemed",),
    }
    lost = {
        oid: (what, orders.get(oid))
        for oid, what in load.acknowledged(before).items()
        if oid not in orders or orders[oid][2] not in expected[what]
    }
    assert lost == {}, (
        f"{len(lost)} acknowledged effects missing after the restart: {list(lost.items())[:5]}"
    )
    return orders


def log_events(stack, event: str) -> list[dict]:
    import json

    return [line for line in map(json.loads, stack.log_lines()) if line.get("event") == event]


def wait_for(predicate, seconds: float, what: str):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"gave up waiting {seconds} s for {what}")


def test_stack__sigterm_under_load__drains_saves_once_and_restarts_consistent(tmp_path):
    stack = start_stack(
        str(tmp_path), {"LOGIN_LIMIT_PER_MINUTE": "100000", "LOCAL_SNAPSHOT_SECONDS": "0"}, SAVING
    )
    restarted = None
    try:
        load = Load(stack, citizens(stack)).start()
        wait_for(lambda: len(load.done) >= 60, 180, "60 acknowledged order steps")
        stack.proc.send_signal(signal.SIGTERM)  # requests are in flight right now
        assert stack.proc.wait(120) == 0
        load.join()
        saved = log_events(stack, "local_stack_saved")
        assert [s["reason"] for s in saved] == ["stop"], saved
        restarted = restart_stack(stack, str(tmp_path), "after_sigterm")
        # Drained before the snapshot: every effect the API acknowledged at all is in the saved state.
        orders = check_restored(restarted, load, float("inf"))
        assert len(orders) >= len(load.acknowledged())
        assert log_problems(stack) == [] and log_problems(restarted) == []
    finally:
        for s in (stack, restarted):
            if s and s.proc.poll() is None:
                stop_stack(s)


def test_stack__sigkill_after_periodic_snapshot__restarts_on_it_consistent(tmp_path):
    stack = start_stack(
        str(tmp_path), {"LOGIN_LIMIT_PER_MINUTE": "100000", "LOCAL_SNAPSHOT_SECONDS": "2"}, SAVING
    )
    restarted = None
    try:
        load = Load(stack, citizens(stack)).start()
        wait_for(lambda: len(load.done) >= 40, 180, "40 acknowledged order steps")
        # Everything acknowledged before `mark` is in any snapshot begun after it: snapshots run one
        # after another, so of two that ended after the mark, the second began after it.
        mark = time.time()
        wait_for(
            lambda: len([s for s in log_events(stack, "local_stack_saved") if s["ts"] > mark]) >= 2,
            60,
            "two periodic snapshots under load after the mark",
        )
        stack.proc.kill()  # kill -9 under load, maybe mid-write of the next snapshot
        stack.proc.wait(30)
        load.join()
        assert all(s["reason"] == "periodic" for s in log_events(stack, "local_stack_saved"))
        restarted = restart_stack(stack, str(tmp_path), "after_sigkill")
        assert log_events(restarted, "local_stack_started")[0]["state"] == "loaded"
        check_restored(restarted, load, mark)
        assert log_problems(restarted) == []
    finally:
        for s in (stack, restarted):
            if s and s.proc.poll() is None:
                stop_stack(s)
