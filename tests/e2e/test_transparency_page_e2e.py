"""/transparency in headless Chromium with every request outside this machine failing: after a
settlement and `tanpuhui log append` the page shows, in Simplified Chinese, the latest signed
head (its tree size and root hash as the public endpoint gives them), the chart of coins issued
by scenario drawn inline (one bar part per scenario and day, the metro credit among them) and
how to check a proof; no request to any other host and no CSP violation."""

from pathlib import Path

import pytest

from tests.e2e.test_journey_e2e import _card_boarded_today, _put_trips
from tests.support.browser import console_errors, network_urls
from tests.support.citizens import call

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]
SHOTS = Path(__file__).resolve().parents[2] / ".local" / "screenshots"


def test_transparency_page__latest_head_chart_and_how_to_verify__offline(
    stack, offline_browser, tmp_path
):
    from selenium.webdriver.common.by import By

    citizen, card_no, day, at, tag = _card_boarded_today(stack)
    key = _put_trips(stack, day, [f"p-{tag}-1,{card_no},metro,{at},3号线,体育西路,珠江新城,2.1"])
    assert stack.cli("ingest", "s3", key).returncode == 0
    assert stack.cli("settle", "--date", day).returncode == 0
    assert stack.cli("log", "append").returncode == 0
    head = call(stack, "GET", "/public/v1/log/heads/latest").body

    driver = offline_browser
    driver.get_log("performance")
    driver.get(stack.api + "/transparency")
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "公开透明账本" in driver.find_element(By.TAG_NAME, "h1").text
    assert f"共 {head['tree_size']} 条账目" in body and head["root_hash"] in body
    assert "如何核验" in body and "verify_proof.py" in body
    bars = driver.find_elements(By.CSS_SELECTOR, "svg.chart rect title")
    assert any(f"{day} 地铁" in t.get_attribute("textContent") for t in bars), [
        t.get_attribute("textContent") for t in bars
    ][:5]
    legend = driver.find_element(By.CSS_SELECTOR, "svg.chart").text
    assert "地铁出行" in legend
    style = driver.execute_script("return getComputedStyle(document.querySelector('h1')).color")
    assert style == "rgb(46, 125, 50)"  # the stylesheet loaded (CSP allows 'self')
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(tmp_path / "transparency.png"))
    driver.save_screenshot(str(SHOTS / "transparency_page.png"))
    urls = network_urls(driver)
    assert urls and all(u.startswith(stack.api + "/") for u in urls), urls
    problems = console_errors(driver)
    assert problems == [], problems
