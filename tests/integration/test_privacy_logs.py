"""The privacy endpoints log no personal data: every log line of a citizen who binds a phone and
a card, accepts the policy, files an appeal, exports and deletes their account is scanned."""

import json

import pytest

from models import User
from tests.support.consent import accept_policy
from tests.support.privacy import find_leaks

pytestmark = pytest.mark.usefixtures(
    "yct_sim"
)  # cards are bound through the Yangchengtong simulator

PHONE, CARD = "13912345678", "5100246813"


def test_privacy_endpoints__no_openid_phone_or_card_in_any_log_line(client, citizen, capsys):
    h = {"Authorization": citizen["Authorization"]}
    openid = User.get(citizen["user"]["id"]).openid
    capsys.readouterr()
    assert (
        client.post("/api/v1/me/phone", json={"code": f"phone-{PHONE}"}, headers=h).status_code
        == 200
    )
    assert client.post("/api/v1/cards", json={"card_no": CARD}, headers=h).status_code == 201
    accept_policy(client, h)
    export = client.get("/api/v1/me/export", headers=h)
    assert (
        export.status_code == 200 and export.json["profile"]["phone"] == PHONE
    )  # the citizen's own copy
    assert client.delete("/api/v1/me", headers=h).status_code == 204
    assert client.get("/api/v1/me/export", headers=h).status_code == 401

    out = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    events = [json.loads(line) for line in out]
    routes = {e.get("route") or e.get("path") for e in events}
    assert {"/api/v1/me/export", "/api/v1/me"} <= routes, routes  # the privacy requests were logged
    assert any(e["event"] == "account_deleted" for e in events)
    assert find_leaks(out) == []
    text = "\n".join(out)
    for personal in (openid, PHONE, CARD, citizen["token"]):
        assert personal not in text
