"""settle · ledger check · adjust · export phcer · methodology list/publish"""

import sys

import click

from infra.cli import cli, export, output, services, summary


@cli.command(
    help="Settle a date (all shards, or one with --shard). Re-running credits only new grams. "
    "Without --date: what the nightly run does (yesterday plus every day of the last 7 "
    "that received records after it was settled)."
)
@click.option("--date", "date_", default=None, help="YYYY-MM-DD (Asia/Shanghai), not after today")
@click.option("--shard", type=int, default=None, help="settle only this shard (needs --date)")
@click.pass_obj
def settle(settings, date_, shard):
    from tqdm import tqdm

    from core.carbon import settlement_runs
    from core.errors import ApiError

    if date_ is None:
        if shard is not None:
            raise click.BadParameter("--shard needs --date")
        dates = settlement_runs.due_dates()
        with tqdm(
            total=settings.settle_shards * len(dates), desc="settle", unit="shard", file=sys.stderr
        ) as bar:
            results = [settlement_runs.run_date(settings, d, progress=bar.update) for d in dates]
        failed = [t["date"] for t in results if t["failed_shards"]]
        summary(
            f"settled {', '.join(dates)}: {sum(t['credited'] for t in results)} users credited, "
            f"{sum(t['coins'] for t in results)} coins, {sum(t['quarantined'] for t in results)} quarantined, "
            f"incomplete {failed or 'none'}"
        )
        if failed:
            sys.exit(1)
        return
    try:
        date_ = settlement_runs.settleable(date_)
    except ApiError as e:  # not YYYY-MM-DD, or after today (Asia/Shanghai)
        raise click.BadParameter(f"{e.message_zh} {e.message}") from None
    if shard is not None:
        if not 0 <= shard < settings.settle_shards:
            raise click.BadParameter(f"shard must be 0..{settings.settle_shards - 1}")
        t = settlement_runs.run_shard(settings, date_, shard, services().registry())
        summary(
            f"settled {date_} shard {shard}: {t['credited']} users credited, {t['coins']} coins, {t['grams']} g"
        )
        return
    with tqdm(
        total=settings.settle_shards, desc=f"settle {date_}", unit="shard", file=sys.stderr
    ) as bar:
        t = settlement_runs.run_date(settings, date_, progress=bar.update)
    summary(
        f"settled {date_}: {t['credited']} users credited, {t['coins']} coins, {t['grams']} g, "
        f"{t['quarantined']} quarantined, failed shards {t['failed_shards'] or 'none'}"
    )
    if t["failed_shards"]:
        sys.exit(1)


@cli.group(help="The coin ledger.")
def ledger():
    pass


@ledger.command(
    "check",
    help="Report accounts whose balance differs from the sum of their entries or is negative, "
    "and a trial balance that does not sum to zero.",
)
@click.pass_obj
def ledger_check(settings):
    from core.books.checks import check_all
    from core.books.platform import trial_balance

    problems = check_all()
    total = trial_balance()["total"]
    if total != 0:  # double entry: citizens plus platform accounts must sum to zero
        problems.append(f"books out of balance by {total} (tanpuhui books)")
    for p in problems:
        click.echo(p)
    summary(f"ledger check: {len(problems)} problem(s)")
    if problems:
        sys.exit(1)


@cli.command(
    help="Move coins on a user's account; the reason and who made it are recorded in the entry."
)
@click.argument("user_id")
@click.argument("amount", type=int)
@click.option("--reason", required=True, help="why: shown in the user's ledger")
@click.option("--by", "by", required=True, help="who makes the adjustment (recorded)")
@click.option(
    "--id",
    "adjustment_id",
    default=None,
    help="idempotency id: the same id never moves coins twice",
)
@click.pass_obj
def adjust(settings, user_id, amount, reason, by, adjustment_id):
    from core.books import adjustments

    try:
        posted = adjustments.adjust(user_id, amount, reason, by, adjustment_id)
    except adjustments.AdjustmentRefused as e:
        raise click.ClickException(f"refused: {e}") from None
    state = "already applied" if posted.replayed else "applied"
    output(entry_id=posted.entry.entry_id, balance=posted.balance_after)
    summary(
        f"adjustment {posted.entry.entry_id} {state}: {amount:+d} coins by {by}, balance {posted.balance_after}"
    )


@export.command(
    "phcer",
    help="The filing of one PHCER batch (--batch, byte-identical every time), or citizens' "
    "PHCER-scenario reductions per day (--from/--to).",
)
@click.option("--batch", "batch_id", default=None, help="a batch id from `phcer batch`")
@click.option("--from", "start", default=None)
@click.option("--to", "end", default=None)
@click.option("--out", type=click.File("w"), default="-")
@click.pass_obj
def export_phcer(settings, batch_id, start, end, out):
    from core.enterprise.reports import phcer_rows

    if batch_id:
        from core.enterprise.phcer_export import export_csv

        text = export_csv(batch_id)
        out.write(text)
        summary(f"phcer batch {batch_id}: {text.count(chr(10))} lines", err=True)
        return
    if not (start and end):
        raise click.BadParameter("give --batch, or --from and --to")
    rows = phcer_rows(start, end)
    out.write("date,scenario,grams,count,users\n")
    for r in rows:
        out.write(f"{r['date']},{r['scenario']},{r['grams']},{r['count']},{r['users']}\n")
    summary(f"phcer export {start}..{end}: {len(rows)} rows, {sum(r['grams'] for r in rows)} g")
