"""`python -m infra.openapi_examples [--out FILE]`: the API reference's examples, captured from a running
local stack (`make run`, or an e2e stack: its environment). A scripted journey calls every operation
the way its developers would (the demo citizen logs in through the WeChat simulator, buys, the demo
merchant redeems, the demo partner and organisation push, ops batch and log through the CLI) and the
first success of each operation, its request body and its response, is written to
miniprogram_api/reference/examples.json, which /openapi.json shows. Exit 1, naming them, when an
operation of the document got no success. tests/e2e/test_openapi_examples_e2e.py re-captures and
compares the shapes with the committed file; tests/integration/test_api_reference.py validates the
committed examples against the schemas."""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from urllib.parse import quote

from infra.demo import Client

OUT = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    "miniprogram_api",
    "reference",
    "examples.json",
)


class Capture:
    """Calls the API and keeps, per "METHOD /template", the first success: request body, status, response."""

    def __init__(self, base: str):
        self.base, self.examples = base, {}

    def call(
        self,
        method: str,
        template: str,
        path: str | None = None,
        body=None,
        token=None,
        headers=None,
        **path_vars,
    ):
        c = Client(self.base)
        c.token = token
        status, answer = c.call(method, path or template.format(**path_vars), body, headers)
        key = f"{method} {template}"
        if 200 <= status < 300 and key not in self.examples:
            self.examples[key] = {
                **({"request": body} if body is not None else {}),
                "status": status,
                "response": _shown(answer),
            }
        print(f"{key}: HTTP {status}", file=sys.stderr)
        return status, answer


def _shown(answer):
    """A bearer token is a secret even in an example: its first characters, then a mark."""
    if isinstance(answer, dict) and isinstance(answer.get("token"), str):
        return {**answer, "token": answer["token"][:12] + "..."}
    return answer


def _cli(*args: str) -> dict:
    """An ops command against the same stack (this process's environment); its `name=value` lines."""
    tool = os.path.join(os.path.dirname(sys.executable), "tanpuhui")
    r = subprocess.run([tool, *args], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise SystemExit(f"tanpuhui {' '.join(args)} failed: {r.stderr[-2000:]}")
    return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)


def _werun(name: str, appid: str) -> dict:
    """What wx.getWeRunData hands the mini-program: today's steps, AES-128-CBC under the session key."""
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    from infra.sim_wechat import session_key_for

    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    plain = json.dumps(
        {
            "stepInfoList": [{"timestamp": int(time.time()), "step": 9000}],
            "watermark": {"appid": appid, "timestamp": int(time.time())},
        }
    ).encode()
    enc = Cipher(algorithms.AES(base64.b64decode(session_key_for(name))), modes.CBC(iv)).encryptor()
    data = enc.update(padder.update(plain) + padder.finalize()) + enc.finalize()
    return {"encrypted_data": base64.b64encode(data).decode(), "iv": base64.b64encode(iv).decode()}


def _signed(cap: Capture, path: str, body: dict):
    from core.carbon.partners import signature
    from infra.seeds.partners import DEMO_ID, DEMO_SECRET

    raw, ts, nonce = json.dumps(body).encode(), str(int(time.time())), f"ex-{time.time_ns()}"
    return cap.call(
        "POST",
        path,
        body=json.loads(raw),
        headers={
            "X-Partner-Id": DEMO_ID,
            "X-Timestamp": ts,
            "X-Nonce": nonce,
            "X-Signature": signature(DEMO_SECRET, "POST", path, ts, nonce, raw),
        },
    )


def citizen(cap: Capture, appid: str) -> dict:
    """The demo citizen's day in the mini-program; returns what later steps need."""
    stamp = int(time.time() * 1000)
    cap.call("GET", "/healthz")
    _, login = cap.call("POST", "/api/v1/auth/login", body={"code": f"test-demo.{stamp}"})
    t = login["token"]
    cap.call("GET", "/api/v1/me", token=t)
    cap.call("POST", "/api/v1/me/phone", body={"code": "phone-13800138000"}, token=t)
    _, consents = cap.call("GET", "/api/v1/me/consents", token=t)
    cap.call(
        "POST", "/api/v1/me/consents", body={"policy_version": consents["current_version"]}, token=t
    )
    first = str(random.randint(1_000_000_000, 8_999_999_999))
    cap.call("POST", "/api/v1/cards", body={"card_no": first}, token=t)
    _, card = Capture(cap.base).call(
        "POST", "/api/v1/cards", body={"card_no": str(int(first) + 1)}, token=t
    )
    cap.call("GET", "/api/v1/cards", token=t)
    cap.call("DELETE", "/api/v1/cards/{card_id}", token=t, card_id=card["id"])
    cap.call("POST", "/api/v1/steps", body=_werun("demo", appid), token=t)
    cap.call("GET", "/api/v1/scenarios")
    cap.call(
        "POST",
        "/api/v1/me/subscriptions",
        body={"templates": {"settlement_credit": "accept", "order_expiring": "reject"}},
        token=t,
    )
    cap.call("GET", "/api/v1/me/subscriptions", token=t)
    today = date.today()
    week = {"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat()}
    cap.call(
        "GET",
        "/api/v1/reductions",
        f"/api/v1/reductions?from={week['from']}&to={week['to']}",
        token=t,
    )
    cap.call("GET", "/api/v1/reductions/{day}/records", token=t, day=today.isoformat())
    cap.call("GET", "/api/v1/footprint", token=t)
    cap.call(
        "POST",
        "/api/v1/footprint/estimate",
        body={
            "household_kwh_month": 300,
            "household_size": 3,
            "car_km_week": 120,
            "car_fuel": "petrol",
            "diet": "average",
            "flights": {"short": 2, "medium": 0, "long": 0},
            "clothes_items_year": 12,
            "electronics_items_year": 1,
            "save": True,
        },
        token=t,
    )
    cap.call("GET", "/api/v1/footprint/estimate", token=t)
    cap.call(
        "POST",
        "/api/v1/appeals",
        body={
            "date": (today - timedelta(days=1)).isoformat(),
            "note": "昨天坐了地铁，没有计入减排量。",
        },
        token=t,
    )
    cap.call("GET", "/api/v1/appeals", token=t)
    cap.call("GET", "/api/v1/merchants")
    cap.call("GET", "/api/v1/partners")
    return {"token": t, "today": today}


def mall(cap: Capture, t: str) -> None:
    _, page = cap.call("GET", "/api/v1/products", "/api/v1/products?category=transit&limit=2")
    product = page["items"][0]
    cap.call("GET", "/api/v1/products/{product_id}", product_id=product["id"])
    key = {"Idempotency-Key": f"ex-{time.time_ns()}"}
    _, order = cap.call(
        "POST",
        "/api/v1/orders",
        body={"product_id": product["id"], "quantity": 1},
        token=t,
        headers=key,
    )
    cap.call("GET", "/api/v1/orders", "/api/v1/orders?limit=2", token=t)
    cap.call("GET", "/api/v1/orders/{order_id}", token=t, order_id=order["id"])
    _, other = Capture(cap.base).call(
        "POST",
        "/api/v1/orders",
        body={"product_id": product["id"]},
        token=t,
        headers={"Idempotency-Key": f"ex-{time.time_ns()}"},
    )
    cap.call("POST", "/api/v1/orders/{order_id}/cancel", token=t, order_id=other["id"])
    from infra.seeds.mall import DEMO_KEY

    staff = {"Authorization": f"Bearer {DEMO_KEY.format(merchant_id=product['merchant_id'])}"}
    cap.call("POST", "/merchant/v1/redemptions", body={"code": order["code"]}, headers=staff)
    cap.call(
        "GET",
        "/merchant/v1/redemptions",
        f"/merchant/v1/redemptions?date={date.today().isoformat()}",
        headers=staff,
    )
    cap.call("GET", "/api/v1/coins", token=t)
    cap.call("GET", "/api/v1/coins/ledger", "/api/v1/coins/ledger?limit=3", token=t)


def partners_and_orgs(cap: Capture, t: str, today: date) -> None:
    from infra.seeds.orgs import DEMO_ORG, DEMO_ORG_KEY
    from infra.seeds.partners import DEMO_ID, DEMO_REF

    _, code = cap.call("POST", "/api/v1/partner-links", body={"partner_id": DEMO_ID}, token=t)
    _signed(
        cap, "/partner/v1/links", {"link_code": code["link_code"], "partner_user_ref": DEMO_REF}
    )
    at = time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.localtime(time.time() - 3600))
    _signed(
        cap,
        "/partner/v1/behaviours",
        {
            "records": [
                {
                    "record_id": f"ride-{time.time_ns()}",
                    "user_ref": DEMO_REF,
                    "scenario": "bike",
                    "quantity": 3.2,
                    "occurred_at": at,
                    "facts": {"duration_s": 900},
                },
                {
                    "record_id": f"tree-{time.time_ns()}",
                    "user_ref": DEMO_REF,
                    "scenario": "tree_planting",
                    "quantity": 2,
                    "occurred_at": at,
                },
            ]
        },
    )
    cap.call("GET", "/api/v1/partner-links", token=t)
    org = {"Authorization": f"Bearer {DEMO_ORG_KEY}"}
    _, owner = Capture(cap.base).call(
        "POST", "/api/v1/partner-links", body={"partner_id": DEMO_ORG}, token=t
    )
    project = f"pv-{time.time_ns()}"
    cap.call(
        "POST",
        "/org/v1/projects",
        body={
            "project_id": project,
            "type": "pv",
            "owner_link_code": owner["link_code"],
            "capacity": "5 kWp",
            "location": "天河区",
        },
        headers=org,
    )
    cap.call("GET", "/org/v1/projects", "/org/v1/projects?limit=2", headers=org)
    start, end = today - timedelta(days=40), today - timedelta(days=11)
    cap.call(
        "POST",
        "/org/v1/readings",
        body={
            "readings": [
                {
                    "reading_id": f"{project}-1",
                    "project_id": project,
                    "period_start": start.isoformat(),
                    "period_end": end.isoformat(),
                    "quantity": 620.5,
                }
            ]
        },
        headers=org,
    )
    period = f"from={start.isoformat()}&to={today.isoformat()}"
    cap.call("GET", "/org/v1/reductions", f"/org/v1/reductions?{period}", headers=org)
    batch = _cli(
        "phcer",
        "batch",
        "--org",
        DEMO_ORG,
        "--from",
        start.isoformat(),
        "--to",
        end.isoformat(),
        "--by",
        "openapi-examples",
    )["batch_id"]
    cap.call("GET", "/org/v1/batches", headers=org)
    cap.call("GET", "/org/v1/batches/{batch_id}", headers=org, batch_id=batch)
    cap.call("GET", "/api/v1/phcer", token=t)
    cap.call("GET", "/api/v1/phcer/projects", token=t)


def public_log(cap: Capture, t: str, today: date) -> None:
    size = int(_cli("log", "append")["tree_size"])
    cap.call("GET", "/public/v1/log/key")
    cap.call("GET", "/public/v1/log/heads/latest")
    cap.call("GET", "/public/v1/log/heads/{date}", date=today.isoformat())
    cap.call(
        "GET",
        "/public/v1/log/consistency",
        f"/public/v1/log/consistency?first={max(1, size - 1)}&second={size}",
    )
    cap.call("GET", "/public/v1/log/totals/{date}", date=today.isoformat())
    _, ledger = Capture(cap.base).call("GET", "/api/v1/coins/ledger", token=t)
    cap.call(
        "GET",
        "/api/v1/coins/ledger/{entry_id}/proof",
        token=t,
        entry_id=quote(ledger["items"][-1]["id"], safe=""),
    )


def leaving(cap: Capture, t: str) -> None:
    """Last: removing a link, signing out everywhere and deleting an account (another citizen's)."""
    from infra.seeds.partners import DEMO_ID

    cap.call("PUT", "/api/v1/rankings/me", body={"listed": True, "nickname": "低碳小达人"}, token=t)
    cap.call("GET", "/api/v1/rankings", "/api/v1/rankings?period=week", token=t)
    cap.call("GET", "/api/v1/inbox", token=t)
    cap.call("POST", "/api/v1/inbox/read", body={"all": True}, token=t)
    cap.call("GET", "/api/v1/me/export", token=t)
    cap.call("DELETE", "/api/v1/partner-links/{partner_id}", token=t, partner_id=DEMO_ID)
    name = f"leaver{time.time_ns()}"
    _, login = Capture(cap.base).call("POST", "/api/v1/auth/login", body={"code": f"test-{name}.1"})
    cap.call("POST", "/api/v1/auth/logout_all", token=login["token"])
    _, login = Capture(cap.base).call("POST", "/api/v1/auth/login", body={"code": f"test-{name}.2"})
    cap.call("DELETE", "/api/v1/me", token=login["token"])


def capture(base: str, appid: str) -> dict:
    cap = Capture(base)
    state = citizen(cap, appid)
    mall(cap, state["token"])
    partners_and_orgs(cap, state["token"], state["today"])
    public_log(cap, state["token"], state["today"])
    leaving(cap, state["token"])
    return dict(sorted(cap.examples.items()))


def operations_of(base: str) -> set[str]:
    _, doc = Client(base).call("GET", "/openapi.json")
    return {f"{m.upper()} {p}" for p, ops in doc["paths"].items() for m in ops}


def main(argv=None) -> None:
    from core import settings as settings_mod

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=OUT)
    parser.add_argument(
        "--base", default=None, help="the API's URL (default: the local stack's API_PORT)"
    )
    args = parser.parse_args(argv)
    s = settings_mod.get()
    base = args.base or f"http://127.0.0.1:{s.api_port}"
    examples = capture(base, s.wechat_appid)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(examples, f, ensure_ascii=False, indent=1)
        f.write("\n")
    missing = sorted(operations_of(base) - set(examples))
    print(f"{len(examples)} examples written to {args.out}", file=sys.stderr)
    if missing:
        print(f"operations without a captured success: {missing}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
