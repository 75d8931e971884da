"""One JSON summary line per run of a scheduled or event-driven function.

    with run_summary("expire_orders") as line:
        line.update(counts)

logs `{"event": "expire_orders", "status": "done", ...counts, "duration_ms"}` when the block
ends, or the same with `status: "failed"` and `error_type` (never the message: it may hold
data) if it raises, and then an `Errors` metric; the exception still propagates.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

from core.logs import Timer, log
from core.metrics import metric


@contextmanager
def run_summary(event: str, **fields):
    timer = Timer()
    line = dict(fields)
    try:
        yield line
    except Exception as e:
        log(
            event,
            level=logging.ERROR,
            **line,
            status="failed",
            error_type=type(e).__name__,
            duration_ms=timer.ms,
        )
        metric("Errors", 1, source=event)
        raise
    log(event, **line, status="done", duration_ms=timer.ms)
