"""The merchant staff page (/merchant/) in headless Chromium against the whole local stack:
a cashier signs in with the shop's key, types a citizen's code and reads the verdict in Chinese."""

import os
import re
import shutil
import subprocess
import sys
import uuid

import pytest

from tests.support.browser import require_chromium, start_chromium
from tests.support.concurrency import http
from tests.support.privacy import find_leaks
from tests.support.stack import ROOT

# One worker, one browser: the tests share a Chromium and the screenshot path.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

# A demo product and its shop from infra/seeds/mall.json; the seeded key is local-only.
PRODUCT_ID, PRODUCT_NAME, PRICE = "p_013", "美式咖啡 兑换券", 100
MERCHANT_KEY = "mk_demo_m_demo_13_local"
SCREENSHOTS = os.path.join(ROOT, ".local", "screenshots")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    require_chromium()
    driver = start_chromium(str(tmp_path_factory.mktemp("chromium-profile")), record=True)
    yield driver
    driver.quit()


def order_code(stack) -> str:
    """A fresh citizen with coins from an ops adjustment buys the product; returns the order's code."""
    login = http(
        "POST", stack.api + "/api/v1/auth/login", {"code": f"test-browser{uuid.uuid4().hex[:10]}"}
    )
    assert login.status == 200, login.body
    user_id, auth = login.body["user"]["id"], {"Authorization": f"Bearer {login.body['token']}"}
    tanpuhui = os.path.join(os.path.dirname(sys.executable), "tanpuhui")
    adjusted = subprocess.run(
        [tanpuhui, "adjust", user_id, str(PRICE), "--reason", "browser test", "--by", "e2e-ops"],
        env={**stack.env, "AWS_ENDPOINT": stack.aws},
        capture_output=True,
        text=True,
    )
    assert adjusted.returncode == 0, adjusted.stderr[-2000:]
    order = http(
        "POST",
        stack.api + "/api/v1/orders",
        {"product_id": PRODUCT_ID, "quantity": 1},
        headers=auth,
    )
    assert order.status == 201, order.body
    return order.body["code"]


def sign_in(driver, stack):
    from selenium.webdriver.common.by import By

    driver.get(stack.api + "/merchant/")
    driver.execute_script("sessionStorage.clear()")
    driver.refresh()
    driver.find_element(By.ID, "key").send_keys(MERCHANT_KEY)
    driver.find_element(By.ID, "save-key").click()
    assert driver.find_element(By.ID, "code").is_displayed()


def redeem_on_page(driver, code) -> tuple[str, str]:
    """Type the code and press 核销; returns (result class, result text) once the verdict shows."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    # Clear the previous verdict so the wait cannot be satisfied by a stale one.
    driver.execute_script(
        "const r = document.getElementById('result'); r.className = ''; r.innerHTML = '';"
    )
    box = driver.find_element(By.ID, "code")
    box.clear()
    box.send_keys(code)
    driver.find_element(By.ID, "submit").click()
    result = driver.find_element(By.ID, "result")
    try:
        WebDriverWait(driver, 15).until(lambda _: result.get_attribute("class") in ("ok", "fail"))
    except TimeoutException:
        pytest.fail(f"no verdict shown within 15 s; page says {result.text!r}")
    return result.get_attribute("class"), result.text


def screenshot(driver, tmp_path, name):
    """Kept in pytest's tmp dir, and the latest also at .local/screenshots/ for a person to look at."""
    path = str(tmp_path / f"{name}.png")
    assert driver.save_screenshot(path)
    os.makedirs(SCREENSHOTS, exist_ok=True)
    shutil.copyfile(path, os.path.join(SCREENSHOTS, f"merchant_page_{name}.png"))
    shutil.copyfile(path, os.path.join(SCREENSHOTS, "merchant_page.png"))


def test_merchant_page__typed_code__shows_success_and_product(stack, browser, tmp_path):
    code = order_code(stack)
    sign_in(browser, stack)
    verdict, text = redeem_on_page(browser, code)
    screenshot(browser, tmp_path, "success")
    assert verdict == "ok" and "核销成功" in text and PRODUCT_NAME in text, text


def test_merchant_page__after_a_scan__todays_list_shows_it_with_totals(stack, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    code = order_code(stack)
    sign_in(browser, stack)
    rows = browser.find_element(By.ID, "today-rows")
    before = len(rows.find_elements(By.CSS_SELECTOR, "tr td.num"))
    assert redeem_on_page(browser, code)[0] == "ok"
    # The list refreshes after the scan: one more line, with the product and its coins.
    WebDriverWait(browser, 15).until(
        lambda d: len(rows.find_elements(By.CSS_SELECTOR, "tr td.num")) > before
    )
    screenshot(browser, tmp_path, "today")
    first = rows.find_elements(By.TAG_NAME, "tr")[0].text
    totals = browser.find_element(By.ID, "today-totals").text
    assert PRODUCT_NAME in first and str(PRICE) in first, first
    assert totals.startswith("合计") and "碳币" in totals and "现金" in totals, totals


def test_merchant_page__same_code_twice__shows_already_redeemed(stack, browser, tmp_path):
    code = order_code(stack)
    sign_in(browser, stack)
    assert redeem_on_page(browser, code)[0] == "ok"
    verdict, text = redeem_on_page(browser, code)
    screenshot(browser, tmp_path, "already_redeemed")
    assert verdict == "fail" and "该券已核销" in text, text


def test_merchant_page__unknown_code__shows_not_found(stack, browser, tmp_path):
    sign_in(browser, stack)
    verdict, text = redeem_on_page(browser, "0000-0000-0000-0000")
    screenshot(browser, tmp_path, "unknown_code")
    assert verdict == "fail" and "券码不存在" in text, text


def test_merchant_page__key_kept_for_the_tab_only_and_never_logged(stack, browser):
    sign_in(browser, stack)
    redeem_on_page(browser, "0000-0000-0000-0000")
    # sessionStorage dies with the tab; nothing longer-lived may hold the key.
    stored = browser.execute_script(
        "return [sessionStorage.getItem('merchantKey'), localStorage.length, document.cookie,"
        " document.getElementById('key').value, location.href]"
    )
    assert stored[:4] == [MERCHANT_KEY, 0, "", ""] and MERCHANT_KEY not in stored[4]
    logs = stack.log_lines()
    with open(stack.log_path + ".stderr", encoding="utf-8") as f:
        stderr = f.read()
    assert MERCHANT_KEY not in "\n".join(logs) and MERCHANT_KEY not in stderr
    assert find_leaks(logs) == []  # no merchant key of any shop either, nor tokens


def test_merchant_page__headers__csp_no_framing_no_inline_script(stack):
    r = http("GET", stack.api + "/merchant/")
    assert r.status == 200
    directives = dict(d.split(" ", 1) for d in r.headers["Content-Security-Policy"].split("; "))
    assert directives["default-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    # Script and style only from the app's own files: an injected inline script would not run.
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert (
        r.headers["X-Frame-Options"] == "DENY" and r.headers["X-Content-Type-Options"] == "nosniff"
    )
    assert (
        "<script>" not in r.body
        and "<style>" not in r.body
        and not re.search(r"\son[a-z]+=", r.body)
    )
    for asset in ("/static/merchant.js", "/static/merchant.css"):
        assert http("GET", stack.api + asset).status == 200, asset


def test_merchant_page__in_the_browser__no_csp_violation(stack, browser):
    sign_in(browser, stack)  # the page's script ran: the sign-in button showed the code box
    redeem_on_page(browser, "0000-0000-0000-0000")
    problems = [
        e["message"]
        for e in browser.get_log("browser")
        if e["level"] == "SEVERE" and "Content Security Policy" in e["message"]
    ]
    assert problems == [], problems
