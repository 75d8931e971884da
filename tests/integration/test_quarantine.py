"""A stored record that breaks a rule at settlement is quarantined: logged, counted, listed,
and it never stops its unit nor breaks the citizen's coins."""

from datetime import datetime, timedelta, timezone

from core.carbon import settlement_runs
from models import Account
from models.behaviours import shard_of
from tests.support.behaviours import add_behaviour
from tests.support.cli import run_cli

D = "2026-11-23"


def test_poisoned_record__quarantined_and_the_rest_of_its_unit_credited(aws, capsys):
    # Same shard: u1's poisoned ride and good trip, and another user of that shard.
    other = next(
        u
        for u in (f"v{i}" for i in range(5000))
        if shard_of(u, aws.settle_shards) == shard_of("u1", aws.settle_shards)
    )
    add_behaviour(aws, "u1", D, "bike", 3, "poison", facts={"duration_s": "10 min"})
    add_behaviour(aws, "u1", D, "metro", 1, "t1")
    add_behaviour(aws, other, D, "bus", 1, "t2")
    summary = settlement_runs.run_date(aws, D, workers=1)
    assert summary["failed_shards"] == [] and summary["quarantined"] == 1
    assert Account.get("u1").grams_total == 515 and Account.get(other).grams_total == 212
    # A re-run quarantines the same record again without listing it twice or failing.
    assert settlement_runs.run_date(aws, D, workers=1)["failed_shards"] == []
    code, out = run_cli(capsys, "quarantine", "list", "--date", D)
    assert code == 0 and out.count("source_id=poison") == 1 and "reason=invalid_facts" in out
    assert run_cli(capsys, "quarantine", "list")[1].count("source_id=poison") == 1


def test_poisoned_record_today__coins_endpoint_still_answers(client, citizen, aws):
    uid = citizen["user"]["id"]
    today = datetime.now(timezone(timedelta(hours=8))).date().isoformat()
    add_behaviour(aws, uid, today, "bike", 3, "poison", at="00:01", facts={"duration_s": "10 min"})
    add_behaviour(aws, uid, today, "metro", 1, "t1", at="00:02")
    r = client.get("/api/v1/coins", headers={"Authorization": citizen["Authorization"]})
    assert r.status_code == 200 and r.json["pending_grams_today"] == 515


def test_quarantined_record__logged_with_its_reason_and_no_personal_data(aws, capsys):
    add_behaviour(aws, "u1", D, "metro", 3, "three-trips-in-one")  # a trip record is one trip
    capsys.readouterr()
    settlement_runs.run_date(aws, D, workers=1)
    lines = [
        line for line in capsys.readouterr().out.splitlines() if '"record_quarantined"' in line
    ]
    assert (
        len(lines) == 1
        and '"reason":"quantity_out_of_range"' in lines[0]
        and '"u1"' not in lines[0]
    )
