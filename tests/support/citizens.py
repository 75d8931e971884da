"""E2E helpers over real HTTP against the local stack: logged-in citizens, calls whose
bodies are checked for WeChat identifiers, and direct data set-up on the stack's tables.

Every reply that passes through `call` (or `check_private`) is scanned for the openid,
unionid and session key of every citizen logged in so far: the API must never return them.
"""

from __future__ import annotations

import itertools
import json
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from tests.support.concurrency import Reply, http

_fresh = itertools.count()
_secrets: set[str] = set()  # WeChat identifiers of everyone logged in by these helpers


@dataclass
class Citizen:
    name: str
    token: str
    user_id: str

    @property
    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}


def check_private(*replies: Reply) -> None:
    for r in replies:
        text = json.dumps(r.body, ensure_ascii=False) if not isinstance(r.body, str) else r.body
        leaked = [s for s in _secrets if s in text]
        assert not leaked, f"a response body holds a WeChat identifier (status {r.status})"


def call(stack, method: str, path: str, body=None, headers=None) -> Reply:
    r = http(method, stack.api + path, body, headers)
    check_private(r)
    return r


def watch(name: str) -> None:
    """From now on, no reply may hold this simulator user's WeChat identifiers."""
    from infra.sim_wechat import openid_for, session_key_for, unionid_for

    _secrets.update({openid_for(name), unionid_for(name), session_key_for(name)})


def login(stack, name: str | None = None) -> Citizen:
    """A citizen logged in through the WeChat simulator (a fresh wx.login code each time)."""
    name = name or f"e2e-{uuid.uuid4().hex[:10]}"
    watch(name)
    r = call(stack, "POST", "/api/v1/auth/login", {"code": f"test-{name}.{next(_fresh)}"})
    assert r.status == 200, r.body
    return Citizen(name, r.body["token"], r.body["user"]["id"])


@contextmanager
def on_stack(stack):
    """Point this process's models at the stack's tables for direct set-up, then back.
    Models are bound process-wide and integration tests in this worker bind their own."""
    import models
    from core import settings as settings_mod
    from models import base

    before = base._settings
    settings_mod.use(stack.settings())
    models.bind(stack.settings())
    try:
        yield stack.settings()
    finally:
        if before is not None:
            settings_mod.use(before)
            models.bind(before)


def give_coins(stack, user_id: str, amount: int) -> None:
    """An ops adjustment for tests that are not about earning coins (the journey uses the CLI)."""
    from tests.support import mall

    with on_stack(stack):
        mall.give_coins(user_id, amount, why="e2e set-up")


def make_shop(stack, stock: int, price: int = 10, limit: int = 5, keys: int = 1) -> dict:
    """A fresh merchant with `keys` staff keys and one product of its own."""
    from core.mall.merchants import issue_key
    from tests.support import mall

    with on_stack(stack):
        shop = mall.make_shop(
            stock=stock, price=price, limit=limit, merchant_name=f"e2e-{uuid.uuid4().hex[:6]}"
        )
        extra = [issue_key(shop["merchant_id"])[1] for _ in range(keys - 1)]
    shop["keys"] = [shop["key"], *extra]
    return shop


def product_stock(stack, product_id: str) -> int:
    r = call(stack, "GET", f"/api/v1/products/{product_id}")
    assert r.status == 200, r.body
    return r.body["stock"]


def balance(stack, citizen: Citizen) -> int:
    r = call(stack, "GET", "/api/v1/coins", headers=citizen.auth)
    assert r.status == 200, r.body
    return r.body["balance"]


def notices_to(stack, citizen: Citizen, wait_s: float) -> list[dict]:
    """Subscribe messages the WeChat simulator received for this citizen, once there is one
    (the stack's notice sender runs every LOCAL_NOTICE_SECONDS) or after `wait_s`."""
    import time

    from infra.sim_wechat import openid_for

    deadline = time.monotonic() + wait_s
    while True:
        items = [
            m
            for m in http("GET", stack.wechat + "/_sim/sent").body["items"]
            if m["touser"] == openid_for(citizen.name)
        ]
        if items or time.monotonic() > deadline:
            return items
        time.sleep(0.5)
