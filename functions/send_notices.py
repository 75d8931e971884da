"""Every minute (worker stage): send the outbox's due notices (core.notices.outbox) and
delete each one sent. Settlement only writes notices; a WeChat outage leaves them due later; a
notice whose sender died mid-send becomes `unknown` for ops (core.notices.notice_states).
One `send_notices` summary line per run: sent, delayed, dropped, failed, unknown. The local
stack runs this same handler every LOCAL_NOTICE_SECONDS (infra/local_stack.py)."""

import bootstrap
from core.logs import log
from core.notices import notifications, outbox
from core.runlog import run_summary


def handler(event, context):
    time_left = context.get_remaining_time_in_millis if context is not None else None
    return run(bootstrap.for_function(), time_left)


def run(services, time_left=None, log_idle: bool = True) -> dict:
    """One run of the sender (the schedule, `tanpuhui notices send`, the local stack's timer,
    which passes log_idle=False: a line every few seconds saying nothing happened is noise)."""
    template_ids = notifications.template_ids(services.settings)
    if log_idle:
        with run_summary("send_notices") as line:
            line.update(
                outbox.send_due(services.gateways.wechat, template_ids, time_left=time_left)
            )
        return line
    counts = outbox.send_due(services.gateways.wechat, template_ids, time_left=time_left)
    if any(counts.values()):
        log("send_notices", **counts, status="done")
    return counts
