"""PHCER batches: numbered, each reading in one batch, byte-identical export, sale, feedback."""

import threading

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from core.books import yuan
from core.books.platform import trial_balance
from core.books.shares import largest_remainder
from core.enterprise import feedback, orgs, phcer, phcer_export, policy, sale, views
from core.enterprise.phcer import get_batch
from core.enterprise.phcer_sale import AlreadySold, record_sale
from models import Account
from models.phcer import PhcerCitizenBatch
from tests.integration.test_orgs import day, owner_code, readings


@pytest.fixture
def org(aws, client):
    org_id, key = orgs.add_org("绿能", ["pv"], by="ops-test")
    return {"id": org_id, "auth": {"Authorization": f"Bearer {key}"}}


def project(client, org, pid, citizen=None):
    body = {"project_id": pid, "type": "pv"}
    if citizen:
        body["owner_link_code"] = owner_code(client, citizen, org["id"])
    assert client.post("/org/v1/projects", json=body, headers=org["auth"]).status_code == 201


def test_batch__numbered_sealed_and_second_batch_takes_nothing_batched(client, citizen, org):
    project(client, org, "roof-a", citizen)
    readings(
        client,
        org,
        ("r1", "roof-a", day(40), day(31), 100),
        ("r2", "roof-a", day(30), day(21), 200),
    )
    b1 = phcer.make_batch(org["id"], day(60), day(0), by="ops-a")
    assert (b1.batch_id, b1.status, int(b1.lines), int(b1.grams)) == (
        f"{org['id']}-b0001",
        "sealed",
        2,
        116070,
    )
    assert b1.totals[0]["methodology"] == "project_pv" and b1.totals[0]["version"] == "1"
    first = phcer_export.export_csv(b1.batch_id)
    readings(client, org, ("r3", "roof-a", day(20), day(11), 10))
    b2 = phcer.make_batch(org["id"], day(60), day(0), by="ops-a")
    assert (b2.batch_id, int(b2.lines), int(b2.grams)) == (f"{org['id']}-b0002", 1, 3869)
    assert phcer_export.export_csv(b1.batch_id) == first  # nothing of b1 changed when b2 was made
    assert "roof-a,r1," in first and "0.116070" in first and "roof-a,r3" not in first


def confirmation(
    tonnes="0.1", price="60.00", fees="3.00", ref="GZ-T-1", trade_date=None
) -> sale.Confirmation:
    from decimal import ROUND_HALF_UP, Decimal

    gross = (Decimal(tonnes) * Decimal(price)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return sale.parse(
        {
            "trade_ref": ref,
            "trade_date": trade_date or day(0),
            "tonnes": tonnes,
            "price_yuan_per_tonne": price,
            "gross_yuan": str(gross),
            "fees_yuan": fees,
        }
    )


def test_empty_batch__refused_not_sealed_and_its_number_free_again(client, citizen, org):
    with pytest.raises(phcer.BatchEmpty):
        phcer.make_batch(org["id"], day(60), day(0), by="ops-a")
    assert views.list_batches(org["id"]) == []
    project(client, org, "roof-e", citizen)
    readings(client, org, ("e1", "roof-e", day(9), day(2), 100))
    assert phcer.make_batch(org["id"], day(60), day(0), by="ops-a").batch_id == f"{org['id']}-b0001"
    with pytest.raises(
        phcer.BatchEmpty
    ):  # the same period again: everything in it is batched already
        phcer.make_batch(org["id"], day(60), day(0), by="ops-a")
    assert [b["status"] for b in views.list_batches(org["id"])] == ["sealed"]


def test_sale__checked_against_the_batch_stored_once(client, citizen, org):
    project(client, org, "roof-s", citizen)
    readings(client, org, ("s1", "roof-s", day(9), day(2), 1000))  # 386,900 g = 0.3869 t
    b = phcer.make_batch(org["id"], day(30), day(0), by="ops-a")
    with pytest.raises(sale.SaleRefused, match="0.3869"):
        record_sale(b.batch_id, confirmation(tonnes="0.4"), by="ops-b")  # more than certified
    with pytest.raises(sale.SaleRefused):
        record_sale(b.batch_id, confirmation(trade_date=day(-1)), by="ops-b")  # in the future
    assert get_batch(b.batch_id).status == "sealed" and yuan.trial_balance()["accounts"] == {}
    sold, changed = record_sale(b.batch_id, confirmation(tonnes="0.3869"), by="ops-b")
    assert (
        changed and sold.status == "sold" and sold.sale["net_yuan"] == "20.21"
    )  # 0.3869 x 60 = 23.214 -> 23.21
    assert (
        record_sale(b.batch_id, confirmation(tonnes="0.3869"), by="ops-b")[1] is False
    )  # the same again
    with pytest.raises(AlreadySold):
        record_sale(
            b.batch_id, confirmation(tonnes="0.1", ref="GZ-T-2"), by="ops-b"
        )  # a second sale
    assert get_batch(b.batch_id).sale == sold.sale
    assert yuan.trial_balance() == {
        "accounts": {"exchange:fees": 300, "exchange:gross": -2321, "proceeds:kept": 2021},
        "received": 2021,
        "returned": 0,
        "kept": 2021,
        "total": 0,
    }


@pytest.mark.parametrize(
    "raw",
    [
        {
            "trade_ref": "x",
            "trade_date": "2026-01-01",
            "tonnes": "1.2",
            "price_yuan_per_tonne": "60.00",
            "gross_yuan": "72.01",
            "fees_yuan": "3.00",
        },  # gross is not tonnes x price
        {
            "trade_ref": "x",
            "trade_date": "2026-01-01",
            "tonnes": 1.2,
            "price_yuan_per_tonne": "60.00",
            "gross_yuan": "72.00",
            "fees_yuan": "3.00",
        },  # a float
        {
            "trade_ref": "x",
            "trade_date": "2026-01-01",
            "tonnes": "1.2",
            "price_yuan_per_tonne": "60",
            "gross_yuan": "72.00",
            "fees_yuan": "3.00",
        },  # yuan without 2 places
        {
            "trade_ref": "x",
            "trade_date": "2026-02-30",
            "tonnes": "1.2",
            "price_yuan_per_tonne": "60.00",
            "gross_yuan": "72.00",
            "fees_yuan": "3.00",
        },
        {
            "trade_ref": "x",
            "trade_date": "2026-01-01",
            "tonnes": "1.2",
            "price_yuan_per_tonne": "60.00",
            "gross_yuan": "72.00",
            "fees_yuan": "72.00",
        },  # nothing left
        {
            "trade_ref": "x",
            "trade_date": "2026-01-01",
            "tonnes": "1.2",
            "price_yuan_per_tonne": "60.00",
            "gross_yuan": "72.00",
        },
    ],
)
def test_confirmation__malformed_refused_with_a_chinese_reason(raw):
    with pytest.raises(sale.SaleRefused) as e:
        sale.parse(raw)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in e.value.message_zh)


def test_sold_then_feedback__policy_coins_exact_shares_once(client, login, org):
    owners = []
    for i, kwh in enumerate((1000, 2000, 370)):
        token, user = login()
        cit = {"Authorization": f"Bearer {token}"}
        project(client, org, f"roof-{i}", cit)
        readings(client, org, (f"m{i}", f"roof-{i}", day(9), day(2), kwh))
        owners.append(user["id"])
    project(client, org, "roof-nobody")
    readings(client, org, ("mx", "roof-nobody", day(9), day(2), 500))
    b = phcer.make_batch(org["id"], day(30), day(0), by="ops-a")
    with pytest.raises(phcer.BatchState):
        feedback.feedback(b.batch_id, by="ops-a")  # not sold yet
    record_sale(b.batch_id, confirmation(tonnes="1.2"), by="ops-b")  # 72.00 - 3.00 = 69.00 net
    policy.publish(
        "0.8", "100", "a later decision", day(-1), by="ops-p"
    )  # from tomorrow: not for today's sale
    first = feedback.feedback(b.batch_id, by="ops-c")
    grams = {u: int(k * 3869 // 10) for u, k in zip(owners, (1000, 2000, 370))}
    assert (
        first["coins"] == 345
    )  # floor(69.00 x 0.5 x 10), the default policy in force on the trade date
    assert first["shares"] == largest_remainder(345, grams) and sum(first["shares"].values()) == 345
    assert first["coins_now"] == 345 and first["returned_yuan"] == "34.50"
    again = feedback.feedback(b.batch_id, by="ops-c")
    assert (
        again["coins_now"] == 0
        and again["shares"] == first["shares"]
        and get_batch(b.batch_id).status == "fed_back"
    )
    assert [int(Account.get(u).balance) for u in owners] == [first["shares"][u] for u in owners]
    # Double entry in coins and in yuan: the books balance.
    tb = trial_balance()
    assert tb["platform"] == {"feedback:phcer": -345} and tb["citizens"] == 345 and tb["total"] == 0
    yb = yuan.trial_balance()
    assert (yb["received"], yb["returned"], yb["kept"], yb["total"]) == (6900, 3450, 3450, 0)
    mine = PhcerCitizenBatch.get(owners[1], b.batch_id)
    assert (int(mine.grams), int(mine.feedback_coins)) == (
        grams[owners[1]],
        first["shares"][owners[1]],
    )


def test_policy__refused_unless_after_today_with_a_source_and_in_range(aws):
    for args in (
        ("0.5", "10", "src", day(0)),
        ("0", "10", "src", day(-2)),
        ("1.5", "10", "src", day(-2)),
        ("0.5", "0", "src", day(-2)),
        ("0.5", "10", " ", day(-2)),
        ("x", "10", "src", day(-2)),
    ):
        with pytest.raises(policy.PolicyRefused):
            policy.publish(*args, by="ops-p")
    policy.publish("0.6", "8", "董事会决议 2026-12", day(-3), by="ops-p")
    with pytest.raises(policy.PolicyExists):
        policy.publish("0.7", "8", "again", day(-3), by="ops-p")
    assert policy.in_force(day(0)) == policy.DEFAULT
    assert (policy.in_force(day(-3)).share, policy.in_force(day(-30)).coins_per_yuan) == (
        "0.6",
        "8",
    )


def sold_batch(name: str, citizens: int = 5) -> str:
    """A sold batch of `citizens` projects, each owned by its own citizen u0, u1, ..."""
    from core.carbon.methodologies import Registry
    from core.enterprise import readings as rd
    from models.links import PartnerLink

    org_id, _ = orgs.add_org(name, ["pv"], by="ops-test")
    o = orgs.get_org(org_id)
    for p in range(citizens):
        orgs.register_project(o, f"p{p}", "pv")
        PartnerLink(org_id, f"p{p}", user_id=f"u{p}", linked_at="2026-01-01T00:00:00+00:00").save()
    rows = [
        {
            "reading_id": f"r{p}",
            "project_id": f"p{p}",
            "period_start": day(9),
            "period_end": day(2),
            "quantity": str(700 + 300 * p),
        }
        for p in range(citizens)
    ]
    assert rd.submit(o, rows, Registry())["accepted"] == citizens
    b = phcer.make_batch(org_id, day(30), day(0), by="ops-test")
    record_sale(b.batch_id, confirmation(tonnes="1.2"), by="ops-test")
    return b.batch_id


def test_feedback_runs_at_once__each_citizen_credited_once(endpoint_aws):
    bid = sold_batch("并发回馈")
    results, errors = [], []

    def run():
        try:
            results.append(feedback.feedback(bid, by="ops-race"))
        except Exception as e:  # surfaced below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(3)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors and sum(r["coins_now"] for r in results) == 345
    assert sum(int(Account.get(f"u{p}").balance) for p in range(5)) == 345
    assert yuan.trial_balance()["returned"] == 3450


def test_two_batch_runs_at_once__every_reading_in_exactly_one_batch(endpoint_aws):
    from models.orgs import Reading
    from models.phcer import PhcerLine

    org_id, _ = orgs.add_org("并发", ["pv"], by="ops-test")
    o = orgs.get_org(org_id)
    for p in range(4):
        orgs.register_project(o, f"p{p}", "pv")
    from core.carbon.methodologies import Registry
    from core.enterprise import readings as rd

    rows = [
        {
            "reading_id": f"r{p}-{k}",
            "project_id": f"p{p}",
            "period_start": day(60 - 3 * k),
            "period_end": day(58 - 3 * k),
            "quantity": "10",
        }
        for p in range(4)
        for k in range(8)
    ]
    assert rd.submit(o, rows, Registry())["accepted"] == 32
    made, errors = [], []

    def run():
        try:
            made.append(phcer.make_batch(org_id, day(90), day(0), by="ops-race"))
        except phcer.BatchEmpty:
            pass  # the other run took every reading: this one is refused, not sealed empty
        except Exception as e:  # surfaced below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors and 1 <= len(made) <= 2 and len({b.batch_no for b in made}) == len(made)
    lines = {b.batch_id: [ln.reading_id for ln in PhcerLine.query(b.batch_id)] for b in made}
    taken = [r for ids in lines.values() for r in ids]
    assert sorted(taken) == sorted(r["reading_id"] for r in rows)  # each reading exactly once
    assert all(int(b.lines) == len(lines[b.batch_id]) for b in made)
    assert {r.reading_id: r.batch_id for r in Reading.scan()} == {
        rid: bid for bid, ids in lines.items() for rid in ids
    }


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_field = st.one_of(
    _json,
    st.from_regex(r"-?[0-9]{1,14}(\.[0-9]{0,8})?", fullmatch=True),
    st.dates().map(str),
    st.sampled_from(["2026-W01-1", "20260101", "2026-1-01"]),
    st.text(alphabet="0123456789.-+e１２", max_size=12),
)


@hsettings(max_examples=300, deadline=None)
@given(st.one_of(_json, st.fixed_dictionaries({f: _field for f in sale.FIELDS})))
def test_confirmation__any_json__a_checked_sale_or_a_refusal_never_a_crash(raw):
    try:
        c = sale.parse(raw)
    except sale.SaleRefused as e:
        assert e.message_zh and e.http_status == 422
        return
    assert (
        c.tonnes > 0 and 0 <= c.fees_fen < c.gross_fen and c.net_fen > 0
    )  # what a stored sale may rely on


@hsettings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_batch_ids__anything_unknown_is_not_found(aws, bid):
    try:
        phcer.get_batch(bid)
    except phcer.BatchNotFound:
        return
    raise AssertionError(f"{bid!r} found")


@given(st.sampled_from(["2026-W01-1", "20260101", "2026-1-01", "２０２６-01-01"]))
def test_confirmation__trade_date_only_as_yyyy_mm_dd(text):
    raw = {
        "trade_ref": "x",
        "trade_date": text,
        "tonnes": "1",
        "price_yuan_per_tonne": "1.00",
        "gross_yuan": "1.00",
        "fees_yuan": "0.00",
    }
    with pytest.raises(sale.SaleRefused):
        sale.parse(raw)


def test_org_batches__paged_as_every_list(client, org, aws):
    """API.md Conventions, Lists: `?limit=` (1..100, default 20), `?cursor=`, `next_cursor`."""
    from models.phcer import PhcerBatch

    for n in range(1, 24):  # the listing's input, as making them would leave it (sealed)
        PhcerBatch(
            org["id"],
            n,
            batch_id=f"{org['id']}-b{n:04d}",
            period_from=day(60),
            period_to=day(31),
            status="sealed",
            lines=1,
            grams=1000,
            created_at="2026-12-01T00:00:00+00:00",
            created_by="ops-test",
        ).save()
    first = client.get("/org/v1/batches", headers=org["auth"]).json
    assert [b["number"] for b in first["items"]] == list(range(1, 21)) and first["next_cursor"]
    rest = client.get(
        "/org/v1/batches", query_string={"cursor": first["next_cursor"]}, headers=org["auth"]
    ).json
    assert [b["number"] for b in rest["items"]] == [21, 22, 23] and rest["next_cursor"] is None
    other_id, other_key = orgs.add_org("别家", ["pv"], by="ops-test")
    theirs = client.get(
        "/org/v1/batches",
        query_string={"cursor": first["next_cursor"]},
        headers={"Authorization": f"Bearer {other_key}"},
    )
    assert theirs.status_code == 422  # another organisation's cursor pages nothing of theirs
    for bad in ({"limit": 0}, {"limit": 101}, {"cursor": "abc"}):
        r = client.get("/org/v1/batches", query_string=bad, headers=org["auth"])
        assert r.status_code == 422 and r.json["error"]["code"] == "invalid_request", bad
