"""DynamoDB requests per endpoint, counted with botocore event hooks (before-call) on
every client the app uses, beside the minimum each endpoint needs. The app runs
in-process against the serialised local endpoint and the WeChat simulator."""
from __future__ import annotations

import threading
from collections import Counter

from bench.harness import local_endpoint

# (name, method, path, body, minimum DynamoDB requests, why that is the minimum)
ENDPOINTS = [
    ("POST /api/v1/auth/login (returning user)", "POST", "/api/v1/auth/login", "LOGIN", 2,
     "rate-limit counter + user update"),
    ("GET /api/v1/me", "GET", "/api/v1/me", None, 1, "user and account in one TransactGet"),
]


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


def measure() -> dict:
    from infra.servers import ThreadedServer
    from infra.sim_wechat import create_sim
    from miniprogram_api import create_app
    from tests.support.stack import free_port

    with local_endpoint("bench-calls") as (settings, endpoint):
        sim = ThreadedServer(create_sim(settings.wechat_appid, settings.wechat_secret), port=free_port()).start()
        try:
            s = settings.with_(wechat_api_base=sim.url + "/")
            client = create_app(s).test_client()
            seq = iter(range(10**6))

            def login():
                return client.post("/api/v1/auth/login", json={"code": f"test-bench.{next(seq)}"}).json["token"]

            token = login()
            counter = CallCounter()
            results = {}
            for name, method, path, body, minimum, why in ENDPOINTS:
                headers = {"Authorization": f"Bearer {token}"}
                payload = {"code": f"test-bench.{next(seq)}"} if body == "LOGIN" else body
                client.open(path, method=method, json=payload, headers=headers)  # warm: token, clients
                counter.hook_all()
                counter.calls.clear()
                payload = {"code": f"test-bench.{next(seq)}"} if body == "LOGIN" else body
                r = client.open(path, method=method, json=payload, headers=headers)
                assert r.status_code < 300, (name, r.status_code, r.json)
                results[name] = {"calls": sum(counter.calls.values()), "ops": dict(counter.calls),
                                 "minimum": minimum, "why": why}
        finally:
            sim.stop()
    return results


def rows(r: dict) -> list[tuple[str, str, str]]:
    return [(f"DynamoDB requests: {name}", f"{v['calls']} ({', '.join(f'{k} {n}' for k, n in v['ops'].items())})",
             f"min {v['minimum']}: {v['why']}") for name, v in r.items()]


if __name__ == "__main__":
    for row in rows(measure()):
        print(" | ".join(row))
