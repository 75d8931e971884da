"""Late data: a record that arrives for a day whose settlement has started marks that day, and
the nightly run settles yesterday plus every marked day of the late-data window.

Invariant (no clocks compared): ingestion stores a record first and then adds 1 to the day's
`late_marks` (only if the day's run record exists); a settlement run reads `late_marks` when it
starts and keeps it as `started_marks` before it reads any record. So a record stored before the
run started is seen by it, and one stored later leaves late_marks > started_marks: the day is
settled again by the next run, which credits only what is new (core.carbon.settlement).
"""

from __future__ import annotations

from datetime import date as date_cls
from datetime import timedelta

from pynamodb.exceptions import UpdateError

from core.carbon.validation import LATE_DAYS
from core.errors import ServiceUnavailable
from models.settlement import SettlementRun

DATE_RUN = -1  # shard number of the whole-date record


def mark_settled_days(days, stamp: str | None = None) -> None:
    """Mark each of `days` whose settlement has started (the others need no mark)."""
    for day in sorted(set(days)):
        try:
            # Only a day with a run record: an unsettled day is settled in full by its first run.
            SettlementRun(day, DATE_RUN).update(
                actions=[SettlementRun.late_marks.add(1)], condition=SettlementRun.date.exists()
            )
        except UpdateError as e:
            if getattr(e, "cause_response_code", None) != "ConditionalCheckFailedException":
                raise ServiceUnavailable() from e  # the sender retries; a re-sent record marks again


def run_started(day: str) -> None:
    """Called before a run reads any record of `day`: remember the marks it covers."""
    try:
        marks = int(SettlementRun.get(day, DATE_RUN, consistent_read=True).late_marks or 0)
    except SettlementRun.DoesNotExist:
        marks = 0
    SettlementRun(day, DATE_RUN).update(
        actions=[SettlementRun.started_marks.set(marks), SettlementRun.status.set("running")]
    )


def needs_run(run: SettlementRun) -> bool:
    """Late records since the last start, or a run that did not finish every shard."""
    return int(run.late_marks or 0) > int(run.started_marks or 0) or run.status != "done"


def dates_to_settle(today: date_cls) -> list[str]:
    """What the nightly run settles: yesterday, then every earlier day of the window that is
    marked (or whose last run was incomplete), oldest first. One BatchGetItem."""
    yesterday = today - timedelta(days=1)
    earlier = [(yesterday - timedelta(days=k)).isoformat() for k in range(LATE_DAYS - 1, 0, -1)]
    runs = {
        r.date: r
        for r in SettlementRun.batch_get([(d, DATE_RUN) for d in earlier], consistent_read=True)
    }
    return [d for d in earlier if d in runs and needs_run(runs[d])] + [yesterday.isoformat()]
