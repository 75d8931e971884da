"""Hourly: issued orders past their expiry become expired, refunded and restocked; owners of
orders expiring within 24 h get one notice (if they accepted it)."""

import bootstrap
from core.mall import expiry


def handler(event, context):
    services = bootstrap.for_function()
    return expiry.hourly(services.notifier(), pay=services.gateways.wechatpay)
