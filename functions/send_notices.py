"""Every minute (worker stage): send the outbox's due notices (core.citizens.outbox) and
delete each one sent. Settlement only writes notices; a WeChat outage leaves them due later.
One `send_notices` summary line per run: sent, delayed (WeChat did not take them), dropped."""
import bootstrap
from core.citizens import notifications, outbox
from core.runlog import run_summary


def handler(event, context):
    services = bootstrap.for_function()
    time_left = context.get_remaining_time_in_millis if context is not None else None
    with run_summary("send_notices") as line:
        counts = outbox.send_due(services.gateways.wechat, notifications.template_ids(services.settings),
                                 time_left=time_left)
        line.update(counts)
    return counts
