"""merchant add/key/revoke-key · expire-orders · export redemptions"""
import sys

import click

from infra.cli import cli, export, summary


@cli.group(help="Merchants and their staff keys.")
def merchant():
    pass


@merchant.command("add", help="Add a merchant; prints its id.")
@click.argument("name")
def merchant_add(name):
    from core.mall.redemption import add_merchant

    summary(f"merchant {name} added as {add_merchant(name)}")


@merchant.command("key", help="Issue a staff key (shown once; stored hashed).")
@click.argument("merchant_id")
def merchant_key(merchant_id):
    from core.mall.redemption import issue_key

    key_id, key = issue_key(merchant_id)
    click.echo(f"key={key}")
    summary(f"key {key_id} issued for {merchant_id} (store it now: it cannot be shown again)")


@merchant.command("revoke-key", help="Revoke a staff key by its key id (k_...).")
@click.argument("key_id")
def merchant_revoke(key_id):
    from core.mall.redemption import revoke_key

    n = revoke_key(key_id)
    summary(f"revoked {n} key(s) with id {key_id}")
    if n == 0:
        sys.exit(1)


@cli.command("expire-orders", help="Expire issued orders past their expiry (refund and restock) and send "
                                   "the notices for orders expiring within 24 h (what the hourly schedule does).")
@click.pass_obj
def expire_orders(settings):
    from core.mall import expiry
    from core.citizens.notifications import Notifier
    from gateways import Gateways

    c = expiry.hourly(Notifier(settings, Gateways(settings).wechat))
    summary(f"expired {c['expired']} of {c['due']} due orders ({c['skipped']} redeemed or cancelled meanwhile); "
            f"{c['notified']} expiry notices sent, {c['notify_failed']} failed")


@export.command("redemptions", help="CSV of a merchant's redemptions per day, for reconciliation.")
@click.option("--merchant", "merchant_id", required=True)
@click.option("--from", "start", required=True)
@click.option("--to", "end", required=True)
@click.option("--out", type=click.File("w"), default="-")
def export_redemptions(merchant_id, start, end, out):
    from datetime import date, timedelta

    from core.mall.redemption import redemptions

    d, last, n = date.fromisoformat(start), date.fromisoformat(end), 0
    out.write("date,order_id,product_id,product_name,quantity,redeemed_at\n")
    while d <= last:
        for r in redemptions(merchant_id, d.isoformat()):
            out.write(f"{d},{r['order_id']},{r['product']['id']},{r['product']['name']},{r['quantity']},"
                      f"{r['redeemed_at']}\n")
            n += 1
        d += timedelta(days=1)
    summary(f"exported {n} redemptions of {merchant_id} {start}..{end}")
