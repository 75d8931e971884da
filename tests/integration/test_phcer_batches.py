"""PHCER batches: numbered, each reading in one batch, byte-identical export, sale, feedback."""
import threading

import pytest

from core.enterprise import feedback, phcer, phcer_export
from core.books.platform import trial_balance
from core.books.shares import largest_remainder
from core.enterprise import orgs
from models import Account
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
    readings(client, org, ("r1", "roof-a", day(40), day(31), 100), ("r2", "roof-a", day(30), day(21), 200))
    b1 = phcer.make_batch(org["id"], day(60), day(0), by="ops-a")
    assert (b1.batch_id, b1.status, int(b1.lines), int(b1.grams)) == (f"{org['id']}-b0001", "sealed", 2, 116070)
    assert b1.totals[0]["methodology"] == "project_pv" and b1.totals[0]["version"] == "1"
    first = phcer_export.export_csv(b1.batch_id)
    readings(client, org, ("r3", "roof-a", day(20), day(11), 10))
    b2 = phcer.make_batch(org["id"], day(60), day(0), by="ops-a")
    assert (b2.batch_id, int(b2.lines), int(b2.grams)) == (f"{org['id']}-b0002", 1, 3869)
    assert phcer_export.export_csv(b1.batch_id) == first  # nothing of b1 changed when b2 was made
    assert "roof-a,r1," in first and "0.116070" in first and "roof-a,r3" not in first


def test_sold_then_feedback__exact_shares_once(client, login, org):
    owners = []
    for i, kwh in enumerate((100, 200, 37)):
        token, user = login()
        cit = {"Authorization": f"Bearer {token}"}
        project(client, org, f"roof-{i}", cit)
        readings(client, org, (f"m{i}", f"roof-{i}", day(9), day(2), kwh))
        owners.append(user["id"])
    project(client, org, "roof-nobody")
    readings(client, org, ("mx", "roof-nobody", day(9), day(2), 50))
    b = phcer.make_batch(org["id"], day(30), day(0), by="ops-a")
    with pytest.raises(phcer.BatchState):
        feedback.feedback(b.batch_id, 100, by="ops-a")  # not sold yet
    phcer.mark_sold(b.batch_id, phcer.Decimal("23.40"), by="ops-b")
    assert phcer.mark_sold(b.batch_id, phcer.Decimal("23.40"), by="ops-b")[1] is False
    first = feedback.feedback(b.batch_id, 100, by="ops-c")
    grams = {u: int(k * 3869 // 10) for u, k in zip(owners, (100, 200, 37))}
    assert first["shares"] == largest_remainder(100, grams) and sum(first["shares"].values()) == 100
    assert first["coins_now"] == 100
    again = feedback.feedback(b.batch_id, 100, by="ops-c")
    assert again["coins_now"] == 0 and again["shares"] == first["shares"]
    with pytest.raises(phcer.BatchState):
        feedback.feedback(b.batch_id, 120, by="ops-c")  # the amount is fixed by the first run
    assert [int(Account.get(u).balance) for u in owners] == [first["shares"][u] for u in owners]
    # Double entry: the 100 coins came from the platform's PHCER feedback account; the books balance.
    tb = trial_balance()
    assert tb["platform"] == {"feedback:phcer": -100} and tb["citizens"] == 100 and tb["total"] == 0


def test_two_batch_runs_at_once__every_reading_in_exactly_one_batch(endpoint_aws):
    from models.orgs import Reading
    from models.phcer import PhcerLine

    org_id, _ = orgs.add_org("并发", ["pv"], by="ops-test")
    o = orgs.get_org(org_id)
    for p in range(4):
        orgs.register_project(o, f"p{p}", "pv")
    from core.enterprise import readings as rd
    from core.carbon.methodologies import Registry

    rows = [{"reading_id": f"r{p}-{k}", "project_id": f"p{p}", "period_start": day(60 - 3 * k),
             "period_end": day(58 - 3 * k), "quantity": "10"} for p in range(4) for k in range(8)]
    assert rd.submit(o, rows, Registry())["accepted"] == 32
    made, errors = [], []

    def run():
        try:
            made.append(phcer.make_batch(org_id, day(90), day(0), by="ops-race"))
        except Exception as e:  # surfaced below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors and sorted(b.batch_no for b in made) == [1, 2]
    lines = {b.batch_id: [ln.reading_id for ln in PhcerLine.query(b.batch_id)] for b in made}
    taken = [r for ids in lines.values() for r in ids]
    assert sorted(taken) == sorted(r["reading_id"] for r in rows)  # each reading exactly once
    assert all(int(b.lines) == len(lines[b.batch_id]) for b in made)
    assert {r.reading_id: r.batch_id for r in Reading.scan()} == {rid: bid for bid, ids in lines.items() for rid in ids}
