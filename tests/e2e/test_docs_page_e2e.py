"""/docs in headless Chromium with every request outside this machine failing: the API reference
renders from the app's own files (Swagger UI from the kept package), lists the operations, breaks
no rule of its Content-Security-Policy and asks nothing of any other host."""

import json
import re

import pytest

from tests.support.browser import console_errors, network_urls
from tests.support.concurrency import http

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_docs__offline__lists_the_operations_from_the_apps_own_files(stack, offline_browser):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = offline_browser
    driver.get_log("performance")  # drop the browser's own start-up (its new-tab page)
    driver.get(stack.api + "/docs")
    try:
        WebDriverWait(driver, 30).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
        )
    except TimeoutException:
        pytest.fail(
            f"no operation listed within 30 s; the page says {driver.find_element(By.TAG_NAME, 'body').text[:300]!r}"
        )
    paths = {
        e.get_attribute("data-path")
        for e in driver.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    }
    assert {"/api/v1/coins", "/api/v1/orders", "/merchant/v1/redemptions"} <= paths, sorted(paths)
    assert "/api/v1/coins" in driver.find_element(By.ID, "ui").text.replace("\u200b", "")
    urls = network_urls(driver)
    assert urls and all(u.startswith(stack.api + "/") for u in urls), urls
    assert (
        stack.api + "/docs/assets/swagger-ui-bundle.js" in urls
        and stack.api + "/openapi.json" in urls
    )
    problems = console_errors(driver)  # a blocked script or style names the CSP
    assert problems == [], problems


def test_docs__shows_the_chinese_summaries_and_the_captured_example_of_an_order(
    stack, offline_browser
):
    """What a mini-program developer reads: each operation's Chinese summary in the list, and POST
    /api/v1/orders opened shows the request and response captured from the stack (examples.json)."""
    import pathlib

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.support.stack import ROOT

    driver = offline_browser
    driver.get(stack.api + "/docs")
    WebDriverWait(driver, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock-summary-description")
    )
    shown = {e.text for e in driver.find_elements(By.CSS_SELECTOR, ".opblock-summary-description")}
    assert {"下单兑换商品", "微信登录，换取访问令牌", "核销兑换码", "推送低碳行为记录"} <= shown, (
        sorted(shown)
    )
    assert not [t for t in shown if not CJK.search(t)], (
        "an operation shown without its Chinese summary"
    )
    order = json.loads(
        pathlib.Path(ROOT, "miniprogram_api", "reference", "examples.json").read_text(
            encoding="utf-8"
        )
    )["POST /api/v1/orders"]
    block = driver.find_element(By.ID, "operations-mall-post__api_v1_orders")
    block.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    WebDriverWait(driver, 30).until(lambda d: order["response"]["id"] in block.text)
    text = block.text
    assert (
        "Idempotency-Key" in text and "insufficient_coins" in text
    )  # its header and its 409 codes
    assert (
        order["response"]["code"] in text
        and f'"product_id": "{order["request"]["product_id"]}"' in text
    )
    auth = driver.find_element(By.ID, "operations-tag-auth").text
    assert "wx.login" in auth and "Bearer" in auth  # the citizen section opens with the login flow


def test_docs__headers__csp_without_inline_script_and_no_framing(stack):
    r = http("GET", stack.api + "/docs")
    csp = r.headers["Content-Security-Policy"]
    directives = dict(d.split(" ", 1) for d in csp.split("; "))
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'none'", csp
    assert directives["frame-ancestors"] == "'none'" and r.headers["X-Frame-Options"] == "DENY"
    assert (
        "<script>" not in r.body and "https://" not in r.body
    )  # no inline script, nothing from outside
    for asset in (
        "/docs/assets/swagger-ui-bundle.js",
        "/docs/assets/swagger-ui.css",
        "/static/docs.js",
    ):
        got = http("GET", stack.api + asset)
        assert got.status == 200 and got.headers["X-Content-Type-Options"] == "nosniff", asset
    assert (
        http("GET", stack.api + "/docs/assets/flask_swagger_ui.py").status == 404
    )  # only the UI's files
