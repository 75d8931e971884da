"""Scheduled: keep WeChat's shared access token fresh before it expires, so no
user request waits for a token fetch and containers never race to fetch one."""
from core.logs import Timer, log
from functions.runtime import ready


def handler(event, context):
    settings, gateways = ready()
    timer = Timer()
    seconds_left = gateways.wechat.refresh_access_token()
    log("wechat_token_refreshed", seconds_left=seconds_left, duration_ms=timer.ms)
    return {"seconds_left": seconds_left}
