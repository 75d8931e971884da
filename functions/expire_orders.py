"""Hourly: issued orders past their expiry become expired, refunded and restocked; owners of
orders expiring within 24 h get one notice (if they accepted it)."""
from core.mall import expiry
from core.citizens.notifications import Notifier
from functions.runtime import ready


def handler(event, context):
    settings, gateways = ready()
    return expiry.hourly(Notifier(settings, gateways.wechat), pay=gateways.wechatpay)
