"""Tokens carry the user's generation: logout everywhere and a deleted user refuse them at once."""

import time

import pytest

from core.citizens import tokens, users

pytestmark = pytest.mark.usefixtures(
    "yct_sim"
)  # binding a card asks Yangchengtong whether it exists

ROUTES = [
    ("GET", "/api/v1/me", None),
    ("GET", "/api/v1/coins", None),
    ("GET", "/api/v1/coins/ledger", None),
    ("GET", "/api/v1/cards", None),
    ("POST", "/api/v1/cards", {"card_no": "5100001234"}),
    ("GET", "/api/v1/orders", None),
    ("POST", "/api/v1/orders", {"product_id": "p_x"}),
    ("GET", "/api/v1/me/subscriptions", None),
    ("POST", "/api/v1/me/phone", {"code": "phone-13800001111"}),
    ("POST", "/api/v1/steps", {"encrypted_data": "x", "iv": "y"}),
    ("POST", "/api/v1/auth/logout_all", None),
]


def _refused_everywhere(client, headers):
    for method, path, body in ROUTES:
        r = client.open(path, method=method, json=body, headers=headers)
        assert (r.status_code, r.json["error"]["code"]) == (401, "unauthorized"), (path, r.json)


def test_logout_all__every_earlier_token_401_everywhere__new_login_works(client, login):
    token1, user = login("gina")
    token2, _ = login("gina")
    h1, h2 = {"Authorization": f"Bearer {token1}"}, {"Authorization": f"Bearer {token2}"}
    assert client.get("/api/v1/me", headers=h1).status_code == 200
    r = client.post("/api/v1/auth/logout_all", headers=h2)
    assert r.status_code == 204 and r.data == b""
    _refused_everywhere(client, h1)
    _refused_everywhere(client, h2)
    token3, again = login("gina")
    assert again["id"] == user["id"]
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {token3}"}).status_code == 200
    )


def test_deleted_user__token_401_on_every_endpoint(client, citizen, aws):
    from models import User

    assert (
        client.get("/api/v1/me", headers={"Authorization": citizen["Authorization"]}).status_code
        == 200
    )
    User(citizen["user"]["id"]).delete()
    _refused_everywhere(client, {"Authorization": citizen["Authorization"]})


def test_user_recreated_after_deletion__old_tokens_still_refused(client, login, aws):
    from models import User

    old, user = login("hana")
    User(user["id"]).delete()
    new, again = login("hana")
    assert again["id"] != user["id"]  # a new random id: the gone user's tokens name another
    old_only = tokens.issue(aws.token_secret, user["id"], int(time.time()), 60, gen=0)
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {old_only}"}).status_code == 401
    )
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {new}"}).status_code == 200
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {old}"}).status_code == 401


def test_revoke_tokens__core_function__refuses_tokens_issued_before(client, login, aws):
    token, user = login()
    assert users.authenticate(aws, f"Bearer {token}") == user["id"]
    users.revoke_tokens(user["id"])
    with pytest.raises(users.Unauthorized):
        users.authenticate(aws, f"Bearer {token}")
    users.revoke_tokens("u_nobody")  # no such user: nothing to refuse, nothing written
    from models import User

    with pytest.raises(User.DoesNotExist):
        User.get("u_nobody")


def test_token_with_a_guessed_generation__401(client, citizen, aws):
    forged = tokens.issue(
        aws.token_secret + "x", citizen["user"]["id"], int(time.time()), 60, gen=0
    )
    stale = tokens.issue(aws.token_secret, citizen["user"]["id"], int(time.time()), 60, gen=0)
    for t in (forged, stale):
        assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {t}"}).status_code == 401
