"""Scheduled: keep WeChat's shared access tokens (the mini-program's and the official
account's) fresh before they expire, so no user request or OA push waits for a token
fetch and containers never race to fetch one."""
import bootstrap
from core.runlog import run_summary


def handler(event, context):
    gateways = bootstrap.for_function().gateways
    with run_summary("refresh_wechat_token") as line:
        line["seconds_left"] = gateways.wechat.refresh_access_token()
        line["oa_seconds_left"] = gateways.oa.refresh_access_token()
    return {"seconds_left": line["seconds_left"], "oa_seconds_left": line["oa_seconds_left"]}
