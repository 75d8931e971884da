"""settle · ledger check · adjust · export phcer · methodology list/publish"""
import sys

import click

from infra.cli import cli, export, output, services, summary


@cli.command(help="Settle a date (all shards, or one with --shard). Re-running credits only new grams.")
@click.option("--date", "date_", required=True, help="YYYY-MM-DD (Asia/Shanghai)")
@click.option("--shard", type=int, default=None, help="settle only this shard")
@click.pass_obj
def settle(settings, date_, shard):
    from tqdm import tqdm

    from core import localday
    from core.carbon import settlement_runs

    date_ = localday.parse_date(date_).isoformat()
    if shard is not None:
        if not 0 <= shard < settings.settle_shards:
            raise click.BadParameter(f"shard must be 0..{settings.settle_shards - 1}")
        t = settlement_runs.run_shard(settings, date_, shard, notifier=services().notifier())
        summary(f"settled {date_} shard {shard}: {t['credited']} users credited, {t['coins']} coins, {t['grams']} g")
        return
    with tqdm(total=settings.settle_shards, desc=f"settle {date_}", unit="shard", file=sys.stderr) as bar:
        t = settlement_runs.run_date(settings, date_, progress=bar.update, notifier=services().notifier())
    summary(f"settled {date_}: {t['credited']} users credited, {t['coins']} coins, {t['grams']} g, "
            f"failed shards {t['failed_shards'] or 'none'}")
    if t["failed_shards"]:
        sys.exit(1)


@cli.group(help="The coin ledger.")
def ledger():
    pass


@ledger.command("check", help="Report accounts whose balance differs from the sum of their entries or is negative.")
@click.pass_obj
def ledger_check(settings):
    from core.books.checks import check_all

    problems = check_all()
    for p in problems:
        click.echo(p)
    summary(f"ledger check: {len(problems)} problem(s)")
    if problems:
        sys.exit(1)


@cli.command(help="Move coins on a user's account with a mandatory reason (recorded in the ledger).")
@click.argument("user_id")
@click.argument("amount", type=int)
@click.option("--reason", required=True, help="why: shown in the user's ledger")
@click.option("--id", "adjustment_id", default=None, help="idempotency id: the same id never moves coins twice")
@click.pass_obj
def adjust(settings, user_id, amount, reason, adjustment_id):
    import uuid

    from core.books import ledger as ledger_mod

    if amount == 0 or not reason.strip():
        raise click.BadParameter("amount must be non-zero and the reason non-empty")
    entry_id = f"adjust#{adjustment_id or uuid.uuid4().hex}"
    totals = {"earned_total": amount} if amount > 0 else {"spent_total": -amount}
    posted = ledger_mod.post(ledger_mod.Movement(user_id, entry_id, amount, "adjustment", ref=reason[:200],
                                                 detail={"reason": reason}, totals=totals))
    state = "already applied" if posted.replayed else "applied"
    output(entry_id=entry_id, balance=posted.balance_after)
    summary(f"adjustment {entry_id} {state}: {amount:+d} coins, balance {posted.balance_after}")


@export.command("phcer", help="The filing of one PHCER batch (--batch, byte-identical every time), or citizens' "
                              "PHCER-scenario reductions per day (--from/--to).")
@click.option("--batch", "batch_id", default=None, help="a batch id from `phcer batch`")
@click.option("--from", "start", default=None)
@click.option("--to", "end", default=None)
@click.option("--out", type=click.File("w"), default="-")
@click.pass_obj
def export_phcer(settings, batch_id, start, end, out):
    from core.books.reports import phcer_rows

    if batch_id:
        from core.books.phcer_export import export_csv

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
