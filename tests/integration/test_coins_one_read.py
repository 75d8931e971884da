"""GET /api/v1/coins reads the user, the account and today's day index (with what an early run of
today credited) in one BatchGetItem, and its pending grams are the figure the behaviours give (the records listing)."""

import io
from datetime import UTC, datetime, timedelta, timezone

import pytest

from core import localday
from core.carbon import partners, settlement_runs, trace, trips
from core.carbon.methodology_store import load_registry
from models.behaviours import Behaviour
from models.day_records import DayRecords
from tests.integration.test_partner_push import link, rec, signed
from tests.integration.test_steps import encrypt
from tests.support.requests_count import count_requests

pytestmark = pytest.mark.usefixtures(
    "yct_sim"
)  # binding a card asks Yangchengtong whether it exists
SH = timezone(timedelta(hours=8))
_bound_at = datetime.now(UTC)


def _at(ms: int) -> str:
    """`ms` milliseconds after the card was bound (trips before it count for nobody)."""
    return (_bound_at + timedelta(milliseconds=ms)).astimezone(SH).isoformat()


def _csv(rows) -> io.StringIO:
    return io.StringIO("\n".join([",".join(trips.COLUMNS), *rows]) + "\n")


def _trip_file(card: str):
    # 10 metro trips, then a bus and a ferry: the transit group cap counts the 8 earliest trips.
    rows = [f"M{i},{card},metro,{_at(i + 1)},3,A,B,2.0" for i in range(10)]
    return _csv(rows + [f"B1,{card},bus,{_at(20)},B1,,,", f"F1,{card},ferry,{_at(21)},F,,,"])


def _citizen(client, login, name):
    token, user = login(name)
    h = {"Authorization": f"Bearer {token}"}
    assert (
        client.post("/api/v1/cards", json={"card_no": "4000000777"}, headers=h).status_code == 201
    )
    global _bound_at
    # Records below fall up to 40 ms after the binding: after it, and within the clock skew a
    # record may have (core.carbon.validation.CLOCK_SKEW), so no wait for them to be "past".
    _bound_at = datetime.now(UTC)
    return h, user["id"]


def _pending(client, h) -> int:
    r = client.get("/api/v1/coins", headers=h)
    assert r.status_code == 200, r.json
    return r.json["pending_grams_today"]


def _from_behaviours(aws, uid) -> int:
    """The Query-based figure: the day's grams in the records listing minus what was credited."""
    listing = trace.day_records(aws, load_registry(), uid, localday.today())
    return max(0, listing["total_grams"] - listing["credited_grams"])


def _steps(client, aws, h, name, steps):
    body = encrypt(
        name,
        {"stepInfoList": [{"timestamp": int(datetime.now().timestamp()), "step": steps}]},
        aws.wechat_appid,
    )
    assert client.post("/api/v1/steps", json=body, headers=h).json == {"days_accepted": 1}


def test_coins__one_dynamodb_request(client, login, aws):
    h, _ = _citizen(client, login, "counted")
    trips.ingest_lines(aws, _trip_file("4000000777"))
    _pending(client, h)  # the first request reads the methodologies (cached per container)
    with count_requests() as calls:
        assert _pending(client, h) > 0
    assert calls == {"BatchGetItem": 1}


def test_coins__pending_equals_the_behaviours_figure__trips_steps_partner_and_an_early_settle(
    client, login, aws
):
    h, uid = _citizen(client, login, "busy")
    trips.ingest_lines(aws, _trip_file("4000000777"))
    assert _pending(client, h) == _from_behaviours(aws, uid) > 0
    _steps(client, aws, h, "busy", 6000)
    _steps(client, aws, h, "busy", 14000)  # replaces the first upload, never adds to it
    assert Behaviour.count() == 13
    pid, secret = partners.add_partner(aws, "bikes")
    ref = link(client, h, pid, secret)
    raw, hd = signed(
        secret, pid, {"records": [rec(ref, "r1", when=datetime.fromisoformat(_at(30)))]}
    )
    assert client.post("/partner/v1/behaviours", data=raw, headers=hd).json["accepted"] == 1
    before_settle = _pending(client, h)
    assert before_settle == _from_behaviours(aws, uid) > 0
    settlement_runs.run_date(aws, localday.today(), workers=1)  # today settled early
    assert _pending(client, h) == _from_behaviours(aws, uid) == 0
    raw, hd = signed(
        secret, pid, {"records": [rec(ref, "r2", when=datetime.fromisoformat(_at(40)))]}
    )
    assert (
        client.post("/partner/v1/behaviours", data=raw, headers=hd).json["accepted"] == 1
    )  # after the run
    assert _pending(client, h) == _from_behaviours(aws, uid) > 0


def test_ingest__crash_between_index_and_behaviours__retry_leaves_the_index_exact(
    client, login, aws, monkeypatch
):
    h, uid = _citizen(client, login, "crashed")
    real = Behaviour.batch_write

    def crash(*a, **k):
        raise RuntimeError("the invocation died here")

    monkeypatch.setattr(Behaviour, "batch_write", crash)
    with pytest.raises(RuntimeError):
        trips.ingest_lines(aws, _trip_file("4000000777"))
    monkeypatch.setattr(Behaviour, "batch_write", real)
    assert Behaviour.count() == 0
    for _ in range(2):  # the retry, then a re-delivery of the same file
        trips.ingest_lines(aws, _trip_file("4000000777"))
    item = _index_item(uid)
    assert sorted(k for k in item if k.startswith("r#")) == sorted(
        f"r#yct#{b.source_id}" for b in Behaviour.scan()
    )
    assert len(item) == 12 + 3 and "expires_at" in item  # the records, user_id, date and the TTL
    assert _pending(client, h) == _from_behaviours(aws, uid) > 0


def _index_item(uid) -> dict:
    from models import base

    return base.get_items([(DayRecords, {"user_id": uid, "date": localday.today()}, None)])[0]


def test_coins__revoked_token_or_deleted_account__401_and_the_index_erased(client, login, aws):
    h, uid = _citizen(client, login, "leaving")
    trips.ingest_lines(aws, _trip_file("4000000777"))
    token2, _ = login("leaving")
    h2 = {"Authorization": f"Bearer {token2}"}
    assert client.post("/api/v1/auth/logout_all", headers=h).status_code == 204
    assert client.get("/api/v1/coins", headers=h).status_code == 401
    token3, _ = login("leaving")
    h3 = {"Authorization": f"Bearer {token3}"}
    assert client.get("/api/v1/coins", headers=h2).status_code == 401 and _pending(client, h3) > 0
    assert client.delete("/api/v1/me", headers=h3).status_code == 204
    r = client.get("/api/v1/coins", headers=h3)
    assert (r.status_code, r.json["error"]["code"]) == (401, "unauthorized")
    assert list(DayRecords.query(uid)) == []


def test_coins__keys_left_unprocessed__asked_for_again(client, login, aws, monkeypatch):
    import models

    h, uid = _citizen(client, login, "throttled")
    trips.ingest_lines(aws, _trip_file("4000000777"))
    expected = _from_behaviours(aws, uid)
    real, asked = models.connection().client.batch_get_item, []

    def partly(
        RequestItems, **kw
    ):  # DynamoDB may answer a BatchGetItem with no items, all unprocessed
        asked.append(sorted(RequestItems))
        return (
            {"Responses": {}, "UnprocessedKeys": RequestItems}
            if len(asked) == 1
            else real(RequestItems=RequestItems, **kw)
        )

    monkeypatch.setattr(models.connection().client, "batch_get_item", partly)
    assert _pending(client, h) == expected > 0 and len(asked) == 2 and asked[0] == asked[1]


def test_day_index__a_full_user_day_left_out_alone__the_chunks_other_days_indexed(aws):
    from core.carbon import day_index

    def rec(user, n, pad=300):
        return Behaviour.of(
            user,
            "2026-11-20",
            "bike",
            1,
            "2026-11-20T08:00:00+08:00",
            "partner:p1",
            f"r{n}",
            64,
            "2026-11-20T09:00:00+08:00",
            {"pad": "y" * pad},
            keep_days=90,
        )

    for i in range(0, 990, 90):  # ~400 KB of one citizen's day: the item cannot grow any more
        day_index.index([rec("full", n) for n in range(i, i + 90)])
    before = DayRecords.get("full", "2026-11-20").attribute_values
    day_index.index(
        [rec("full", 5000), rec("other", 1, 10), rec("other", 2, 10)]
    )  # one trip-file chunk
    assert sorted(r.source_id for r in day_index.records(_raw("other", "2026-11-20"))) == [
        "r1",
        "r2",
    ]
    assert (
        DayRecords.get("full", "2026-11-20").attribute_values == before
    )  # left out, nothing raised


def _raw(user, day):
    from core import settings
    from gateways import aws_client

    s = settings.get()
    return aws_client("dynamodb", s).get_item(
        TableName=s.table_name("day_records"), Key={"user_id": {"S": user}, "date": {"S": day}}
    )["Item"]


def test_day_index__a_user_day_of_many_records__set_in_pieces_each_within_one_update_expression(
    aws, monkeypatch
):
    """DynamoDB refuses an update expression over 4 KB (≈300 SETs); moto does not, so the updates
    are counted: a trip chunk with 120 taps of one card in a day is three updates, and all indexed."""
    from core.carbon import day_index

    real, updates = day_index.add_updates, []

    def add_updates(tx, items, fill=False):
        updates.extend(len(g) for g in day_index.by_user_day(items).values())
        return real(tx, items, fill)

    monkeypatch.setattr(day_index, "add_updates", add_updates)
    many = [
        Behaviour.of(
            "busy",
            "2026-11-20",
            "metro",
            1,
            "2026-11-20T08:00:00+08:00",
            "yct",
            f"t{n:03d}",
            64,
            "2026-11-20T09:00:00+08:00",
            None,
            keep_days=90,
        )
        for n in range(120)
    ]
    few = [
        Behaviour.of(
            "calm",
            "2026-11-20",
            "metro",
            1,
            "2026-11-20T08:00:00+08:00",
            "yct",
            "t1",
            64,
            "2026-11-20T09:00:00+08:00",
            None,
            keep_days=90,
        )
    ]
    assert day_index.index(many + few) == 2
    assert max(updates) <= day_index.PIECE and sorted(updates) == [1, 20, 50, 50]
    assert [r.source_id for r in day_index.records(_raw("busy", "2026-11-20"))] == [
        f"t{n:03d}" for n in range(120)
    ]
    assert [r.source_id for r in day_index.records(_raw("calm", "2026-11-20"))] == ["t1"]


def test_settle__a_day_still_today_sets_its_credit_on_the_index__a_day_that_ended_does_not(
    client, login, aws
):
    """/coins reads no settled day: an early run of today sets what it credited on today's index item,
    in the credit's own transaction, equal to the settled day; the run of yesterday (the nightly)
    writes nothing there, so a credit of an ended day costs no extra write."""
    from core.carbon import early
    from models.settlement import SettledDay

    h, uid = _citizen(client, login, "marked")
    today, yesterday = localday.today(), localday.yesterday()
    now = int(datetime.now().timestamp())
    body = encrypt(
        "marked",
        {
            "stepInfoList": [
                {"timestamp": now - 86400, "step": 15000},
                {"timestamp": now, "step": 18000},
            ]
        },
        aws.wechat_appid,
    )
    assert client.post("/api/v1/steps", json=body, headers=h).json == {"days_accepted": 2}
    if localday.today(datetime.now(UTC) - timedelta(hours=1)) != today:
        pytest.skip("run in the hour after midnight (Asia/Shanghai)")
    settlement_runs.run_date(aws, yesterday, workers=1)
    assert SettledDay.get(uid, yesterday).grams > 0
    assert early.settled(_raw(uid, yesterday)) is None
    assert _pending(client, h) == _from_behaviours(aws, uid) > 0
    settlement_runs.run_date(aws, today, workers=1)
    done = SettledDay.get(uid, today)
    assert early.settled(_raw(uid, today)) == (int(done.grams), done.versions) and done.grams > 0
    assert _pending(client, h) == _from_behaviours(aws, uid) == 0


def test_marks_index__today_and_the_hour_after_it__not_later():
    from core.carbon.early import marks_index

    at = datetime(2026, 11, 28, 15, 59, tzinfo=SH)
    assert marks_index("2026-11-28", at) and not marks_index("2026-11-27", at)
    assert marks_index(
        "2026-11-28", datetime(2026, 11, 29, 0, 59, tzinfo=SH)
    )  # a batch built before midnight
    assert not marks_index("2026-11-28", datetime(2026, 11, 29, 1, 1, tzinfo=SH))
    assert not marks_index("2026-11-28", datetime(2026, 11, 29, 2, 0, tzinfo=SH))  # the nightly run
