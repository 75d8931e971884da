"""Every 5 minutes: orders whose cash part was not paid within 15 minutes are closed at WeChat Pay
and cancelled, coins, stock and codes returned (the hourly expire_orders does the same, later)."""
from core.mall import payments
from core.runlog import run_summary
from functions.runtime import ready


def handler(event, context):
    settings, gateways = ready()
    with run_summary("cancel_unpaid") as line:
        line.update(payments.expire_unpaid(gateways.wechatpay))
    return line
