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


def test_a_listed_citizen_who_deletes_the_account__leaves_the_list_others_see(client, login, aws):
    (a, ua), (b, ub) = login(), login()
    today = localday.today()
    for user, trips in ((ua, 2), (ub, 1)):
        for i in range(trips):
            add_behaviour(aws, user["id"], today, "metro", 1, f"d{user['id'][:6]}{i}")
    for token, name in ((a, "先走一步"), (b, "留下的人")):
        client.put(
            "/api/v1/rankings/me", json={"listed": True, "nickname": name}, headers=_h(token)
        )
    settlement_runs.run_date(aws, today, workers=1)
    names = [i["nickname"] for i in client.get("/api/v1/rankings", headers=_h(b)).json["items"]]
    assert names == ["先走一步", "留下的人"]
    assert client.delete("/api/v1/me", headers=_h(a)).status_code == 204
    after = client.get("/api/v1/rankings", headers=_h(b)).json
    assert [i["nickname"] for i in after["items"]] == ["留下的人"]
    assert after["items"][0]["rank"] == 1 and after["me"]["listed"] is True


def test_period_defaults_to_week__from_its_first_day_to_today__no_grams_no_rank(client, citizen):
    from datetime import date, timedelta

    today = date.fromisoformat(localday.today())
    monday = (today - timedelta(days=today.weekday())).isoformat()
    h = {"Authorization": citizen["Authorization"]}
    week = client.get("/api/v1/rankings", headers=h).json
    assert (week["period"], week["from"], week["to"]) == ("week", monday, today.isoformat())
    month = client.get("/api/v1/rankings", query_string={"period": "month"}, headers=h).json
    assert (month["from"], month["to"]) == (today.replace(day=1).isoformat(), today.isoformat())
    assert week["me"] == {"rank": None, "grams": 0, "percentile": None, "listed": False}


def test_a_ranking_request__two_batch_reads__no_scan_no_query(client, login, aws):
    from tests.support.requests_count import count_requests

    (a, ua), (b, ub) = login(), login()
    today = localday.today()
    for user, trips in ((ua, 2), (ub, 1)):
        for i in range(trips):
            add_behaviour(aws, user["id"], today, "metro", 1, f"r{user['id'][:6]}{i}")
    for token, name in ((a, "读得少"), (b, "读得快")):
        client.put(
            "/api/v1/rankings/me", json={"listed": True, "nickname": name}, headers=_h(token)
        )
    settlement_runs.run_date(aws, today, workers=1)
    with count_requests() as calls:
        r = client.get("/api/v1/rankings", headers=_h(b))
    assert [i["nickname"] for i in r.json["items"]] == ["读得少", "读得快"]
    # The token's user (GetItem, as every signed-in request), then the ranking's two reads: the
    # caller's roll-up and choice with the histogram and top parts, then the candidates' choices.
    assert calls == {"GetItem": 1, "BatchGetItem": 2}, calls
