"""org add · phcer batch · phcer sold · phcer feedback (export phcer --batch lives with export phcer)"""
import click

from infra.cli import cli, operator, summary


@cli.group(help="Organisations that aggregate reductions into PHCER.")
def org():
    pass


@org.command("add", help="Onboard an organisation for project types; prints org_id= and key= (shown once).")
@click.argument("name")
@click.option("--types", required=True, help="comma-separated: pv,heat_pump,efficient_ac,afforestation,cycling")
@click.option("--by", default=operator, show_default="your login name", help="the operator doing this (recorded)")
@click.pass_obj
def org_add(settings, name, types, by):
    from core.enterprise.orgs import add_org

    try:
        org_id, key = add_org(name, types.split(","), by)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    click.echo(f"org_id={org_id}\nkey={key}")
    summary(f"organisation {name} added as {org_id}", err=True)


@cli.group(help="PHCER batches: make, mark sold, feed back to citizens.")
def phcer():
    pass


@phcer.command("batch", help="Number a batch of an organisation's not yet batched readings ending in the period.")
@click.option("--org", "org_id", required=True)
@click.option("--from", "start", required=True, help="YYYY-MM-DD")
@click.option("--to", "end", required=True, help="YYYY-MM-DD")
@click.option("--by", default=operator, show_default="your login name", help="the operator doing this (recorded)")
@click.option("--resume", "resume_id", default=None, help="finish a batch a crashed run left building")
@click.pass_obj
def phcer_batch(settings, org_id, start, end, by, resume_id):
    from core.enterprise import phcer as mod

    if resume_id:
        b = mod.get_batch(resume_id)
        b = mod.finish(b, by) if b.status == "building" else b
    else:
        b = mod.make_batch(org_id, start, end, by)
    click.echo(f"batch_id={b.batch_id}")
    summary(f"batch {b.batch_id} {b.status}: {int(b.lines)} readings, {int(b.grams or 0)} g", err=True)


@phcer.command("sold", help="Record the sale of a sealed batch on the exchange.")
@click.argument("batch_id")
@click.option("--yuan", required=True, help="proceeds, e.g. 1234.50")
@click.option("--by", default=operator, show_default="your login name", help="the operator doing this (recorded)")
@click.pass_obj
def phcer_sold(settings, batch_id, yuan, by):
    from decimal import Decimal, InvalidOperation

    from core.enterprise import phcer as mod

    try:
        amount = Decimal(yuan)
    except InvalidOperation:
        raise click.BadParameter("--yuan must be a number") from None
    b, changed = mod.mark_sold(batch_id, amount, by)
    click.echo(f"batch_id={b.batch_id}")
    summary(f"batch {batch_id} {'sold' if changed else 'was sold already'} for {amount} yuan", err=True)


@phcer.command("feedback", help="Share N coins among the batch's citizens pro rata to grams (once; re-runs add nothing).")
@click.argument("batch_id")
@click.option("--coins", required=True, type=int)
@click.option("--by", default=operator, show_default="your login name", help="the operator doing this (recorded)")
@click.pass_obj
def phcer_feedback(settings, batch_id, coins, by):
    from core.enterprise.feedback import feedback

    r = feedback(batch_id, coins, by)
    click.echo(f"batch_id={batch_id}\ncitizens={r['citizens']}\ncoins_now={r['coins_now']}")
    summary(f"feedback {batch_id}: {coins} coins among {r['citizens']} citizens, {r['coins_now']} credited now",
            err=True)
