"""Every 10 minutes (worker stage): append to the transparency log every ledger entry written
before the cut-off (the clock minus LOG_MERGE_DELAY_SECONDS) and sign the new tree head
(core.transparency.append). A run that runs low on time stops at a checkpoint and the next run
finishes the same cut-off; a run that finds another one ahead of it stops. One `log_append` line."""

import bootstrap
from core import localday
from core.runlog import run_summary
from core.transparency import append, store


def handler(event, context):
    time_left = context.get_remaining_time_in_millis if context is not None else None
    return run(bootstrap.for_function(), time_left)


def run(services, time_left=None) -> dict:
    """One append (the schedule and `tanpuhui log append`)."""
    with run_summary("log_append") as line:
        try:
            done = append.append(
                localday.now(), services.settings.log_merge_delay_seconds, time_left
            )
        except store.Moved:
            line.update(status_detail="another append moved the checkpoint first")
            return line
        except store.Backfilling:
            line.update(status_detail="waiting for `tanpuhui log backfill` to finish")
            return line
        line.update(
            tree_size=done.tree_size,
            root_hash=done.root_hash,
            appended=done.appended,
            signed=done.head is not None,
        )
    return line
