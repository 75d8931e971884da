"""The endpoint's fault switch decides per request: which write fails, and that the SDK's
retries of a failed call keep failing while other calls pass."""

import pytest

from infra.endpoint_faults import Faults


def test_fail_write__kth_write_refused_reads_not_counted():
    f = Faults()
    f.fail_write(3)
    assert [
        f.decide(op, f"call{i}")
        for i, op in enumerate(
            ["PutItem", "GetItem", "Query", "UpdateItem", "TransactWriteItems", "PutItem"]
        )
    ] == ["pass", "pass", "pass", "pass", "refuse", "pass"]
    assert f.state()["failed"] == 1 and f.state()["armed_in"] == 0


def test_fail_write__retries_of_the_failed_call_also_refused():
    f = Faults()
    f.fail_write(1)
    assert f.decide("TransactWriteItems", "call-a") == "refuse"
    assert (
        f.decide("TransactWriteItems", "call-a") == "refuse"
    )  # botocore's retry: same invocation id
    assert f.decide("TransactWriteItems", "call-b") == "pass"
    assert f.state()["failed"] == 1


def test_fail_write_after_applying__once_then_retries_pass():
    f = Faults()
    f.fail_write(2, after_applying=True)
    assert [f.decide("PutItem", c) for c in ["a", "b", "b", "c"]] == [
        "pass",
        "apply_then_refuse",
        "pass",
        "pass",
    ]


def test_clear__disarms_and_forgets_failing_calls():
    f = Faults()
    f.fail_write(1)
    assert f.decide("DeleteItem", "x") == "refuse"
    f.fail_write(5)
    f.clear()
    assert [f.decide("DeleteItem", c) for c in ["x", "y", "z", "v", "w", "u"]] == ["pass"] * 6


def test_control_route__post_arms_get_reports_delete_clears():
    f = Faults()
    assert f.control("POST", b'{"fail_write": 2, "after_applying": true}') == {
        "armed_in": 2,
        "after_applying": True,
        "failed": 0,
    }
    assert f.control("DELETE", b"")["armed_in"] == 0


def test_fail_write__k_below_one_refused():
    with pytest.raises(ValueError):
        Faults().fail_write(0)
