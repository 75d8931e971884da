"""A fact that is a time (WeRun's `uploaded_at`, which a partner onboarded for walking may send too)
is kept only as a moment: a date-time with an offset inside the calendar (core.jsonbounds.moment);
anything else is rejected alone as invalid_facts, and a moment after now as in_future. Whatever the partner sends, the citizen's day
records and export stay readable (200) and every `*_at` in them is at +08:00 (an upload time of
9999-12-31T23:59:59-12:00 made the citizen's export a 500 for as long as the record was kept)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given

from core import jsonbounds, localday
from core.carbon import partners
from tests.integration.test_local_times import utc_times
from tests.integration.test_outside_values import _push_raw
from tests.integration.test_partner_push import link, rec
from tests.support.hostile import MOMENT_TEXT, RUN

pytestmark = pytest.mark.usefixtures("wechat_sim")


def test_partner_time_fact__any_text__records_and_export_stay_readable(client, citizen, aws):
    pid, secret = partners.add_partner(aws, "步数", scenarios={"walk"})
    ref = link(client, citizen, pid, secret)
    h = {"Authorization": citizen["Authorization"]}
    day = localday.today()
    seen = {"n": 0}

    @RUN
    @given(uploaded_at=MOMENT_TEXT)
    def each(uploaded_at):
        seen["n"] += 1
        record = rec(ref, f"walk-{seen['n']}", scenario="walk", quantity=5000)
        record["occurred_at"] = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
        record["facts"] = {"uploaded_at": uploaded_at}
        r = _push_raw(client, pid, secret, json.dumps({"records": [record]}))
        assert r.status_code == 200, r.get_data(as_text=True)[:300]
        moment = jsonbounds.moment(uploaded_at)
        # No moment: invalid_facts; a moment after now: in_future (the day's latest upload wins,
        # so an upload time from the future would beat every real one); else kept.
        want = (
            "invalid_facts"
            if moment is None
            else "in_future"
            if moment > datetime.now(UTC) + timedelta(minutes=5)
            else None
        )
        got_reason = r.json["rejected"][0]["reason"] if r.json["rejected"] else None
        assert got_reason == want and r.json["accepted"] == (want is None), (uploaded_at, r.json)
        for path in (f"/api/v1/reductions/{day}/records", "/api/v1/me/export"):
            got = client.get(path, headers=h)
            assert got.status_code == 200, (uploaded_at, path, got.get_data(as_text=True)[:300])
            assert utc_times(got.json) == [], (uploaded_at, path)

    each()
