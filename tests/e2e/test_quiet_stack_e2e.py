"""A stack as production may run it, quiet: LOG_LEVEL=WARNING, and no background loop of its own
(LOCAL_NOTICE_SECONDS=0; --no-save: no snapshots), so whatever it logs or asks DynamoDB for was
caused by the requests a test sends. Orders placed over HTTP still write their metric lines, and
each order's DynamoDB requests are counted exactly (no loop can fall inside a count)."""

import json
import uuid

import pytest

from tests.support.concurrency import http
from tests.support.invariants import verified_stack

pytestmark = [pytest.mark.e2e]
QUIET = {"LOG_LEVEL": "WARNING", "LOCAL_NOTICE_SECONDS": "0"}


@pytest.fixture(scope="module")
def quiet(tmp_path_factory):
    yield from verified_stack(str(tmp_path_factory.mktemp("quiet")), QUIET)


def citizen(stack, coins: int) -> dict:
    login = http(
        "POST", stack.api + "/api/v1/auth/login", {"code": f"test-quiet{uuid.uuid4().hex[:12]}"}
    )
    assert login.status == 200, login.body
    r = stack.cli(
        "adjust", login.body["user"]["id"], str(coins), "--reason", "quiet e2e", "--by", "e2e-ops"
    )
    assert r.returncode == 0, r.stderr[-2000:]
    return {"Authorization": f"Bearer {login.body['token']}"}


def metric_lines(stack, name: str) -> list[dict]:
    return [line for line in map(json.loads, stack.log_lines()) if name in line and "_aws" in line]


def test_e2e__log_level_warning__an_order_still_writes_its_metric_lines(quiet):
    auth = citizen(quiet, 500)
    orders_before = len(metric_lines(quiet, "Orders"))
    r = http("POST", quiet.api + "/api/v1/orders", {"product_id": "p_013"}, headers=auth)
    assert r.status == 201, r.body
    [orders] = metric_lines(quiet, "Orders")[orders_before:]
    assert orders["Orders"] == 1 and orders["stage"] == "test" and orders["fulfilment"] == "voucher"
    assert orders["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["cash", "fulfilment", "stage"]]
    assert [m["CoinsSpent"] for m in metric_lines(quiet, "CoinsSpent")][-1] == 100
    # The level is in force: the request itself wrote no INFO line.
    levels = {
        line.get("level") for line in map(json.loads, quiet.log_lines()) if "_aws" not in line
    }
    assert levels <= {"warning", "error", "critical"}, levels


def _dynamodb_calls(stack) -> int:
    return sum(http("GET", stack.aws + "/_endpoint/stats").body.values())


def test_e2e__dynamodb_requests_per_order_type(quiet):
    """Printed for the record (figures for the closing note): every DynamoDB request of one POST
    /api/v1/orders, token check included, on a stack where nothing else asks DynamoDB anything."""
    auth = citizen(quiet, 500)
    figures = {}
    for label, pid in (
        ("voucher, coins only (p_013)", "p_013"),
        ("voucher, coins plus cash (p_029)", "p_029"),
        ("activation code (p_009), coins only", "p_009"),
    ):
        before = _dynamodb_calls(quiet)
        r = http("POST", quiet.api + "/api/v1/orders", {"product_id": pid}, headers=auth)
        assert r.status == 201, r.body
        figures[label] = _dynamodb_calls(quiet) - before
        if pid == "p_029":
            before = _dynamodb_calls(quiet)
            assert (
                http("POST", quiet.wechatpay + "/_sim/pay", {"out_trade_no": r.body["id"]}).body[
                    "status"
                ]
                == 204
            )
            figures["its payment notification"] = _dynamodb_calls(quiet) - before
    print("\nDynamoDB requests per order:", figures)
    assert all(0 < n <= 6 for n in figures.values())
