"""The inbox: a credit, an expiring and an expired order, an appeal outcome, each once, whether
or not a subscribe message was accepted; read marks; 90 days."""

from datetime import UTC, datetime, timedelta

from core import localday
from core.carbon import settlement_runs
from core.citizens import appeals
from core.mall import expiry, orders
from models.inbox import InboxItem
from tests.support.behaviours import add_behaviour
from tests.support.mall import give_coins, make_shop


def _inbox(client, citizen, lang=None):
    h = {"Authorization": citizen["Authorization"], **({"Accept-Language": lang} if lang else {})}
    return client.get("/api/v1/inbox", headers=h).json


def test_inbox__every_notice_once__newest_first__read_marks(client, citizen, aws, services):
    uid, h = citizen["user"]["id"], {"Authorization": citizen["Authorization"]}
    today = localday.today()
    add_behaviour(aws, uid, today, "metro", 1, "t1")
    settlement_runs.run_date(aws, today, workers=1)
    settlement_runs.run_date(aws, today, workers=1)  # a re-run credits nothing new: no second item
    shop = make_shop()
    give_coins(uid, 100)
    order = client.post("/api/v1/orders", json={"product_id": shop["product_id"]}, headers=h).json
    at = datetime.fromisoformat(order["expires_at"])
    expiry.hourly(services.notifier(), now=at - timedelta(hours=23))
    expiry.hourly(services.notifier(), now=at - timedelta(hours=22))  # claimed once: one item
    orders.expire_due(now=at + timedelta(seconds=1))
    appeal = client.post("/api/v1/appeals", json={"date": today, "note": "漏记"}, headers=h).json
    appeals.reject(appeal["id"], "记录齐全", by="ops")
    box = _inbox(client, citizen)
    assert [i["kind"] for i in box["items"]] == [
        "appeal_result",
        "order_expired",
        "order_expiring",
        "settlement_credit",
    ]
    assert box["unread"] == 4 and "51" in box["items"][-1]["body"]  # 515 g -> 51 coins
    assert all(i["title"] and i["body"] and not i["read"] for i in box["items"])
    assert _inbox(client, citizen, "en")["items"][0]["title"] == "Appeal rejected"
    r = client.post("/api/v1/inbox/read", json={"ids": [box["items"][0]["id"], "nope"]}, headers=h)
    assert r.status_code == 204 and _inbox(client, citizen)["unread"] == 3
    assert client.post("/api/v1/inbox/read", json={"all": True}, headers=h).status_code == 204
    assert _inbox(client, citizen)["unread"] == 0
    items = list(InboxItem.query(uid))
    assert all(
        timedelta(days=89) < i.expires_at - datetime.now(UTC) <= timedelta(days=90) for i in items
    )


def test_inbox__others_items_untouched__bad_bodies_422(client, login, aws):
    a, b = [{"Authorization": f"Bearer {login()[0]}"} for _ in range(2)]
    uid_a = client.get("/api/v1/me", headers=a).json["id"]
    InboxItem(
        uid_a,
        "2026-01-01T00:00:00#x",
        kind="settlement_credit",
        title="t",
        body="b",
        created_at="2026-01-01",
        expires_at=datetime.now(UTC) + timedelta(days=1),
    ).save()
    assert (
        client.post(
            "/api/v1/inbox/read", json={"ids": ["2026-01-01T00:00:00#x"]}, headers=b
        ).status_code
        == 204
    )
    assert client.get("/api/v1/inbox", headers=a).json["unread"] == 1
    for bad in (
        {},
        {"ids": [], "all": False},
        {"ids": ["x"], "all": True},
        {"ids": "x"},
        {"ids": [""]},
        {"ids": ["x"] * 101},
        {"all": "maybe"},
        [1],
    ):
        r = client.post("/api/v1/inbox/read", json=bad, headers=b)
        assert r.status_code == 422 and r.json["error"]["code"] == "invalid_request", (bad, r.json)
