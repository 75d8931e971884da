"""org add · phcer batch · phcer sold · phcer feedback (export phcer --batch lives with export phcer)"""

import click

from infra.cli import BY, cli, refused, summary


@cli.group(help="Organisations that aggregate reductions into PHCER.")
def org():
    pass


@org.command(
    "add", help="Onboard an organisation for project types; prints org_id= and key= (shown once)."
)
@click.argument("name")
@click.option(
    "--types",
    required=True,
    help="comma-separated: pv,heat_pump,efficient_ac,afforestation,cycling",
)
@BY
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


@phcer.command(
    "batch",
    help="Number a batch of an organisation's not yet batched readings ending in the period; "
    "a batch that would be empty is refused (exit 1), not sealed.",
)
@click.option("--org", "org_id", required=True)
@click.option("--from", "start", required=True, help="YYYY-MM-DD")
@click.option("--to", "end", required=True, help="YYYY-MM-DD")
@BY
@click.option(
    "--resume", "resume_id", default=None, help="finish a batch a crashed run left building"
)
@click.pass_obj
def phcer_batch(settings, org_id, start, end, by, resume_id):
    from core.enterprise import phcer as mod
    from core.errors import ApiError

    try:
        if resume_id:
            b = mod.get_batch(resume_id)
            b = mod.finish(b, by) if b.status == "building" else b
        else:
            b = mod.make_batch(org_id, start, end, by)
    except ApiError as e:  # an empty batch, an unknown org, bad dates: refused, nothing sealed
        raise refused(e) from None
    click.echo(f"batch_id={b.batch_id}")
    summary(
        f"batch {b.batch_id} {b.status}: {int(b.lines)} readings, {int(b.grams or 0)} g", err=True
    )


@phcer.command(
    "sold",
    help="Record the sale of a sealed batch from the exchange's trade confirmation (JSON: "
    "trade_ref, trade_date, tonnes, price_yuan_per_tonne, gross_yuan, fees_yuan). "
    "Refused: more tonnes than certified, a batch sold already, gross != tonnes x price.",
)
@click.argument("batch_id")
@click.option(
    "--confirmation",
    "path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="the trade confirmation file (JSON)",
)
@BY
@click.pass_obj
def phcer_sold(settings, batch_id, path, by):
    import json

    from core.enterprise import phcer, phcer_sale, sale

    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except (OSError, ValueError) as e:
        raise click.ClickException(
            f"拒绝：成交确认文件不是有效的 JSON / refused: not a JSON file ({e})"
        ) from None
    try:
        b, changed = phcer_sale.record_sale(batch_id, sale.parse(raw), by)
    except (sale.SaleRefused, phcer_sale.AlreadySold, phcer.BatchState, phcer.BatchNotFound) as e:
        raise refused(e) from None
    s = b.sale
    click.echo(
        f"batch_id={b.batch_id}\ntrade_ref={s['trade_ref']}\ntonnes={s['tonnes']}\n"
        f"gross_yuan={s['gross_yuan']}\nfees_yuan={s['fees_yuan']}\nnet_yuan={s['net_yuan']}"
    )
    summary(
        f"batch {batch_id} {'sold' if changed else 'was recorded sold already, unchanged'}: {s['tonnes']} t, "
        f"net {s['net_yuan']} yuan",
        err=True,
    )


@phcer.command(
    "feedback",
    help="Return the policy's share of a sold batch's net proceeds to its citizens as coins, "
    "pro rata to their grams (posted once, whatever the number of runs).",
)
@click.argument("batch_id")
@BY
@click.pass_obj
def phcer_feedback(settings, batch_id, by):
    from core.enterprise import phcer as mod
    from core.enterprise.feedback import feedback

    try:
        r = feedback(batch_id, by)
    except (mod.BatchState, mod.BatchNotFound) as e:
        raise refused(e) from None
    click.echo(
        f"batch_id={batch_id}\ncoins={r['coins']}\ncitizens={r['citizens']}\ncoins_now={r['coins_now']}\n"
        f"returned_yuan={r['returned_yuan']}"
    )
    summary(
        f"feedback {batch_id}: {r['coins']} coins (share {r['policy']['share']}, {r['policy']['coins_per_yuan']} "
        f"coins/yuan) among {r['citizens']} citizens, {r['coins_now']} credited now",
        err=True,
    )


@cli.group(help="Published policies (versioned, effective after today, never retroactive).")
def policy():
    pass


@policy.group("publish", help="Publish a new policy version.")
def policy_publish():
    pass


@policy_publish.command(
    "feedback",
    help="The PHCER feedback policy: the share of a sale's net proceeds returned to "
    "citizens and the coins a yuan is worth, from a date after today.",
)
@click.option("--share", required=True, help="0 < share <= 1, e.g. 0.5")
@click.option("--coins-per-yuan", required=True, help="> 0, e.g. 10")
@click.option("--source", required=True, help="the decision this policy comes from")
@click.option("--from", "effective_from", required=True, help="YYYY-MM-DD, after today")
@BY
@click.pass_obj
def policy_publish_feedback(settings, share, coins_per_yuan, source, effective_from, by):
    from core.enterprise import policy as mod

    try:
        p = mod.publish(share, coins_per_yuan, source, effective_from, by)
    except (mod.PolicyRefused, mod.PolicyExists) as e:
        raise refused(e) from None
    click.echo(
        f"effective_from={p.effective_from}\nshare={p.share}\ncoins_per_yuan={p.coins_per_yuan}"
    )
    summary(
        f"feedback policy from {p.effective_from}: share {p.share}, {p.coins_per_yuan} coins a yuan",
        err=True,
    )
