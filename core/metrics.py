"""Metrics as CloudWatch Embedded Metric Format lines: CloudWatch turns these lines of a
function's output into metrics with no agent and no API call on the request path.

Invariants:
- Every metric line is written by `metric`, straight to the output stream (stdout unless
  bootstrap names another): never through the logger, so no LOG_LEVEL can silence a metric.
- A line is valid EMF whatever the caller passed: every name listed in `Dimensions` is a key
  of the line with a string value, the metric's value is a number, its unit one CloudWatch knows.
- Writing a metric never fails its caller (an order already committed answers 201 even if the
  stream is gone).
- Dimension values are written as given, never scrubbed: a dimension is a low-cardinality label
  of ours (DIMENSIONS lists the names; tests/unit/test_emf_writers.py holds call sites to it),
  never a citizen's data, so there is nothing in it to mask.
"""

from __future__ import annotations

import json
import sys
import threading
import time

NAMESPACE = "Tanpuhui"
# The dimension names a metric may carry (besides `stage`): labels with a handful of values each.
DIMENSIONS = frozenset(
    {"source", "error_code", "fulfilment", "cash", "shard", "route_class", "unit_status", "app"}
)
UNITS = frozenset({"Count", "Milliseconds", "Seconds", "Bytes", "Percent", "None"})

_lock = threading.Lock()  # one line, one write: lines from threads never interleave
_stream = None  # None: whatever sys.stdout is at write time (Lambda, pytest's capture)


def setup(stream=None) -> None:
    """Where metric lines go: stdout (None), or the stream a CLI keeps its stdout free of."""
    global _stream
    _stream = stream


def metric(
    name: str, value: float, unit: str = "Count", stage: str | None = None, **dimensions
) -> None:
    """One EMF line: e.g. metric("CoinsCredited", 120), metric("Errors", 1, source="api")."""
    if stage is None:
        from core import settings

        stage = settings.get().stage
    dims = {"stage": str(stage), **{k: str(v) for k, v in dimensions.items()}}
    number = (
        value if type(value) in (int, float) else float(value)
    )  # a Decimal read from DynamoDB, a bool
    line = {
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [
                {
                    "Namespace": NAMESPACE,
                    "Dimensions": [sorted(dims)],
                    "Metrics": [{"Name": name, "Unit": unit}],
                }
            ],
        },
        "event": "metric",
        **dims,
        name: number,
    }
    # ASCII: a value's U+0085 or U+2028 written raw would break the line for a reader that splits there.
    text = json.dumps(line, separators=(",", ":")) + "\n"
    stream = _stream or sys.stdout
    try:
        with _lock:
            stream.write(text)
            stream.flush()
    except (OSError, ValueError):  # a closed or broken stream: as logging does, the caller goes on
        pass
