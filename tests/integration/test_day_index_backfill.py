"""Deploy day: behaviours stored before the day index existed are in no index item, so GET
/api/v1/coins reads a low pending figure until the backfill indexes them from the behaviours."""

from datetime import datetime

import pytest
from click.testing import CliRunner

from core import localday
from core.carbon import behaviours, day_index, day_index_backfill, intake, partners, trips
from models.behaviours import Behaviour, shard_of
from models.day_records import DayRecords
from tests.integration.test_coins_one_read import (
    _at,
    _citizen,
    _from_behaviours,
    _pending,
    _raw,
    _steps,
    _trip_file,
)
from tests.integration.test_partner_push import link, rec, signed

pytestmark = pytest.mark.usefixtures("yct_sim")
DAY = "2026-11-20"


def _forget_the_index():
    """What deploy day finds: the behaviours are stored, the index never heard of them."""
    for d in DayRecords.scan():
        d.delete()


def _busy_day(client, login, aws, name):
    """A citizen's day through the real paths: a trip file chunk, two WeRun uploads, a partner record."""
    h, uid = _citizen(client, login, name)
    trips.ingest_lines(aws, _trip_file("4000000777"))
    _steps(client, aws, h, name, 6000)
    pid, secret = partners.add_partner(aws, "bikes")
    raw, hd = signed(
        secret,
        pid,
        {
            "records": [
                rec(link(client, h, pid, secret), "r1", when=datetime.fromisoformat(_at(30)))
            ]
        },
    )
    assert client.post("/partner/v1/behaviours", data=raw, headers=hd).json["accepted"] == 1
    return h, uid


def test_backfill__records_stored_before_the_index__pending_exact_again_and_a_rerun_changes_nothing(
    client, login, aws
):
    h, uid = _busy_day(client, login, aws, "early")
    as_written = _raw(uid, localday.today())  # the item the writers made
    _forget_the_index()
    expected = _from_behaviours(aws, uid)
    assert _pending(client, h) < expected  # deploy day: the figure reads low

    counts = day_index_backfill.backfill(aws, localday.today())
    assert counts == {
        "date": localday.today(),
        "units": aws.settle_shards,
        "behaviours": 14,
        "user_days": 1,
        "left_out": 0,
    }
    assert _pending(client, h) == expected > 0
    once = _raw(uid, localday.today())
    assert once == as_written  # the same entries and TTL as the writers set
    assert day_index_backfill.backfill(aws, localday.today())["user_days"] == 1
    assert _raw(uid, localday.today()) == once  # idempotent


def test_backfill__a_werun_day_replaced_while_it_runs__keeps_the_newer_steps(
    client, login, aws, monkeypatch
):
    h, uid = _citizen(client, login, "racing")
    _steps(client, aws, h, "racing", 6000)
    _forget_the_index()
    real = behaviours.shard_user_items

    def upload_meanwhile(date, unit, after=None):
        for user, items in real(date, unit, after):
            if (
                user == uid
            ):  # the backfill has read 6000 steps; the citizen uploads 14000 before it writes
                _steps(client, aws, h, "racing", 14000)
            yield user, items

    monkeypatch.setattr(behaviours, "shard_user_items", upload_meanwhile)
    day_index_backfill.backfill(aws, localday.today())
    assert [r.quantity for r in day_index.records(_raw(uid, localday.today()))] == [14000]
    assert _pending(client, h) == _from_behaviours(aws, uid) > 0


def _stored_before_deploy(aws, users: int, each: int, big: int = 0) -> list[Behaviour]:
    """`users` citizens with `each` records of DAY, and one ("big") with `big` records."""
    items = [
        Behaviour.of(
            f"u{n:03d}" if n < users else "big",
            DAY,
            "bike",
            1,
            f"{DAY}T08:00:00+08:00",
            "partner:p1",
            f"r{n}-{k}",
            aws.settle_shards,
            f"{DAY}T09:00:00+08:00",
            {"duration_s": 600},
            keep_days=aws.behaviour_retention_days,
        )
        for n in range(users + (big > 0))
        for k in range(each if n < users else big)
    ]
    intake.store_batch(items, f"{DAY}T09:00:00Z")  # the trip files' path (indexes, then stores)
    _forget_the_index()
    return items


def test_backfill__a_date_in_many_units__streamed_in_bounded_writes(aws, monkeypatch):
    items = _stored_before_deploy(aws, users=40, each=3, big=12)
    assert len({shard_of(b.user_id, aws.settle_shards) for b in items}) >= 10
    monkeypatch.setattr(day_index, "ACTIONS", 4)
    monkeypatch.setattr(day_index_backfill, "RECORDS", 7)
    monkeypatch.setattr(day_index_backfill, "PIECE", 5)  # the big day: three updates of 5, 5 and 2
    real, writes = day_index.index, []

    def index(batch, fill=False):
        writes.append((len(batch), {b.user_id for b in batch}))
        return real(batch, fill)

    monkeypatch.setattr(day_index, "index", index)
    counts = day_index_backfill.backfill(aws, DAY, workers=3)
    assert counts == {
        "date": DAY,
        "units": aws.settle_shards,
        "behaviours": 132,
        "user_days": 41,
        "left_out": 0,
    }
    assert all(n <= 7 and len(who) <= 4 for n, who in writes) and sum(n for n, _ in writes) == 132
    assert [n for n, who in writes if who == {"big"}] == [5, 5, 2]
    assert len(day_index.records(_raw("big", DAY))) == 12
    for n in range(40):
        assert sorted(r.source_id for r in day_index.records(_raw(f"u{n:03d}", DAY))) == [
            f"r{n}-{k}" for k in range(3)
        ]


def test_backfill__one_unit__indexes_that_unit_only(aws):
    items = _stored_before_deploy(aws, users=12, each=2)
    unit = shard_of("u000", aws.settle_shards)
    mine = {b.user_id for b in items if shard_of(b.user_id, aws.settle_shards) == unit}
    counts = day_index_backfill.backfill(aws, DAY, units=[unit])
    assert (
        counts["units"] == 1
        and counts["user_days"] == len(mine)
        and counts["behaviours"] == 2 * len(mine)
    )
    assert {d.user_id for d in DayRecords.scan()} == mine


def test_backfill__a_user_day_too_large_for_one_item__left_out_alone(aws):
    def record(user, n, pad):
        return Behaviour.of(
            user,
            DAY,
            "bike",
            1,
            f"{DAY}T08:00:00+08:00",
            "partner:p1",
            f"r{n}",
            aws.settle_shards,
            f"{DAY}T09:00:00+08:00",
            {"pad": "y" * pad},
            keep_days=aws.behaviour_retention_days,
        )

    with (
        Behaviour.batch_write() as batch
    ):  # ≈440 KB of one citizen's day, stored before the index existed
        for item in [record("full", n, 400) for n in range(1000)] + [
            record("other", 1, 10),
            record("other", 2, 10),
        ]:
            batch.save(item)
    counts = day_index_backfill.backfill(aws, DAY)
    assert (counts["behaviours"], counts["user_days"], counts["left_out"]) == (1002, 1, 1)
    assert sorted(r.source_id for r in day_index.records(_raw("other", DAY))) == ["r1", "r2"]
    assert (
        0 < len(day_index.records(_raw("full", DAY))) < 1000
    )  # the pieces that fitted, as the writers leave it


def test_cli__day_index_backfill__counts_in_chinese_and_for_scripts__no_personal_data(aws):
    import infra.cli.day_index  # noqa: F401  registers the command
    from core import logs
    from infra.cli import cli

    _stored_before_deploy(aws, users=3, each=2)
    try:
        result = CliRunner().invoke(cli, ["day-index", "backfill", "--date", DAY, "--workers", "2"])
        bad = CliRunner().invoke(cli, ["day-index", "backfill", "--date", "2026-13-01"])
        unit = CliRunner().invoke(cli, ["day-index", "backfill", "--unit", str(aws.settle_shards)])
    finally:
        logs.setup(aws.log_level)  # the runner's stderr is closed now: log to stdout again
    assert result.exit_code == 0, result.output
    assert (
        f"date={DAY}\nunits={aws.settle_shards}\nbehaviours=6\nuser_days=3\nleft_out=0\n"
        == result.stdout
    )
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(
        f"日索引回填 {DAY}：{aws.settle_shards} 个单元，读取 6 条行为记录，索引 3 个用户日"
    )
    assert not any(
        f"u00{n}" in result.stdout + result.stderr for n in range(3)
    )  # no user ids, not even in logs
    assert len(list(DayRecords.scan())) == 3
    assert bad.exit_code != 0 and "日期" in bad.stderr
    assert unit.exit_code != 0 and "单元" in unit.stderr
