"""Scheduled: keep WeChat's shared access tokens (the mini-program's and the official
account's) fresh before they expire, so no user request or OA push waits for a token
fetch and containers never race to fetch one.

Each run emits WechatTokenAge per token (seconds since it was fetched, from what it has left
of WeChat's 2-hour lifetime): the wechat_token_stale alarm (infra/alarms.py) pages when a token
is older than LIFETIME_S, or when no run reported one for an hour (the refresher stopped)."""

import bootstrap
from core.metrics import metric
from core.runlog import run_summary

LIFETIME_S = 7200  # WeChat's access_token expires_in


def handler(event, context):
    return run(bootstrap.for_function().gateways)


def run(gateways) -> dict:
    """One refresh (the schedule, `tanpuhui wechat refresh-token`): seconds each token has left."""
    with run_summary("refresh_wechat_token") as line:
        line["seconds_left"] = gateways.wechat.refresh_access_token()
        line["oa_seconds_left"] = gateways.oa.refresh_access_token()
    metric("WechatTokenAge", LIFETIME_S - line["seconds_left"], unit="Seconds", app="mini_program")
    metric(
        "WechatTokenAge",
        LIFETIME_S - line["oa_seconds_left"],
        unit="Seconds",
        app="official_account",
    )
    return {"seconds_left": line["seconds_left"], "oa_seconds_left": line["oa_seconds_left"]}
