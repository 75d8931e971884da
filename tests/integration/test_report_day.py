"""`tanpuhui report day`: its figures are the day's trial balance (the function `tanpuhui books
--from D --to D` prints), spending split by product category sums to the book's spending, the
page is one self-contained HTML file (no request anywhere), and without Chromium it says so."""

import re

from core import localday
from core.books.platform import trial_balance
from core.carbon import settlement_runs
from infra.report_day import data, page
from tests.support.behaviours import add_behaviour
from tests.support.cli import run_cli
from tests.support.mall import make_shop

D = localday.yesterday()  # what the night settles: its run is in the book of today


def _mixed_day(client, citizen, aws):
    uid = citizen["user"]["id"]
    auth = {"Authorization": citizen["Authorization"]}
    add_behaviour(aws, uid, D, "metro", 1, "t1")
    add_behaviour(aws, uid, D, "bus", 1, "t2", at="09:00")
    add_behaviour(
        aws, uid, D, "metro", 5, "t3", at="10:00"
    )  # more trips than one record may hold: quarantined
    settlement_runs.run_date(aws, D, workers=1)
    shop = make_shop(price=10)
    placed = [
        client.post(
            "/api/v1/orders", json={"product_id": shop["product_id"], "quantity": 1}, headers=auth
        ).json
        for _ in range(2)
    ]
    assert client.post(f"/api/v1/orders/{placed[0]['id']}/cancel", headers=auth).status_code == 200
    return shop


def test_report__figures_are_the_books_of_the_day(client, citizen, aws):
    _mixed_day(client, citizen, aws)
    today = localday.today()
    steps = []
    r = data.gather(today, progress=lambda: steps.append(1))
    assert len(steps) == data.STEPS
    tb = trial_balance(today, today)
    assert r.books == tb and tb["total"] == 0
    assert r.issued() == -sum(v for a, v in tb["platform"].items() if a.startswith("issuance:")) > 0
    assert r.spent() == 20 == sum(r.spent_by_category.values()) and r.account("refunds") == -10
    assert r.active_citizens == 1 and r.movements == 4  # credit, two orders, one refund
    [s] = r.settled
    assert (s.date, s.units, s.done, s.failed) == (D, aws.settle_shards, aws.settle_shards, 0)
    assert s.coins == r.issued() and s.users == 1


def test_report__page_is_self_contained_and_shows_each_book_line(client, citizen, aws):
    _mixed_day(client, citizen, aws)
    today = localday.today()
    r = data.gather(today)
    html = page.render(r, "2026-11-24T08:00:00+08:00")
    assert not re.search(r"""(src|href)\s*=|url\(|@import|<script|<link""", html, re.I)
    assert "default-src 'none'" in html and "按场景发放的碳币" in html and "<svg" in html
    for account, coins in [
        ("citizens", r.books["citizens"]),
        *r.books["platform"].items(),
        ("total", 0),
    ]:
        assert f'data-account="{account}">{coins:,}<' in html


def test_report_cli__writes_html_and_png_or_says_why_not(
    client, citizen, aws, capsys, tmp_path, monkeypatch
):
    from infra.report_day import png

    _mixed_day(client, citizen, aws)
    today = localday.today()
    monkeypatch.setattr(
        png, "CHROMIUM", str(tmp_path / "no-chromium")
    )  # a machine without the browser
    code, out = run_cli(capsys, "report", "day", today, "--out", str(tmp_path))
    assert code == 0, out
    assert (
        f"html={tmp_path}/report-day-{today}.html" in out
        and "png_skipped=" in out
        and "not found" in out
    )
    assert (
        (tmp_path / f"report-day-{today}.html")
        .read_text(encoding="utf-8")
        .startswith("<!DOCTYPE html>")
    )
    code, out = run_cli(capsys, "report", "day", "2026-13-01", "--out", str(tmp_path))
    assert code != 0
