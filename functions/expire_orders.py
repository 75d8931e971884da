"""Hourly: issued orders past their expiry become expired, refunded and restocked."""
from core import orders
from functions.runtime import ready


def handler(event, context):
    ready()
    return orders.expire_due()
