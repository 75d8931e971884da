"""DynamoDB requests per endpoint, counted with botocore event hooks (before-call) on
every client the app uses, beside the minimum each endpoint needs. The app runs
in-process against the serialised local endpoint and the WeChat simulator."""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager

from bench.harness import local_endpoint
from core import settings as settings_mod

# (name, method, path, body, minimum DynamoDB requests, why that is the minimum).
# path and body may be functions of the Session (below): mutations need fresh ids each time.
ENDPOINTS = [
    (
        "POST /api/v1/auth/login (returning user)",
        "POST",
        "/api/v1/auth/login",
        lambda s: {"code": s.login_code()},
        2,
        "rate-limit counter + user update",
    ),
    ("GET /api/v1/me", "GET", "/api/v1/me", None, 1, "user and account in one TransactGet"),
    (
        "POST /api/v1/me/phone",
        "POST",
        "/api/v1/me/phone",
        {"code": "phone-13800138000"},
        1,
        "one UpdateItem",
    ),
    (
        "GET /api/v1/coins",
        "GET",
        "/api/v1/coins",
        None,
        1,
        "one BatchGetItem: user (token generation), account, today's day index (with an early run's credit)",
    ),
    ("GET /api/v1/coins/ledger", "GET", "/api/v1/coins/ledger", None, 1, "one Query"),
    (
        "GET /api/v1/reductions",
        "GET",
        "/api/v1/reductions?from=2026-11-01&to=2026-11-30",
        None,
        1,
        "one Query over settle# ids",
    ),
    ("GET /api/v1/cards", "GET", "/api/v1/cards", None, 1, "one Query (by_user)"),
    (
        "POST /api/v1/cards",
        "POST",
        "/api/v1/cards",
        lambda s: {"card_no": s.card_no()},
        1,
        "one TransactWrite (card, binding, count)",
    ),
    (
        "POST /api/v1/steps",
        "POST",
        "/api/v1/steps",
        lambda s: s.steps_body(),
        2,
        "user GetItem (session key) + one TransactWrite (the days and their day index)",
    ),
    (
        "GET /api/v1/scenarios",
        "GET",
        "/api/v1/scenarios",
        None,
        0,
        "methodologies cached per container",
    ),
    ("GET /api/v1/products", "GET", "/api/v1/products", None, 1, "one Scan page (small catalogue)"),
    (
        "GET /api/v1/products/{id}",
        "GET",
        lambda s: f"/api/v1/products/{s.shop['product_id']}",
        None,
        1,
        "one GetItem",
    ),
    (
        "POST /api/v1/orders",
        "POST",
        "/api/v1/orders",
        lambda s: {"product_id": s.shop["product_id"]},
        2,
        "one TransactGet + one TransactWrite",
    ),
    ("GET /api/v1/orders", "GET", "/api/v1/orders", None, 1, "one Query (by_user)"),
    (
        "GET /api/v1/orders/{id}",
        "GET",
        lambda s: f"/api/v1/orders/{s.order()['id']}",
        None,
        1,
        "one GetItem",
    ),
    (
        "POST /api/v1/orders/{id}/cancel",
        "POST",
        lambda s: f"/api/v1/orders/{s.order()['id']}/cancel",
        None,
        2,
        "order and account in one TransactGet + one TransactWrite",
    ),
    (
        "POST /merchant/v1/redemptions",
        "POST",
        "/merchant/v1/redemptions",
        lambda s: {"code": s.order()["code"]},
        2,
        "code GetItem + one TransactWrite (key cached)",
    ),
    (
        "GET /merchant/v1/redemptions",
        "GET",
        "/merchant/v1/redemptions?date=2026-11-23",
        None,
        1,
        "one Query (by_merchant)",
    ),
]
NOT_COVERED = "partner push and WeChat OA (signed outside protocols) are not in this list"


class Session:
    """A signed-in citizen with coins, a shop with a key, and fresh ids for mutations."""

    def __init__(self, client, settings):
        import itertools

        from tests.support.mall import give_coins, make_shop

        self.client, self.settings, self.seq = client, settings, itertools.count()
        self.token = client.post("/api/v1/auth/login", json={"code": self.login_code()}).json[
            "token"
        ]
        self.user_id = client.get("/api/v1/me", headers=self.citizen()).json["id"]
        give_coins(self.user_id, 10**6)
        self.shop = make_shop(stock=10**6, price=1, limit=10**6)

    def login_code(self) -> str:
        return f"test-bench.{next(self.seq)}"

    def citizen(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def card_no(self) -> str:
        return f"40000{next(self.seq):05d}"

    def steps_body(self) -> dict:
        import time

        from tests.integration.test_steps import encrypt

        return encrypt(
            "bench",
            {"stepInfoList": [{"timestamp": int(time.time()), "step": 9000 + next(self.seq)}]},
            self.settings.wechat_appid,
        )

    def order(self) -> dict:
        r = self.client.post(
            "/api/v1/orders", json={"product_id": self.shop["product_id"]}, headers=self.citizen()
        )
        return r.json

    def headers(self, path: str) -> dict:
        return self.shop["auth"] if path.startswith("/merchant/") else self.citizen()


class CallCounter:
    def __init__(self):
        self.calls: Counter = Counter()
        self.lock = threading.Lock()
        self.hooked: set = set()

    def __call__(self, model=None, **_):
        with self.lock:
            self.calls[model.name] += 1

    def hook_all(self) -> None:
        """Register on every botocore client the models (and transactions) use."""
        import models

        clients = [m._get_connection().connection.client for m in models.REGISTRY]
        clients.append(models.connection().client)
        for c in clients:
            if id(c) not in self.hooked:
                c.meta.events.register("before-call.dynamodb", self)
                self.hooked.add(id(c))


@contextmanager
def session():
    """The app in-process on the serialised endpoint with the WeChat and Yangchengtong simulators."""
    from infra.servers import ThreadedServer
    from infra.sim_wechat import create_sim
    from infra.sim_yct import create as create_yct
    from miniprogram_api import create_app
    from tests.support.stack import free_port

    with local_endpoint("bench-calls") as (settings, endpoint):
        wechat = ThreadedServer(
            create_sim(settings.wechat_appid, settings.wechat_secret), port=free_port()
        ).start()
        yct = ThreadedServer(create_yct(settings), port=free_port()).start()
        try:
            s = settings_mod.use(
                settings.with_(wechat_api_base=wechat.url + "/", yct_api_base=yct.url + "/")
            )
            yield Session(create_app(s).test_client(), s)
        finally:
            wechat.stop()
            yct.stop()


def count_requests(
    sess: Session, counter: CallCounter, method: str, path, body, repeat: int = 1
) -> Counter:
    """DynamoDB requests of the call, averaged over `repeat` calls; the first (warm-up) call
    is not counted. Paths and bodies are built before counting starts."""
    total: Counter = Counter()
    for i in range(repeat + 1):
        p = path(sess) if callable(path) else path
        b = body(sess) if callable(body) else body
        counter.hook_all()
        counter.calls.clear()
        r = sess.client.open(p, method=method, json=b, headers=sess.headers(p))
        assert r.status_code < 300, (method, p, r.status_code, r.json)
        if i:
            total.update(counter.calls)
    return Counter({k: v / repeat for k, v in total.items()})


def measure() -> dict:
    results = {}
    with session() as sess:
        counter = CallCounter()
        for name, method, path, body, minimum, why in ENDPOINTS:
            calls = count_requests(sess, counter, method, path, body)
            results[name] = {
                "calls": sum(calls.values()),
                "ops": dict(calls),
                "minimum": minimum,
                "why": why,
            }
    return results


def rows(r: dict) -> list[tuple[str, str, str]]:
    return [
        (
            f"DynamoDB requests: {name}",
            f"{v['calls']:g} ({', '.join(f'{k} {n:g}' for k, n in v['ops'].items())})",
            f"min {v['minimum']}: {v['why']}",
        )
        for name, v in r.items()
    ]


if __name__ == "__main__":
    for row in rows(measure()):
        print(" | ".join(row))
    print(NOT_COVERED)
