"""Every 5 minutes: orders whose cash part was not paid within 15 minutes are closed at WeChat Pay
and cancelled, coins, stock and codes returned (the hourly expire_orders does the same, later)."""

import bootstrap
from core.mall import payments
from core.runlog import run_summary


def handler(event, context):
    gateways = bootstrap.for_function().gateways
    with run_summary("cancel_unpaid") as line:
        line.update(payments.expire_unpaid(gateways.wechatpay))
    return line
