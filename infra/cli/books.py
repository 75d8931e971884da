"""books [--from D --to D]: the trial balance of the whole coin book."""

import sys

import click

from infra.cli import cli, summary


def print_trial_balance(tb: dict) -> None:
    click.echo(f"citizens={tb['citizens']}")
    for account, coins in tb["platform"].items():
        click.echo(f"{account}={coins}")
    click.echo(f"total={tb['total']}")


def print_yuan_balance(yb: dict) -> None:
    from core.books.fen import text as yuan

    for account, fen in yb["accounts"].items():
        click.echo(f"yuan:{account}={yuan(fen)}")
    click.echo(
        f"proceeds_received_yuan={yuan(yb['received'])}\nproceeds_returned_yuan={yuan(yb['returned'])}\n"
        f"proceeds_kept_yuan={yuan(yb['kept'])}\nyuan_total={yuan(yb['total'])}"
    )


@cli.command(
    help="Trial balance: coins held by citizens and every platform account (issued per scenario, "
    "spent per merchant, refunded, forfeited, adjusted, fed back from PHCER), and beside it the "
    "PHCER proceeds in yuan (received, returned to citizens as coins, kept). Exits 1 unless both "
    "sum to zero."
)
@click.option(
    "--from",
    "start",
    default=None,
    help="YYYY-MM-DD (Asia/Shanghai); with --to: movements of the period",
)
@click.option("--to", "end", default=None)
@click.pass_obj
def books(settings, start, end):
    from core import localday
    from core.books.platform import trial_balance
    from core.books.yuan import trial_balance as yuan_balance

    if bool(start) != bool(end):
        raise click.BadParameter("--from and --to go together")
    try:
        if start and localday.parse_date(start) > localday.parse_date(end):
            raise click.BadParameter("--from must be on or before --to")
    except localday.InvalidDate:
        raise click.BadParameter("dates are YYYY-MM-DD") from None
    tb = trial_balance(start, end)
    print_trial_balance(tb)
    yb = (
        yuan_balance()
    )  # all time: proceeds are few and the period of a coin report does not split a sale
    print_yuan_balance(yb)
    period = f"{start}..{end}" if start else "all time"
    ok = tb["total"] == 0 and yb["total"] == 0
    summary(
        f"books {period}: {'balanced' if ok else 'OUT OF BALANCE by ' + str(tb['total']) + ' coins, ' + str(yb['total']) + ' fen'}",
        err=True,
    )
    if not ok:
        sys.exit(1)
