"""/methodologies (the 公示 page) in headless Chromium with every request outside this machine
failing: no login, Simplified Chinese, every scenario GET /api/v1/scenarios lists (with its
formula, sources, evidence and versions) and every shared parameter, the merchant page's CSP,
no request to any other host and no CSP violation."""

import urllib.request
from pathlib import Path

import pytest

from miniprogram_api.pages import PAGE_CSP
from tests.support.browser import console_errors, network_urls
from tests.support.citizens import call

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]
SHOTS = Path(__file__).resolve().parents[2] / ".local" / "screenshots"


def test_methodologies_page__every_scenario_and_parameter__offline_no_login(
    stack,
    offline_browser,
    tmp_path,
):
    from selenium.webdriver.common.by import By

    listed = call(stack, "GET", "/api/v1/scenarios").body["items"]
    with urllib.request.urlopen(
        stack.api + "/methodologies"
    ) as r:  # no Authorization header: public
        assert r.status == 200 and r.headers["Content-Security-Policy"] == PAGE_CSP
        assert r.headers["X-Frame-Options"] == "DENY"

    driver = offline_browser
    driver.get_log("performance")
    driver.get(stack.api + "/methodologies")
    assert "方法学公示" in driver.find_element(By.TAG_NAME, "h1").text
    sections = {
        s.get_attribute("data-code"): s
        for s in driver.find_elements(By.CSS_SELECTOR, "section.scenario")
    }
    assert len(listed) >= 20
    for item in listed:
        text = sections[item["code"]].text
        assert item["name"] in text and item["formula"] in text and item["source"] in text, item[
            "code"
        ]
        assert all(
            v["version"] in text and v["effective_from"] in text for v in item["versions"]
        ), item["code"]
        assert ("本平台现计入" in text) == item["credits"], item["code"]
    for code in ("project_pv", "project_afforestation"):  # organisations' methodologies too
        assert code in sections
    params = driver.find_elements(By.CSS_SELECTOR, "section.parameter")
    assert {"grid_factor", "bus_trip_km", "tree_uptake"} <= {
        p.get_attribute("id")[2:] for p in params
    }
    grid = driver.find_element(By.ID, "p-grid_factor").text
    assert "0.3869" in grid and "0.4042" in grid and "生态环境部" in grid
    style = driver.execute_script("return getComputedStyle(document.querySelector('h1')).color")
    assert style == "rgb(46, 125, 50)"  # the stylesheet loaded (CSP allows 'self')
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(tmp_path / "methodologies.png"))
    driver.save_screenshot(str(SHOTS / "methodologies_page.png"))
    urls = network_urls(driver)
    assert urls and all(u.startswith(stack.api + "/") for u in urls), urls
    problems = console_errors(driver)
    assert problems == [], problems
