"""`tanpuhui cards backfill`: cards unbound before the user item kept its card hashes reach the export."""

import pytest

from models import User
from tests.support.cli import run_cli_streams

pytestmark = pytest.mark.usefixtures("yct_sim")  # cards are bound through Yangchengtong
OLD, NOW = "4000000021", "4000000022"


def _as_before_card_hashes(user_id: str) -> None:
    """The user item as it was before binds added to card_hashes."""
    User(user_id).update(actions=[User.card_hashes.remove()])


def test_backfill__an_unbound_card_of_before__in_the_export_again__idempotent(
    aws, client, login, capsys
):
    token, user = login("old-binder")
    h = {"Authorization": f"Bearer {token}"}
    old = client.post("/api/v1/cards", json={"card_no": OLD}, headers=h).json
    assert client.delete(f"/api/v1/cards/{old['id']}", headers=h).status_code == 204
    assert client.post("/api/v1/cards", json={"card_no": NOW}, headers=h).status_code == 201
    _as_before_card_hashes(user["id"])
    before = client.get("/api/v1/me/export", headers=h).json["card_bindings"]
    assert old["id"] not in [b["card_id"] for b in before] and len(before) == 1  # the old one lost

    code, out, err = run_cli_streams(capsys, "cards", "backfill")
    assert code == 0 and "cards=2" in out and "users_updated=2" in out, err
    after = client.get("/api/v1/me/export", headers=h).json["card_bindings"]
    assert [(b["card_id"], b["masked_no"]) for b in after][0] == (old["id"], "40****0021")
    assert len(after) == 2 and after[1]["unbound_at"] is None

    again = run_cli_streams(capsys, "cards", "backfill")
    assert (
        again[0] == 0 and client.get("/api/v1/me/export", headers=h).json["card_bindings"] == after
    )


def test_backfill__an_erased_citizens_periods__no_user_item_made_for_them(
    aws, client, login, capsys
):
    token, user = login("gone-binder")
    h = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/v1/cards", json={"card_no": OLD}, headers=h).status_code == 201
    assert client.delete("/api/v1/me", headers=h).status_code == 204
    code, out, _ = run_cli_streams(capsys, "cards", "backfill")
    assert code == 0 and "users_gone=1" in out and "users_updated=0" in out
    with pytest.raises(User.DoesNotExist):
        User.get(user["id"])
