"""partner add NAME · methodology list · methodology publish"""
import click

from infra.cli import cli, summary


@cli.group(help="Data partners.")
def partner():
    pass


@partner.command("add", help="Onboard a partner; prints its id and secret once (store the secret safely).")
@click.argument("name")
@click.pass_obj
def partner_add(settings, name):
    from core.carbon.partners import add_partner

    pid, secret = add_partner(settings, name)
    click.echo(f"partner_id={pid}\nsecret={secret}")
    summary(f"partner {name} added as {pid}")


@cli.group(help="Methodology versions.")
def methodology():
    pass


@methodology.command("list", help="Every version, with the one in force today marked.")
@click.pass_obj
def methodology_list(settings):
    from core.books.accounts import today
    from core.carbon.methodology_store import load_registry

    reg = load_registry()
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
    from datetime import date
    from decimal import Decimal, InvalidOperation

    from core.books.accounts import today
    from core.carbon.methodologies import new_version
    from core.carbon.methodology_store import load_registry, publish

    date.fromisoformat(effective_from)
    base = load_registry().in_force(code, today())
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
