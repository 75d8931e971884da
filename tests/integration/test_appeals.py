"""Appeals: filed by a citizen, answered by ops with a linked adjustment or a reason."""

from datetime import date, timedelta

import pytest

from core import localday
from core.books import checks
from core.citizens import appeal_filing, appeals
from models import LedgerEntry
from tests.support.cli import run_cli


def _day(days_ago: int) -> str:
    return (date.fromisoformat(localday.today()) - timedelta(days=days_ago)).isoformat()


def _file(client, citizen, day, note="地铁出行没有记录"):
    return client.post(
        "/api/v1/appeals",
        json={"date": day, "note": note},
        headers={"Authorization": citizen["Authorization"]},
    )


def test_appeal__one_open_per_date(client, citizen):
    r = _file(client, citizen, _day(3))
    assert (
        r.status_code == 201
        and r.json["status"] == "open"
        and r.json["created_at"].endswith("+08:00")
    )
    again = _file(client, citizen, _day(3))
    assert again.status_code == 409 and again.json["error"]["code"] == "appeal_open"
    assert _file(client, citizen, _day(4)).status_code == 201


@pytest.mark.parametrize("day", ["2020-01-01", "x", "2026-02-30", "1-1-1", "９９９９-01-01"])
def test_appeal__date_outside_the_window__422_writes_nothing(client, citizen, day):
    r = _file(client, citizen, day)
    assert r.status_code == 422 and r.json["error"]["code"] == "invalid_request"
    assert (
        client.get("/api/v1/appeals", headers={"Authorization": citizen["Authorization"]}).json[
            "items"
        ]
        == []
    )


def test_appeal__future_or_empty_note__422(client, citizen):
    assert _file(client, citizen, _day(-1)).status_code == 422
    assert _file(client, citizen, _day(1), note="   ").status_code == 422


def test_appeal__resolved_with_linked_adjustment__once(aws, client, citizen, capsys):
    user_id = citizen["user"]["id"]
    appeal_id = _file(client, citizen, _day(2)).json["id"]
    code, out = run_cli(capsys, "appeals", "list")
    assert code == 0 and appeal_id in out
    code, _ = run_cli(
        capsys,
        "appeal",
        "resolve",
        appeal_id,
        "--adjust",
        "30",
        "--reason",
        "核实补发",
        "--by",
        "ops-li",
    )
    assert code == 0
    code, _ = run_cli(
        capsys,
        "appeals",
        "resolve",
        appeal_id,
        "--coins",
        "30",
        "--reason",
        "核实补发",
        "--by",
        "ops-li",
    )
    assert code == 0  # a retry moves nothing
    entries = [e for e in LedgerEntry.query(user_id) if e.kind == "adjustment"]
    assert (
        len(entries) == 1
        and entries[0].amount == 30
        and entries[0].detail["appeal_id"] == appeal_id
    )
    assert checks.check_account(user_id) == []
    mine = client.get("/api/v1/appeals", headers={"Authorization": citizen["Authorization"]}).json[
        "items"
    ]
    assert mine[0]["status"] == "resolved" and mine[0]["resolution"] == {
        "coins": 30,
        "reason": "核实补发",
    }
    assert mine[0]["resolved_at"].endswith("+08:00")
    assert (
        _file(client, citizen, _day(2)).status_code == 201
    )  # closed: the date may be appealed again
    code, _ = run_cli(capsys, "appeals", "reject", appeal_id, "--reason", "x")
    assert code == 1  # already resolved


def test_appeal__rejected_with_reason(aws, client, citizen, capsys):
    appeal_id = _file(client, citizen, _day(5)).json["id"]
    code, _ = run_cli(
        capsys, "appeals", "reject", appeal_id, "--reason", "当日无乘车记录", "--by", "ops-wang"
    )
    assert code == 0
    mine = client.get("/api/v1/appeals", headers={"Authorization": citizen["Authorization"]}).json[
        "items"
    ]
    assert mine[0]["status"] == "rejected" and mine[0]["resolution"] == {"reason": "当日无乘车记录"}
    assert appeals.open_appeals() == []
    assert (
        run_cli(
            capsys, "appeals", "resolve", appeal_id, "--coins", "5", "--reason", "r", "--by", "b"
        )[0]
        == 1
    )
    assert (
        run_cli(capsys, "appeals", "resolve", "nope", "--coins", "5", "--reason", "r", "--by", "b")[
            0
        ]
        == 1
    )


@pytest.fixture
def appeal_writes():
    """DynamoDB answers the next TransactWriteItems on the appeals table with what `answers` holds
    (popped one per call: ("cancelled", [reason codes in the sent order]) or ("error", code)), then lets
    them through."""
    from botocore.awsrequest import AWSResponse

    import models

    answers = []

    def answer(params=None, **kwargs):
        if "appeals" not in str(params) or not answers:
            return None
        kind, what = answers.pop(0)
        if kind == "cancelled":
            body = {
                "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
                "CancellationReasons": [{"Code": c} for c in what],
                "ResponseMetadata": {"HTTPStatusCode": 400},
            }
        else:
            body = {
                "Error": {"Code": what, "Message": "busy"},
                "ResponseMetadata": {"HTTPStatusCode": 400},
            }
        return AWSResponse("https://dynamodb", 400, {}, None), body

    events = models.connection().client.meta.events
    events.register("before-call.dynamodb.TransactWriteItems", answer, unique_id="appeal_writes")
    yield answers
    events.unregister("before-call.dynamodb.TransactWriteItems", unique_id="appeal_writes")


def test_appeal__write_conflicts_with_another_writer__retried_and_filed_once(
    client, citizen, appeal_writes
):
    # PynamoDB sends the guard's update after the appeal's put: reasons are [put, update].
    appeal_writes += [
        ("cancelled", ["None", "TransactionConflict"]),
        ("cancelled", ["TransactionConflict", "None"]),
    ]
    r = _file(client, citizen, _day(2))
    assert r.status_code == 201, r.json
    assert appeal_writes == []  # both refusals were met and retried
    items = client.get("/api/v1/appeals", headers={"Authorization": citizen["Authorization"]}).json[
        "items"
    ]
    assert [i["id"] for i in items] == [r.json["id"]]


def test_appeal__write_keeps_failing__503_nothing_filed_never_appeal_open(
    client, citizen, appeal_writes
):
    appeal_writes += [("error", "ThrottlingException")] * (appeal_filing.BACKOFF.attempts * 5)
    r = _file(client, citizen, _day(2))
    assert r.status_code == 503 and r.json["error"]["code"] == "service_unavailable", r.json
    appeal_writes.clear()
    assert (
        client.get("/api/v1/appeals", headers={"Authorization": citizen["Authorization"]}).json[
            "items"
        ]
        == []
    )
    assert _file(client, citizen, _day(2)).status_code == 201  # the date was never held


def test_appeal__only_the_guards_condition__is_appeal_open(client, citizen, appeal_writes):
    appeal_writes += [("cancelled", ["None", "ConditionalCheckFailed"])]
    r = _file(client, citizen, _day(2))
    assert r.status_code == 409 and r.json["error"]["code"] == "appeal_open"
    appeal_writes += [
        ("cancelled", ["ConditionalCheckFailed", "None"])
    ]  # an appeal id taken: a fresh one
    assert _file(client, citizen, _day(2)).status_code == 201
