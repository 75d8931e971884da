"""merchant add/key/revoke-key · expire-orders · export redemptions · export product-usage"""

import sys

import click

from infra.cli import cli, export, output, refused, services, summary


@cli.group(help="Merchants and their staff keys.")
def merchant():
    pass


@merchant.command("add", help="Add a merchant; prints merchant_id=… on stdout.")
@click.argument("name")
def merchant_add(name):
    from core.mall.merchants import add_merchant

    merchant_id = add_merchant(name)
    output(merchant_id=merchant_id)
    summary(f"merchant {name} added as {merchant_id}")


@merchant.command(
    "key",
    help="Issue a staff key: prints key_id=… and key=… on stdout (shown once; stored hashed). "
    "A merchant may hold several, each named after who or which till uses it.",
)
@click.argument("merchant_id")
@click.option("--name", default=None, help="who or which till holds the key, e.g. 前台1号收银")
def merchant_key(merchant_id, name):
    from core.mall.merchants import issue_key

    if name is not None and not 1 <= len(name.strip()) <= 40:
        summary("a key's --name is 1 to 40 characters")
        sys.exit(1)
    key_id, key = issue_key(merchant_id, name=name.strip() if name else None)
    output(key_id=key_id, key=key)
    summary(f"key {key_id} issued for {merchant_id} (store it now: it cannot be shown again)")


@merchant.command(
    "keys", help="List a merchant's staff keys: id, name, issued, revoked (never the keys)."
)
@click.argument("merchant_id")
def merchant_keys(merchant_id):
    from core.mall.merchants import list_keys

    keys = list_keys(merchant_id)
    for k in keys:
        click.echo(
            f"{k['key_id']}\t{k['name'] or '-'}\tissued {k['created_at']}\t"
            + (f"revoked {k['revoked_at']}" if k["revoked_at"] else "active")
        )
    active = sum(1 for k in keys if not k["revoked_at"])
    summary(f"{merchant_id}: {len(keys)} keys, {active} active")


@merchant.command("revoke-key", help="Revoke a staff key by its key id (k_...).")
@click.argument("key_id")
def merchant_revoke(key_id):
    from core.mall.merchants import revoke_key

    n = revoke_key(key_id)
    summary(f"revoked {n} key(s) with id {key_id}")
    if n == 0:
        sys.exit(1)


@cli.command(
    "expire-orders",
    help="Expire issued orders past their expiry (refund and restock) and send "
    "the notices for orders expiring within 24 h (what the hourly schedule does).",
)
@click.pass_obj
def expire_orders(settings):
    from core.mall import expiry

    c = expiry.hourly(services().notifier(), pay=services().gateways.wechatpay)
    summary(
        f"cancelled {c['unpaid_cancelled']} of {c['unpaid_due']} unpaid orders ({c['paid_late']} paid meanwhile); "
        f"expired {c['expired']} of {c['due']} due orders ({c['skipped']} redeemed or cancelled meanwhile); "
        f"{c['notified']} expiry notices sent, {c['notify_failed']} failed"
    )


@export.command("redemptions", help="CSV of a merchant's redemptions per day, for reconciliation.")
@click.option("--merchant", "merchant_id", required=True)
@click.option("--from", "start", required=True)
@click.option("--to", "end", required=True)
@click.option("--out", type=click.File("w"), default="-")
def export_redemptions(merchant_id, start, end, out):
    import csv
    from datetime import timedelta

    from core.localday import parse_date
    from core.mall.redemption import redemptions, totals

    d, last, rows = parse_date(start), parse_date(end), []
    w = csv.writer(
        out, lineterminator="\n"
    )  # product names are merchants' text: quoted as CSV needs
    w.writerow(
        [
            "date",
            "order_id",
            "product_id",
            "product_name",
            "quantity",
            "coins",
            "cash_yuan",
            "redeemed_at",
        ]
    )
    while d <= last:
        for r in redemptions(merchant_id, d.isoformat()):
            w.writerow(
                [
                    d,
                    r["order_id"],
                    r["product"]["id"],
                    r["product"]["name"],
                    r["quantity"],
                    r["coins"],
                    _yuan(r["cash_fen"]),
                    r["redeemed_at"],
                ]
            )
            rows.append(r)
        d += timedelta(days=1)
    t = totals(rows)
    w.writerow(["total", "", "", "", t["quantity"], t["coins"], _yuan(t["cash_fen"]), ""])
    summary(
        f"exported {t['count']} redemptions of {merchant_id} {start}..{end}: {t['coins']} coins, "
        f"{_yuan(t['cash_fen'])} yuan"
    )


def _yuan(fen: int) -> str:
    from core.books.fen import text

    return text(fen)


@export.command(
    "product-usage",
    help="CSV per product (and district where known) of a merchant's month: orders, "
    "coins, cash, redemptions. Counts only, no citizen; a cell of fewer than 5 "
    "citizens is written <5. For the green products' makers.",
)
@click.option("--merchant", "merchant_id", required=True)
@click.option("--month", required=True, help="YYYY-MM (Asia/Shanghai)")
@click.option("--out", type=click.File("w"), default="-")
def export_product_usage(merchant_id, month, out):
    from core.errors import ApiError
    from core.mall.product_usage import product_usage

    try:
        text = product_usage(merchant_id, month)
    except ApiError as e:
        raise refused(e) from None
    out.write(text)
    summary(f"product usage of {merchant_id} in {month}: {len(text.splitlines()) - 1} rows")


@merchant.command(
    "upsert",
    help="Create or update merchants' directory records from a JSON list of "
    '{"id", "name", "category" (retail|services|tourism), "district" (one of '
    'Guangzhou\'s 11 districts, in Chinese), "address"}. Every merchant is checked '
    "first; a file with any problem changes nothing. Prints what changed; running it "
    "again changes nothing.",
)
@click.argument("file", type=click.File("r", encoding="utf-8"))
def merchant_upsert(file):
    import json

    from core.mall import directory
    from core.mall.merchant_rules import InvalidMerchants, parse_merchants

    try:
        specs = parse_merchants(json.load(file))
    except (ValueError, InvalidMerchants) as e:
        for problem in getattr(e, "problems", [f"not JSON: {e}"]):
            click.echo(f"invalid: {problem}", err=True)
        summary("nothing changed: the file has problems")
        sys.exit(1)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for outcome, merchant_id, changes in directory.upsert(specs):
        counts[outcome] += 1
        if changes:
            click.echo(
                f"{outcome} {merchant_id}: "
                + ", ".join(f"{k} {old or '-'} -> {new}" for k, (old, new) in changes.items())
            )
    summary(
        f"merchants: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
    )
