import io
import json

from core import logs, metrics


def test_metric__emf_line_names_metric_and_dimensions():
    buf = io.StringIO()
    logs.setup("INFO", stream=buf)
    metrics.metric("CoinsCredited", 42, stage="test", shard="003")
    line = json.loads(buf.getvalue())
    spec = line["_aws"]["CloudWatchMetrics"][0]
    assert spec["Namespace"] == "Tanpuhui" and spec["Metrics"] == [{"Name": "CoinsCredited", "Unit": "Count"}]
    assert spec["Dimensions"] == [["shard", "stage"]]
    assert line["CoinsCredited"] == 42 and line["stage"] == "test" and line["shard"] == "003"
