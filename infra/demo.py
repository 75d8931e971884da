"""`make demo`: a scripted journey over HTTP against a running `make run`.
Each step prints what it sent and what came back. Steps are added as capabilities land."""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC

from core import settings as settings_mod


class Client:
    def __init__(self, base: str):
        self.base, self.token = base.rstrip("/"), None

    def call(self, method: str, path: str, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")


def step(n: int, title: str, status: int, body) -> None:
    if isinstance(body, dict) and "token" in body:  # a bearer token is a secret, even on a terminal
        body = {**body, "token": body["token"][:8] + "…"}
    shown = json.dumps(body, ensure_ascii=False)
    print(f"[{n}] {title}: HTTP {status} {shown[:300]}")


STEPS: list = []


def journey(fn):
    STEPS.append(fn)
    return fn


@journey
def login_and_me(c: Client, say):
    status, body = c.call(
        "POST", "/api/v1/auth/login", {"code": f"test-demo.{int(time.time() * 1000)}"}
    )
    say("login as the demo citizen through the WeChat simulator", status, body)
    if status != 200:
        raise SystemExit(1)
    c.token = body["token"]
    say("who am I", *c.call("GET", "/api/v1/me"))


@journey
def scenarios_and_coins(c: Client, say):
    status, body = c.call("GET", "/api/v1/scenarios")
    say(
        f"published scenarios ({len(body.get('items', body)) if status == 200 else '?'})",
        status,
        body,
    )
    say("my coins (balance, pending grams today)", *c.call("GET", "/api/v1/coins"))
    say("my ledger, newest first, with provenance", *c.call("GET", "/api/v1/coins/ledger?limit=3"))


@journey
def buy_and_redeem(c: Client, say):
    status, body = c.call("GET", "/api/v1/products?category=transit")
    say("transit coupons in the mall", status, body)
    product = body["items"][0]
    key = f"demo-{int(time.time() * 1000)}"
    status, order = c.call(
        "POST", "/api/v1/orders", {"product_id": product["id"]}, {"Idempotency-Key": key}
    )
    say(f"buy {product['name']} with Idempotency-Key {key}", status, order)
    if status != 201 and status != 200:
        raise SystemExit(1)
    say(
        "the same request retried: the same order, no second debit",
        *c.call("POST", "/api/v1/orders", {"product_id": product["id"]}, {"Idempotency-Key": key}),
    )
    say("my coins after buying", *c.call("GET", "/api/v1/coins"))
    merchant = Client(c.base)
    staff = {
        "Authorization": f"Bearer mk_demo_{product['merchant_id']}_local"
    }  # the seeded demo staff key
    say(
        "the merchant scans the code",
        *merchant.call("POST", "/merchant/v1/redemptions", {"code": order["code"]}, staff),
    )
    say(
        "scanned again: refused, exactly once",
        *merchant.call("POST", "/merchant/v1/redemptions", {"code": order["code"]}, staff),
    )
    say("the order is now redeemed", *c.call("GET", f"/api/v1/orders/{order['id']}"))


@journey
def partner_link_and_push(c: Client, say):
    from datetime import datetime, timedelta

    from core.carbon.partners import signature
    from infra.seeds.partners import DEMO_ID, DEMO_SECRET

    def signed(path, body):
        raw, ts, nonce = json.dumps(body).encode(), str(int(time.time())), f"demo-{time.time_ns()}"
        return Client(c.base).call(
            "POST",
            path,
            json.loads(raw),
            {
                "X-Partner-Id": DEMO_ID,
                "X-Timestamp": ts,
                "X-Nonce": nonce,
                "X-Signature": signature(DEMO_SECRET, "POST", path, ts, nonce, raw),
            },
        )

    policy = c.call("GET", "/api/v1/me/consents")[1]
    say(
        "accept the privacy policy in force (without it, partners' records earn nothing)",
        *c.call(
            "POST", "/api/v1/me/consents", {"policy_version": policy.get("current_version", "")}
        ),
    )
    status, code = c.call("POST", "/api/v1/partner-links", {"partner_id": DEMO_ID})
    say("make a one-time link code for the demo bike partner", status, code)
    say(
        "the bike app exchanges it for its own id of me",
        *signed(
            "/partner/v1/links",
            {"link_code": code.get("link_code", ""), "partner_user_ref": "demo-rider"},
        ),
    )
    at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    say(
        "it pushes a ride (allowed) and a tree (not its scenario: rejected)",
        *signed(
            "/partner/v1/behaviours",
            {
                "records": [
                    {
                        "record_id": f"ride-{time.time_ns()}",
                        "user_ref": "demo-rider",
                        "scenario": "bike",
                        "quantity": 3.2,
                        "occurred_at": at,
                        "facts": {"duration_s": 900},
                    },
                    {
                        "record_id": f"tree-{time.time_ns()}",
                        "user_ref": "demo-rider",
                        "scenario": "tree_planting",
                        "quantity": 2,
                        "occurred_at": at,
                    },
                ]
            },
        ),
    )
    say("my partner links", *c.call("GET", "/api/v1/partner-links"))


def main() -> None:
    s = settings_mod.get()
    c = Client(f"http://127.0.0.1:{s.api_port}")
    counter = iter(range(1, 1000))
    try:
        for fn in STEPS:
            fn(c, lambda title, status, body: step(next(counter), title, status, body))
    except urllib.error.URLError:
        print(
            f"no local stack at {c.base}: start it with `make run` in another terminal",
            file=sys.stderr,
        )
        sys.exit(1)
    print("demo journey complete")


if __name__ == "__main__":
    main()
