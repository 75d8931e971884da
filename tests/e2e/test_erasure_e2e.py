"""Erasure that cannot be undone, over real HTTP on the local stack: a citizen earns, orders and
binds a card, deletes the account, and the same WeChat user signing in again finds a new, empty
account whose export shares nothing with the old one; nothing kept names the WeChat user (no
openid, unionid, openid hash or id recomputable from the openid with HASH_KEY), and the books and
the ledger check still pass."""

import json
from datetime import date, timedelta

import pytest

from tests.support.behaviours import add_behaviour
from tests.support.citizens import call, login, make_shop, on_stack

pytestmark = pytest.mark.e2e


def _ids(export: dict) -> set[str]:
    """Every identifier an export names: the account, its ledger entries, orders, cards, bindings."""
    out = {export["profile"]["id"]}
    out |= {e["id"] for e in export["ledger"]} | {o["id"] for o in export["orders"]}
    out |= {c["id"] for c in export["cards"]} | {b["card_id"] for b in export["card_bindings"]}
    out |= {a["id"] for a in export["appeals"]}
    return out


def _kept_items_naming(stack, needles: set[str]) -> list[str]:
    """Tables whose items hold any of these strings, read raw from the stack's endpoint."""
    import models
    from gateways import aws_client

    found = []
    with on_stack(stack) as s:
        db = aws_client("dynamodb", s)
        for model in models.REGISTRY:
            for page in db.get_paginator("scan").paginate(TableName=model.Meta.table_name):
                for item in page["Items"]:
                    text = json.dumps(item, ensure_ascii=False, default=repr)  # salts: bytes
                    found += [model.Meta.short_name for n in needles if n in text]
    return sorted(set(found))


def test_erased_citizen_signs_in_again__new_empty_account__nothing_joins_back(stack):
    from core.citizens.openids import legacy_user_id, openid_key
    from infra.sim_wechat import openid_for, unionid_for

    old = login(stack)
    day = (date.fromisoformat(_today()) - timedelta(days=1)).isoformat()
    with on_stack(stack) as s:
        add_behaviour(s, old.user_id, day, "metro", 1, "m1", "08:00")
        add_behaviour(s, old.user_id, day, "bus", 1, "b1", "18:00")
    assert stack.cli("settle", "--date", day).returncode == 0
    earned = call(stack, "GET", "/api/v1/coins", headers=old.auth).body["balance"]
    shop = make_shop(stack, stock=5, price=1)
    order = call(stack, "POST", "/api/v1/orders", {"product_id": shop["product_id"]}, old.auth)
    assert earned > 1 and order.status == 201, (earned, order.body)
    assert call(stack, "POST", "/api/v1/cards", {"card_no": "5300246813"}, old.auth).status == 201
    before = call(stack, "GET", "/api/v1/me/export", headers=old.auth).body
    assert len(before["ledger"]) == 2 and len(before["orders"]) == 1 and len(before["cards"]) == 1

    assert call(stack, "DELETE", "/api/v1/me", headers=old.auth).status == 204
    again = login(stack, old.name)  # the same WeChat user, a fresh wx.login code
    me = call(stack, "GET", "/api/v1/me", headers=again.auth)
    after = call(stack, "GET", "/api/v1/me/export", headers=again.auth)
    print("re-signed-in /api/v1/me:", json.dumps(me.body, ensure_ascii=False))
    print("re-signed-in /api/v1/me/export:", json.dumps(after.body, ensure_ascii=False))
    assert me.status == after.status == 200
    assert again.user_id != old.user_id and me.body["balance"] == 0 and me.body["cards"] == 0
    assert (
        after.body["ledger"]
        == after.body["orders"]
        == after.body["cards"]
        == after.body["card_bindings"]
        == []
    )
    assert after.body["account"] in (
        None,
        {"balance": 0, "earned_total": 0, "spent_total": 0, "grams_total": 0},
    )
    assert _ids(before).isdisjoint(_ids(after.body))
    assert old.user_id not in json.dumps(after.body)

    # Nothing kept ties the old account to the WeChat user: not the openid or unionid, not their
    # keyed hashes, not an id recomputable from the openid with HASH_KEY (ops' view of every table).
    with on_stack(stack) as s:
        openid, hash_key = openid_for(old.name), s.hash_key
    leads = {
        openid,
        unionid_for(old.name),
        openid_key(openid, hash_key),
        legacy_user_id(openid, hash_key),
    }
    assert legacy_user_id(openid, hash_key) not in (old.user_id, again.user_id)
    # Only the new account's user item and login lookup hold them (the new account is a new person to us).
    assert _kept_items_naming(stack, leads) == ["openid_users", "users"]
    assert _kept_items_naming(stack, {old.user_id}) and "users" not in _kept_items_naming(
        stack, {old.user_id}
    )
    for command in (("ledger", "check"), ("books",)):
        r = stack.cli(*command)
        assert r.returncode == 0, r.stdout + r.stderr


def _today() -> str:
    from core import localday

    return localday.today()


def test_legacy_account_erased__kept_records_move_to_a_new_random_id__books_and_log_pass(stack):
    """An account made when the id was a keyed hash of the openid (LEGACY): it earns, orders and
    binds a card, its entries are in the public log; after DELETE nothing on the stack names the
    legacy id (HASH_KEY recomputes it from the openid), `ledger check`, `books` and `log verify`
    pass, and the same WeChat user signing in again starts empty."""
    from datetime import UTC, datetime

    from core.citizens.openids import legacy_user_id
    from infra.sim_wechat import openid_for
    from models import User

    name = "e2e-legacy-elder"
    with on_stack(stack) as s:
        legacy = legacy_user_id(openid_for(name), s.hash_key)
        User(legacy, openid=openid_for(name), created_at=datetime.now(UTC), token_gen=1).save()
    old = login(stack, name)
    assert old.user_id == legacy  # adopted at its next login, as such accounts are
    day = (date.fromisoformat(_today()) - timedelta(days=1)).isoformat()
    with on_stack(stack) as s:
        add_behaviour(s, legacy, day, "metro", 1, "m-legacy", "08:00")
    assert stack.cli("settle", "--date", day).returncode == 0
    shop = make_shop(stack, stock=5, price=1)
    assert (
        call(stack, "POST", "/api/v1/orders", {"product_id": shop["product_id"]}, old.auth).status
        == 201
    )
    assert call(stack, "POST", "/api/v1/cards", {"card_no": "5300135790"}, old.auth).status == 201
    before = call(stack, "GET", "/api/v1/me/export", headers=old.auth).body
    assert len(before["ledger"]) == 2 and len(before["orders"]) == 1
    assert stack.cli("log", "append").returncode == 0
    assert "ledger" in _kept_items_naming(stack, {legacy})

    assert call(stack, "DELETE", "/api/v1/me", headers=old.auth).status == 204
    assert _kept_items_naming(stack, {legacy}) == []
    for command in (("ledger", "check"), ("books",), ("log", "append"), ("log", "verify")):
        r = stack.cli(*command)
        assert r.returncode == 0, (command, r.stdout + r.stderr)
    again = login(stack, name)
    me = call(stack, "GET", "/api/v1/me", headers=again.auth)
    assert again.user_id != legacy and me.status == 200 and me.body["balance"] == 0
