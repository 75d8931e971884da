"""Metric lines: valid EMF, straight to their stream whatever the log level, dimensions as given."""

import decimal
import io
import json

import pytest

from core import logs, metrics
from tests.support import emf


@pytest.fixture
def out():
    buf = io.StringIO()
    metrics.setup(buf)
    yield buf
    metrics.setup(None)


def _lines(buf):
    return [json.loads(x) for x in buf.getvalue().splitlines()]


def test_metric__emf_line_names_metric_and_dimensions(out):
    metrics.metric("CoinsCredited", 42, stage="test", shard="003")
    [line] = _lines(out)
    spec = line["_aws"]["CloudWatchMetrics"][0]
    assert spec["Namespace"] == "Tanpuhui" and spec["Metrics"] == [
        {"Name": "CoinsCredited", "Unit": "Count"}
    ]
    assert spec["Dimensions"] == [["shard", "stage"]]
    assert line["CoinsCredited"] == 42 and line["stage"] == "test" and line["shard"] == "003"
    assert emf.problems(out.getvalue()) == []


@pytest.mark.parametrize("level", ["WARNING", "ERROR", "CRITICAL"])
def test_metric__written_whatever_the_log_level(out, level):
    logs.setup(level, stream=io.StringIO())
    try:
        logs.log("ordinary_line")
        metrics.metric("Orders", 1, stage="prod", fulfilment="voucher", cash=False)
    finally:
        logs.setup("INFO")
    [line] = _lines(out)
    assert line["Orders"] == 1 and line["cash"] == "False" and line["fulfilment"] == "voucher"


def test_metric__dimension_values_never_scrubbed(out):
    # Ten digits in a row is what the log scrubber masks as a phone or card number.
    metrics.metric("Errors", 1, stage="test", source="m_4544679774", error_code="4544679774")
    [line] = _lines(out)
    assert (line["source"], line["error_code"]) == ("m_4544679774", "4544679774")
    assert emf.problems(out.getvalue()) == []


@pytest.mark.parametrize(
    "value, written", [(decimal.Decimal("120"), 120.0), (True, 1.0), (2.5, 2.5), (7, 7)]
)
def test_metric__value_is_always_a_number(out, value, written):
    metrics.metric("CoinsCredited", value, stage="test")
    [line] = _lines(out)
    assert line["CoinsCredited"] == written and type(line["CoinsCredited"]) in (int, float)
    assert emf.problems(out.getvalue()) == []


def test_metric__a_closed_stream_never_fails_the_caller():
    closed = io.StringIO()
    closed.close()
    metrics.setup(closed)
    try:
        metrics.metric(
            "Orders", 1, stage="test"
        )  # the order is committed: its answer must not become a 500
    finally:
        metrics.setup(None)
