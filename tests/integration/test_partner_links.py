"""Citizen-authorised partner links, scoped partners, daily caps and secret rotation."""

from datetime import UTC, datetime, timedelta

from core.carbon import partner_admin, partners
from models.behaviours import Behaviour
from tests.integration.test_partner_push import PATH, link, rec, signed
from tests.support.consent import accept_policy


def exchange(client, pid, secret, code, ref):
    raw, h = signed(
        secret, pid, {"link_code": code, "partner_user_ref": ref}, path="/partner/v1/links"
    )
    return client.post("/partner/v1/links", data=raw, headers=h)


def code_for(client, citizen, pid):
    r = client.post("/api/v1/partner-links", json={"partner_id": pid}, headers=citizen)
    assert r.status_code == 201 and r.json["expires_at"].endswith("+08:00"), r.json
    return r.json["link_code"]


def push(client, pid, secret, records):
    raw, h = signed(secret, pid, {"records": records})
    return client.post(PATH, data=raw, headers=h)


def test_link__listed_then_removed__later_records_count_for_nobody(client, citizen, aws):
    pid, secret = partners.add_partner(aws, "单车")
    ref = link(client, citizen, pid, secret, "rider-9")
    items = client.get("/api/v1/partner-links", headers=citizen).json["items"]
    assert [(i["partner_id"], i["partner_name"]) for i in items] == [(pid, "单车")]
    assert push(client, pid, secret, [rec(ref, "a")]).json["accepted"] == 1
    assert client.delete(f"/api/v1/partner-links/{pid}", headers=citizen).status_code == 204
    assert client.get("/api/v1/partner-links", headers=citizen).json["items"] == []
    r = push(client, pid, secret, [rec(ref, "b")]).json
    assert r["accepted"] == 0 and r["rejected"] == [{"record_id": "b", "reason": "unknown_user"}]
    assert client.delete(f"/api/v1/partner-links/{pid}", headers=citizen).status_code == 404
    for odd in ("p" * 2000, "合作方"):  # ids no partner has: 404, never a key DynamoDB refuses
        assert client.delete(f"/api/v1/partner-links/{odd}", headers=citizen).status_code == 404


def test_link_code__used_once_for_its_partner_only(client, citizen, aws):
    pid, secret = partners.add_partner(aws, "bikes")
    other, other_secret = partners.add_partner(aws, "recycler", scenarios={"recycling_paper"})
    code = code_for(client, citizen, pid)
    assert (
        exchange(client, other, other_secret, code, "x").json["error"]["code"]
        == "link_code_invalid"
    )
    first = exchange(client, pid, secret, code, "r1")
    assert first.status_code == 201
    assert (
        exchange(client, pid, secret, code, "r1").json == first.json
    )  # a retried exchange: same answer
    again = exchange(client, pid, secret, code, "r2")  # a used code links nothing else
    assert again.status_code == 422 and again.json["error"]["code"] == "link_code_invalid"
    assert exchange(client, pid, secret, "NOSUCHCODE", "r3").status_code == 422
    assert (
        client.post(
            "/api/v1/partner-links", json={"partner_id": "p_nope"}, headers=citizen
        ).status_code
        == 404
    )


def test_link_code__expired__refused(client, citizen, aws):
    from core.carbon.links import _hash
    from models.links import LinkCode

    pid, secret = partners.add_partner(aws, "bikes")
    code = code_for(client, citizen, pid)
    LinkCode(_hash(code)).update(
        actions=[LinkCode.expires_at.set((datetime.now(UTC) - timedelta(seconds=1)).isoformat())]
    )
    assert exchange(client, pid, secret, code, "r1").json["error"]["code"] == "link_code_invalid"


def test_relink__replaces_the_citizens_earlier_ref(client, citizen, aws):
    pid, secret = partners.add_partner(aws, "bikes")
    link(client, citizen, pid, secret, "old-ref")
    link(client, citizen, pid, secret, "new-ref")
    r = push(client, pid, secret, [rec("old-ref", "a"), rec("new-ref", "b")]).json
    assert r["accepted"] == 1 and r["rejected"] == [{"record_id": "a", "reason": "unknown_user"}]
    assert len(client.get("/api/v1/partner-links", headers=citizen).json["items"]) == 1


def test_daily_cap__records_beyond_it_rejected_and_duplicates_take_no_room(client, citizen, aws):
    pid, secret = partners.add_partner(aws, "bikes", daily_cap=3)
    ref = link(client, citizen, pid, secret)
    assert push(client, pid, secret, [rec(ref, "a"), rec(ref, "b")]).json["accepted"] == 2
    r = push(client, pid, secret, [rec(ref, "a"), rec(ref, "c"), rec(ref, "d")]).json
    assert (r["accepted"], r["duplicates"]) == (1, 1)
    assert r["rejected"] == [{"record_id": "d", "reason": "daily_cap_reached"}]
    assert Behaviour.count() == 3


def test_secret_rotation__both_work_until_the_old_one_is_retired(client, citizen, aws):
    pid, old = partners.add_partner(aws, "bikes")
    ref = link(client, citizen, pid, old)
    new = partner_admin.rotate_secret(aws, pid, by="ops-a")
    assert push(client, pid, old, [rec(ref, "a")]).status_code == 200
    assert push(client, pid, new, [rec(ref, "b")]).status_code == 200
    partner_admin.retire_previous_secret(pid, by="ops-a")
    assert push(client, pid, old, [rec(ref, "c")]).status_code == 401
    assert push(client, pid, new, [rec(ref, "d")]).status_code == 200


def test_partner_scope__scenarios_checked_against_behaviour_registry():
    import pytest

    from core.carbon.methodologies import Registry

    assert partner_admin.check_scenarios(["bike", " recycling_paper"], Registry()) == {
        "bike",
        "recycling_paper",
    }
    for bad in (["teleport"], ["project_pv"], [""]):
        with pytest.raises(ValueError):
            partner_admin.check_scenarios(bad, Registry())


def _consented_code(client, login, pid):
    token, _ = login()
    who = {"Authorization": f"Bearer {token}"}
    accept_policy(client, who)
    return who, code_for(client, who, pid)


def _links_of(client, who):
    return [
        (i["partner_id"], i["linked_at"])
        for i in client.get("/api/v1/partner-links", headers=who).json["items"]
    ]


def test_link__ref_held_by_another_citizen__409_nothing_changed(client, login, aws):
    from core.carbon import links

    pid, secret = partners.add_partner(aws, "bikes")
    a, code_a = _consented_code(client, login, pid)
    b, code_b = _consented_code(client, login, pid)
    first = exchange(client, pid, secret, code_a, "rider-7")
    assert first.status_code == 201
    taken = exchange(client, pid, secret, code_b, "rider-7")
    assert taken.status_code == 409 and taken.json["error"]["code"] == "partner_ref_taken", (
        taken.json
    )
    assert "另一位市民" in taken.json["error"]["message"]
    assert (
        links.resolve(pid, "rider-7") == client.get("/api/v1/me", headers=a).json["id"]
    )  # still A's
    assert _links_of(client, b) == []
    assert (
        push(client, pid, secret, [rec("rider-7", "after")]).json["accepted"] == 1
    )  # credits A, as before
    # B's code was not used up by the refused exchange: it still links B under a free ref.
    assert exchange(client, pid, secret, code_b, "rider-8").status_code == 201
    assert links.resolve(pid, "rider-8") == client.get("/api/v1/me", headers=b).json["id"]
    # A's own retry and a new code of A for the same ref are no conflict.
    assert exchange(client, pid, secret, code_a, "rider-7").json == first.json
    assert exchange(client, pid, secret, code_for(client, a, pid), "rider-7").status_code == 201


def test_link__two_citizens_race_for_one_ref__one_wins_the_other_409(
    client, login, aws, monkeypatch
):
    """B's exchange commits between A's read of its code and A's transaction (two containers)."""
    from core.carbon import links

    pid, secret = partners.add_partner(aws, "bikes")
    a, code_a = _consented_code(client, login, pid)
    b, code_b = _consented_code(client, login, pid)
    real, ran = links.TransactWrite, []

    class Interleaved(real):
        def __enter__(self):
            if not ran:
                ran.append("B")
                ran.append(links.exchange(pid, code_b, "rider-1"))  # the other container's exchange
            return super().__enter__()

    monkeypatch.setattr(links, "TransactWrite", Interleaved)
    lost = exchange(client, pid, secret, code_a, "rider-1")
    assert ran[1]["partner_user_ref"] == "rider-1"
    assert lost.status_code == 409 and lost.json["error"]["code"] == "partner_ref_taken"
    assert links.resolve(pid, "rider-1") == client.get("/api/v1/me", headers=b).json["id"]
    assert _links_of(client, a) == [] and len(_links_of(client, b)) == 1
    from models.links import LinkCode

    assert LinkCode.get(links._hash(code_a)).used_at is None  # A's code untouched: nothing changed


def test_demo_partner__seeded_link__a_push_for_demo_rider_is_accepted(client, aws):
    """`make run`'s demo data works out of the box: the demo citizen's link and consent are seeded."""
    from infra.seeds import citizens as seed_citizens
    from infra.seeds import partners as seed_partners

    seed_citizens.seed(aws)
    for _ in range(2):  # re-seeding changes nothing
        seed_partners.seed(aws)
    r = push(
        client,
        seed_partners.DEMO_ID,
        seed_partners.DEMO_SECRET,
        [rec(seed_partners.DEMO_REF, "demo-1")],
    )
    assert r.status_code == 200 and r.json["accepted"] == 1 and r.json["rejected"] == [], r.json
