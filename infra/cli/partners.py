"""partner add NAME"""

import click

from infra.cli import BY, cli, output, services, summary


@cli.group(help="Data partners.")
def partner():
    pass


@partner.command(
    "add", help="Onboard a partner for some scenarios; prints partner_id= and secret= once."
)
@click.argument("name")
@click.option(
    "--scenarios", required=True, help="comma-separated behaviour scenarios it may push, e.g. bike"
)
@click.option(
    "--daily-cap",
    type=click.IntRange(1),
    default=100_000,
    show_default=True,
    help="records accepted per local day, all its citizens together",
)
@BY
@click.pass_obj
def partner_add(settings, name, scenarios, daily_cap, by):
    from core.carbon.partner_admin import add_partner, check_scenarios

    try:
        chosen = check_scenarios(scenarios.split(","), services().registry())
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    pid, secret = add_partner(settings, name, scenarios=chosen, daily_cap=daily_cap, by=by)
    output(partner_id=pid, secret=secret)
    summary(
        f"partner {name} added as {pid} for {','.join(sorted(chosen))}, {daily_cap} records a day",
        err=True,
    )


@partner.command("scope", help="Change the scenarios a partner may push or its daily cap.")
@click.argument("partner_id")
@click.option("--scenarios", default=None)
@click.option("--daily-cap", type=click.IntRange(1), default=None)
@BY
@click.pass_obj
def partner_scope(settings, partner_id, scenarios, daily_cap, by):
    from core.carbon.partner_admin import check_scenarios, set_scope

    try:
        chosen = check_scenarios(scenarios.split(","), services().registry()) if scenarios else None
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    if chosen is None and daily_cap is None:
        raise click.BadParameter("give --scenarios or --daily-cap")
    set_scope(partner_id, chosen, daily_cap, by=by)
    summary(f"partner {partner_id} scope changed")


@partner.command(
    "rotate-secret", help="Issue a new secret; the old one stays valid until retire-secret."
)
@click.argument("partner_id")
@BY
@click.pass_obj
def partner_rotate(settings, partner_id, by):
    from core.carbon.partner_admin import rotate_secret

    secret = rotate_secret(settings, partner_id, by=by)
    output(partner_id=partner_id, secret=secret)
    summary(
        f"partner {partner_id}: new secret issued; the previous one works until retire-secret",
        err=True,
    )


@partner.command("retire-secret", help="Stop accepting the secret before the last rotation.")
@click.argument("partner_id")
@BY
@click.pass_obj
def partner_retire(settings, partner_id, by):
    from core.carbon.partner_admin import retire_previous_secret

    retire_previous_secret(partner_id, by=by)
    summary(f"partner {partner_id}: previous secret retired")
