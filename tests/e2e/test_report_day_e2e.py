"""`tanpuhui report day` on the local stack, as ops run it: trips ingested, today settled, coins
topped up and spent in the demo mall, then the report for today. Its book table equals what
`tanpuhui books --from D --to D` prints, line for line; opened in headless Chromium (every request
off this machine failing) it renders the charts and asks for nothing; the PNG the CLI wrote is a
real picture. The latest screenshot is kept at .local/screenshots/report_day.png for a person."""

import os
import shutil

import pytest

from tests.e2e.test_journey_e2e import _card_boarded_today, _put_trips
from tests.support.browser import (
    OFFLINE_FLAGS,
    console_errors,
    network_urls,
    require_chromium,
    start_chromium,
)
from tests.support.citizens import call

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _day_of_activity(stack) -> str:
    citizens, rows, day = [], [], None
    for i in range(3):
        citizen, card_no, day, at, tag = _card_boarded_today(stack)
        citizens.append(citizen)
        rows += [
            f"r-{tag}-m,{card_no},metro,{at},3号线,体育西路,客村,",
            f"r-{tag}-b,{card_no},bus,{at},B1,,,",
        ][: 1 + i % 2]
    r = stack.cli("ingest", "s3", _put_trips(stack, day, rows))
    assert r.returncode == 0, r.stderr[-2000:]
    r = stack.cli("settle", "--date", day)
    assert r.returncode == 0 and "failed shards none" in r.stderr, r.stderr[-2000:]
    products = call(stack, "GET", "/api/v1/products?limit=100").body["items"]
    by_category = {}
    for p in sorted(products, key=lambda p: p["price_coins"]):
        if (
            not p.get("price_fen")
            and p["stock"] > 0
            and p.get("fulfilment", "voucher") == "voucher"
        ):
            by_category.setdefault(p["category"], p)
    for citizen, category in zip(citizens, sorted(by_category)):
        product = by_category[category]
        me = call(stack, "GET", "/api/v1/me", headers=citizen.auth).body["id"]
        r = stack.cli(
            "adjust", "--reason", "e2e 日报", "--by", "ops-e2e", me, str(product["price_coins"])
        )
        assert r.returncode == 0, r.stderr[-2000:]
        r = call(
            stack,
            "POST",
            "/api/v1/orders",
            {"product_id": product["id"], "quantity": 1},
            citizen.auth,
        )
        assert r.status == 201, r.body
    return day


def _books(stack, day) -> dict[str, int]:
    r = stack.cli("books", "--from", day, "--to", day)
    assert r.returncode == 0, r.stderr[-2000:]
    lines = (line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)
    # The coin accounts: the yuan book of PHCER proceeds (yuan:*, proceeds_*) follows them, all-time
    # and in yuan, and the day's report is the coin book of the day.
    return {k: int(v) for k, v in lines if not k.startswith(("yuan", "proceeds_"))}


def test_report_day__equals_books_and_renders_offline(stack, tmp_path_factory):
    require_chromium()
    from selenium.webdriver.common.by import By

    day = _day_of_activity(stack)
    out = tmp_path_factory.mktemp("report")
    r = stack.cli("report", "day", day, "--out", str(out))
    assert r.returncode == 0, r.stderr[-3000:]
    written = dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)
    assert written["html"].endswith(f"report-day-{day}.html") and "png" in written, r.stdout
    books = _books(stack, day)
    assert (
        books["total"] == 0
        and books["citizens"] > 0
        and any(k.startswith("issuance:") for k in books)
    )

    driver = start_chromium(
        str(tmp_path_factory.mktemp("chromium-report")), OFFLINE_FLAGS, record=True
    )
    try:
        driver.set_window_size(1000, 1400)
        driver.get_log("performance")
        driver.get(
            "file://"
            + os.path.abspath(
                os.path.join(ROOT, written["html"])
                if not os.path.isabs(written["html"])
                else written["html"]
            )
        )
        cells = driver.find_elements(
            By.CSS_SELECTOR, "#books td[data-account], #books th[data-account]"
        )
        shown = {c.get_attribute("data-account"): int(c.text.replace(",", "")) for c in cells}
        assert shown == books
        charts = driver.find_elements(By.CSS_SELECTOR, "svg rect")
        assert len(charts) >= 2 and all(c.size["width"] > 0 for c in charts)
        assert "每日运营报告" in driver.find_element(By.TAG_NAME, "h1").text
        urls = network_urls(driver)
        assert urls == [], urls
        assert console_errors(driver) == []
        shot = str(out / "report_day_browser.png")
        assert driver.save_screenshot(shot)
        os.makedirs(os.path.join(ROOT, ".local", "screenshots"), exist_ok=True)
        shutil.copyfile(shot, os.path.join(ROOT, ".local", "screenshots", "report_day.png"))
    finally:
        driver.quit()
    with open(written["png"], "rb") as f:
        head = f.read(24)
    assert (
        head[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(head[16:20], "big") >= 900
    )  # width in the IHDR
