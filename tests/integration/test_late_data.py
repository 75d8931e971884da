"""Late data: a record for a day already settled is credited by the next scheduled run, once."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.carbon import late, settlement_runs
from functions import settle_daily
from models import Account
from models.settlement import SettledDay
from tests.support.behaviours import add_behaviour

SH = timezone(timedelta(hours=8))


def today():
    return datetime.now(SH).date()


def grams(user, day):
    try:
        return int(SettledDay.get(user, day).grams)
    except SettledDay.DoesNotExist:
        return 0


def test_late_trip_for_yesterday__next_scheduled_run_credits_it_exactly_once(aws):
    import io

    from core.carbon import trips
    from core.carbon.cards import card_hash
    from models.cards import BindingPeriod, CardHistory

    CardHistory(
        card_hash(aws, "4000000001"),
        periods=[BindingPeriod(user_id="u1", bound_at="2026-01-01T00:00:00+00:00")],
    ).save()
    yesterday = today() - timedelta(days=1)
    at = lambda h: datetime.combine(yesterday, datetime.min.time(), SH).replace(hour=h).isoformat()  # noqa: E731
    header = ",".join(trips.COLUMNS)
    trips.ingest_lines(aws, io.StringIO(f"{header}\nT1,4000000001,metro,{at(8)},3,,,\n"))
    settle_daily.handler({}, None)  # the 02:00 run
    assert grams("u1", yesterday.isoformat()) == 515
    # The trip file is re-delivered the next day with one more trip: the day is marked.
    counts = trips.ingest_lines(
        aws,
        io.StringIO(
            f"{header}\nT1,4000000001,metro,{at(8)},3,,,\nT2,4000000001,bus,{at(18)},B1,,,\n"
        ),
    )
    assert (counts["accepted"], counts["duplicates"]) == (1, 1)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert yesterday.isoformat() in settlement_runs.due_dates(tomorrow)
    # The next night's run settles its own yesterday (today) plus the marked day: credited once.
    settlement_runs.run_due(aws, now=tomorrow)
    assert grams("u1", yesterday.isoformat()) == 515 + 212 and Account.get("u1").grams_total == 727
    assert yesterday.isoformat() not in settlement_runs.due_dates(tomorrow)
    settlement_runs.run_due(aws, now=tomorrow)
    assert Account.get("u1").grams_total == 727


def test_late_partner_record__marks_the_settled_day(client, citizen, aws):
    from core.carbon import partners
    from tests.integration.test_partner_push import PATH, link, rec, signed

    uid = citizen["user"]["id"]
    yesterday = today() - timedelta(days=1)
    settlement_runs.run_date(aws, yesterday.isoformat(), workers=1)
    assert yesterday.isoformat() not in late.dates_to_settle(today())[:-1]
    pid, secret = partners.add_partner(aws, "bikes")
    ref = link(client, {"Authorization": citizen["Authorization"]}, pid, secret)
    when = datetime.combine(yesterday, datetime.min.time(), SH).replace(hour=9)
    raw, h = signed(secret, pid, {"records": [rec(ref, "late1", quantity=2, when=when)]})
    assert client.post(PATH, data=raw, headers=h).json["accepted"] == 1
    # Yesterday is always settled; the mark shows when it is an earlier day of the window.
    assert late.dates_to_settle(today() + timedelta(days=1))[0] == yesterday.isoformat()
    settlement_runs.run_due(aws, now=datetime.now(UTC) + timedelta(days=1))
    assert grams(uid, yesterday.isoformat()) == 2 * 93


def test_unsettled_day__ingestion_marks_nothing(aws):
    day = (today() - timedelta(days=3)).isoformat()
    late.mark_settled_days({day})
    assert day not in late.dates_to_settle(today())


def test_settle__date_after_today__refused(aws):
    with pytest.raises(settlement_runs.FutureDate):
        settlement_runs.settleable((today() + timedelta(days=1)).isoformat())
    with pytest.raises(settlement_runs.FutureDate):
        settle_daily.handler({"date": (today() + timedelta(days=1)).isoformat()}, None)


def test_today_settled_early__completed_by_the_next_nightly_run(aws):
    d = today().isoformat()
    add_behaviour(aws, "u1", d, "metro", 1, "t1", at="00:01")
    settlement_runs.run_date(aws, settlement_runs.settleable(d), workers=1)
    add_behaviour(aws, "u1", d, "bus", 1, "t2", at="00:02")
    late.mark_settled_days({d})
    settlement_runs.run_due(aws, now=datetime.now(UTC) + timedelta(days=1))
    assert grams("u1", d) == 727


def test_pending_grams_today__only_grams_not_yet_credited(client, citizen, aws):
    uid, d = citizen["user"]["id"], today().isoformat()
    add_behaviour(aws, uid, d, "metro", 1, "t1", at="00:01")
    auth = {"Authorization": citizen["Authorization"]}
    assert client.get("/api/v1/coins", headers=auth).json["pending_grams_today"] == 515
    settlement_runs.run_date(aws, d, workers=1)
    add_behaviour(aws, uid, d, "bus", 1, "t2", at="00:02")
    body = client.get("/api/v1/coins", headers=auth).json
    assert body["pending_grams_today"] == 212 and body["grams_total"] == 515


def test_cli_settle__no_date__does_what_the_nightly_run_does(aws, capsys):
    from tests.support.cli import run_cli_streams

    yesterday = (today() - timedelta(days=1)).isoformat()
    add_behaviour(aws, "u1", yesterday, "metro", 1, "t1")
    code, _, err = run_cli_streams(capsys, "settle")
    assert code == 0 and yesterday in err and grams("u1", yesterday) == 515


def test_cli_settle__date_after_today__exit_nonzero(aws, capsys):
    from tests.support.cli import run_cli

    code, _ = run_cli(capsys, "settle", "--date", (today() + timedelta(days=1)).isoformat())
    assert code != 0
