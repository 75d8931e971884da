"""partner add NAME · methodology list · methodology publish"""
import click

from infra.cli import cli, operator, output, services, summary


@cli.group(help="Data partners.")
def partner():
    pass


BY = click.option("--by", default=operator, show_default="your login name", help="the operator (recorded)")


@partner.command("add", help="Onboard a partner for some scenarios; prints partner_id= and secret= once.")
@click.argument("name")
@click.option("--scenarios", required=True, help="comma-separated behaviour scenarios it may push, e.g. bike")
@click.option("--daily-cap", type=click.IntRange(1), default=100_000, show_default=True,
              help="records accepted per local day, all its citizens together")
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
    summary(f"partner {name} added as {pid} for {','.join(sorted(chosen))}, {daily_cap} records a day", err=True)


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


@partner.command("rotate-secret", help="Issue a new secret; the old one stays valid until retire-secret.")
@click.argument("partner_id")
@BY
@click.pass_obj
def partner_rotate(settings, partner_id, by):
    from core.carbon.partner_admin import rotate_secret

    secret = rotate_secret(settings, partner_id, by=by)
    output(partner_id=partner_id, secret=secret)
    summary(f"partner {partner_id}: new secret issued; the previous one works until retire-secret", err=True)


@partner.command("retire-secret", help="Stop accepting the secret before the last rotation.")
@click.argument("partner_id")
@BY
@click.pass_obj
def partner_retire(settings, partner_id, by):
    from core.carbon.partner_admin import retire_previous_secret

    retire_previous_secret(partner_id, by=by)
    summary(f"partner {partner_id}: previous secret retired")


@cli.group(help="Methodology versions.")
def methodology():
    pass


@methodology.command("list", help="Every version, with the one in force today marked.")
@click.pass_obj
def methodology_list(settings):
    from core.localday import today

    reg = services().registry()
    current = {(m.code, m.version) for m in reg.current(today())}
    for m in reg.versions:
        mark = "*" if (m.code, m.version) in current else " "
        click.echo(f"{mark} {m.code:<24} v{m.version:<4} from {m.effective_from}  {m.grams_per_unit} g/{m.unit}"
                   f"{'  (assumption)' if m.assumption else ''}")
    summary(f"{len(reg.versions)} versions of {len(reg.codes())} scenarios (* in force today)")


@methodology.command("publish", help="Publish a new version of a scenario, effective from a date.")
@click.argument("code")
@click.option("--version", "version", required=True)
@click.option("--effective-from", required=True, help="YYYY-MM-DD; results change only from this date")
@click.option("--grams-per-unit", type=str, default=None)
@click.option("--daily-cap", type=str, default=None)
@click.option("--source", default=None, help="where the new factor comes from")
@click.pass_obj
def methodology_publish(settings, code, version, effective_from, grams_per_unit, daily_cap, source):
    from decimal import Decimal, InvalidOperation

    from core.localday import parse_date, today
    from core.carbon.methodologies import new_version
    from core.carbon.methodology_store import publish

    parse_date(effective_from)
    base = services().registry().in_force(code, today())
    if base is None:
        raise click.BadParameter(f"unknown scenario {code}")
    changes = {}
    try:
        if grams_per_unit is not None:
            changes["grams_per_unit"] = Decimal(grams_per_unit)
        if daily_cap is not None:
            changes["daily_cap"] = Decimal(daily_cap)
    except InvalidOperation:
        raise click.BadParameter("numbers please") from None
    if source:
        changes["source"] = source
    m = publish(new_version(base, version, effective_from, **changes))
    summary(f"published {m.code} v{m.version} from {m.effective_from}: {m.grams_per_unit} g/{m.unit}")
