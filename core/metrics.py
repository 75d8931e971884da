"""Metrics as CloudWatch Embedded Metric Format lines: CloudWatch turns these log
lines into metrics with no agent and no API call on the request path."""
from __future__ import annotations

import time

from core.logs import log

NAMESPACE = "Tanpuhui"


def metric(name: str, value: float, unit: str = "Count", stage: str | None = None, **dimensions) -> None:
    """One EMF line: e.g. metric("CoinsCredited", 120), metric("Redemptions", 1, merchant="m_1")."""
    if stage is None:
        from core import settings

        stage = settings.get().stage
    dims = {"stage": stage, **{k: str(v) for k, v in dimensions.items()}}
    log("metric", _aws={"Timestamp": int(time.time() * 1000), "CloudWatchMetrics": [{
        "Namespace": NAMESPACE, "Dimensions": [sorted(dims)], "Metrics": [{"Name": name, "Unit": unit}]}]},
        **dims, **{name: value})
