"""The city ranking: opt-in nicknames, settlement's roll-ups, the caller's own standing."""

from core import localday
from core.carbon import ranking_rules, rankings, settlement_runs
from models import Account
from tests.support.behaviours import add_behaviour


def _h(token):
    return {"Authorization": f"Bearer {token}"}


def test_two_listed_one_not__ordered__third_sees_only_own_rank(client, login, aws):
    (a, ua), (b, ub), (c, uc) = login(), login(), login()
    today = localday.today()
    for user, trips in ((ua, 3), (ub, 2), (uc, 1)):
        for i in range(trips):
            add_behaviour(
                aws, user["id"], today, "metro", 1, f"t{user['id'][:6]}{i}", f"{8 + i:02d}:00"
            )
    assert client.put(
        "/api/v1/rankings/me", json={"listed": True, "nickname": "绿色出行达人"}, headers=_h(a)
    ).json == {"listed": True, "nickname": "绿色出行达人"}
    assert (
        client.put(
            "/api/v1/rankings/me", json={"listed": True, "nickname": "bike_fan"}, headers=_h(b)
        ).status_code
        == 200
    )
    settlement_runs.run_date(aws, today, workers=1)
    settlement_runs.run_date(aws, today, workers=1)  # a re-run moves nobody twice
    for period in ("week", "month"):
        r = client.get("/api/v1/rankings", query_string={"period": period}, headers=_h(c)).json
        assert r["items"] == [
            {"rank": 1, "nickname": "绿色出行达人", "grams": 1545},
            {"rank": 2, "nickname": "bike_fan", "grams": 1030},
        ]
        assert r["me"] == {"rank": 3, "grams": 515, "percentile": 0, "listed": False}
        assert r["from"] <= today == r["to"]
    top = client.get("/api/v1/rankings", headers=_h(a)).json["me"]
    assert top == {"rank": 1, "grams": 1545, "percentile": 100, "listed": True}
    client.put("/api/v1/rankings/me", json={"listed": False}, headers=_h(a))
    assert [i["nickname"] for i in client.get("/api/v1/rankings", headers=_h(c)).json["items"]] == [
        "bike_fan"
    ]


def test_nickname_checks__422_nickname_invalid(client, citizen):
    for bad in (
        "a",
        "x" * 17,
        "管理员小王",
        "S B 123",
        "call13800138000",
        "   ",
        "<script>",
        "官 方",
    ):
        r = client.put(
            "/api/v1/rankings/me",
            json={"listed": True, "nickname": bad},
            headers={"Authorization": citizen["Authorization"]},
        )
        assert r.status_code == 422 and r.json["error"]["code"] in (
            "nickname_invalid",
            "invalid_request",
        ), (bad, r.json)
    r = client.put(
        "/api/v1/rankings/me",
        json={"listed": True},
        headers={"Authorization": citizen["Authorization"]},
    )
    assert r.json["error"]["code"] == "nickname_invalid"  # no nickname yet
    for bad in ([], {"listed": "yes"}, {"listed": True, "nickname": 5}, {"nickname": "ok名"}):
        r = client.put(
            "/api/v1/rankings/me", json=bad, headers={"Authorization": citizen["Authorization"]}
        )
        assert r.status_code == 422, (bad, r.json)
    r = client.get(
        "/api/v1/rankings",
        query_string={"period": "year"},
        headers={"Authorization": citizen["Authorization"]},
    )
    assert r.status_code == 422


def test_credit_adds_period_rollups_and_removes_stale_ones(aws):
    add_behaviour(aws, "u1", "2026-10-05", "metro", 1, "t1")
    settlement_runs.run_date(aws, "2026-10-05", workers=1)
    add_behaviour(aws, "u1", "2026-12-01", "metro", 1, "t2")
    settlement_runs.run_date(aws, "2026-12-01", workers=1)
    raw = Account._get_connection().get_item("u1", consistent_read=True)["Item"]
    names = sorted(k for k in raw if k.startswith(("rw_", "rm_")))
    assert names == sorted(
        [ranking_rules.rollup_name(p) for p in ranking_rules.periods("2026-12-01")]
    ), names
    assert rankings.credit("2026-12-01", 5)[ranking_rules.rollup_name("m2026-12")] == 5
