"""books [--from D --to D]: the trial balance of the whole coin book."""
import sys

import click

from infra.cli import cli, summary


def print_trial_balance(tb: dict) -> None:
    click.echo(f"citizens={tb['citizens']}")
    for account, coins in tb["platform"].items():
        click.echo(f"{account}={coins}")
    click.echo(f"total={tb['total']}")


@cli.command(help="Trial balance: coins held by citizens and every platform account (issued per scenario, "
                  "spent per merchant, refunded, forfeited, adjusted). Exits 1 unless it sums to zero.")
@click.option("--from", "start", default=None, help="YYYY-MM-DD (Asia/Shanghai); with --to: movements of the period")
@click.option("--to", "end", default=None)
@click.pass_obj
def books(settings, start, end):
    from core import localday
    from core.books.platform import trial_balance

    if bool(start) != bool(end):
        raise click.BadParameter("--from and --to go together")
    try:
        if start and localday.parse_date(start) > localday.parse_date(end):
            raise click.BadParameter("--from must be on or before --to")
    except localday.InvalidDate:
        raise click.BadParameter("dates are YYYY-MM-DD") from None
    tb = trial_balance(start, end)
    print_trial_balance(tb)
    period = f"{start}..{end}" if start else "all time"
    summary(f"books {period}: {'balanced' if tb['total'] == 0 else 'OUT OF BALANCE by ' + str(tb['total'])}", err=True)
    if tb["total"] != 0:
        sys.exit(1)
