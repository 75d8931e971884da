"""The saved estimate, the ranking choice and the inbox are in the export and go with the account."""

from core import localday
from core.carbon import settlement_runs
from models.estimates import SavedEstimate
from models.inbox import InboxItem
from models.rankings import RankingItem
from tests.support.behaviours import add_behaviour


def test_export_then_delete(client, citizen, aws):
    h, uid = {"Authorization": citizen["Authorization"]}, citizen["user"]["id"]
    client.post(
        "/api/v1/footprint/estimate", json={"household_kwh_month": 200, "save": True}, headers=h
    )
    client.put("/api/v1/rankings/me", json={"listed": True, "nickname": "低碳小白"}, headers=h)
    add_behaviour(aws, uid, localday.today(), "metro", 1, "t-priv")
    settlement_runs.run_date(aws, localday.today(), workers=1)  # a credit: an inbox item
    out = client.get("/api/v1/me/export", headers=h).json
    assert (
        out["footprint_estimate"]["answers"]["household_kwh_month"] == 200
        and out["footprint_estimate"]["total_kg"]
    )
    assert out["ranking"]["listed"] is True and out["ranking"]["nickname"] == "低碳小白"
    assert [i["kind"] for i in out["inbox"]] == ["settlement_credit"]
    assert list(InboxItem.query(uid)) and list(RankingItem.query(f"choice#{uid}"))
    assert client.delete("/api/v1/me", headers=h).status_code == 204
    assert list(SavedEstimate.query(uid)) == [] and list(InboxItem.query(uid)) == []
    assert list(RankingItem.query(f"choice#{uid}")) == []
