"""methodology list · methodology publish · rate list · rate publish · quarantine list"""

import click

from infra.cli import cli, summary


def _today() -> str:
    from core import localday

    return localday.today()


def _refused(e) -> None:
    raise click.ClickException(f"refused: {e.message}")


@cli.group(help="Methodology versions.")
def methodology():
    pass


@methodology.command("list", help="Every version, with the one in force today marked.")
@click.pass_obj
def methodology_list(settings):
    from core.carbon.methodology_store import load_registry

    reg = load_registry()
    current = {(m.code, m.version) for m in reg.current(_today())}
    for m in reg.versions:
        mark = "*" if (m.code, m.version) in current else " "
        click.echo(
            f"{mark} {m.code:<24} v{m.version:<4} from {m.effective_from}  {m.grams_per_unit} g/{m.unit}"
            f"  evidence={m.evidence}"
        )
    summary(
        f"{len(reg.versions)} versions of {len(reg.codes())} scenarios (* in force today)", err=True
    )


@methodology.command(
    "publish",
    help="Publish a new version of a scenario, effective from a date after today. "
    "Refused: a factor <= 0, no --source, an effective date not after today.",
)
@click.argument("code")
@click.option("--version", "version", required=True)
@click.option(
    "--effective-from",
    required=True,
    help="YYYY-MM-DD, after today; results change only from this date",
)
@click.option("--grams-per-unit", type=str, default=None)
@click.option("--daily-cap", type=str, default=None)
@click.option("--source", required=True, help="where the factor comes from (METHODOLOGIES.md)")
@click.option(
    "--evidence",
    required=True,
    type=click.Choice(["official", "government", "academic", "app", "derived", "none"]),
)
@click.option("--by", "by", required=True, help="who publishes it (recorded)")
@click.pass_obj
def methodology_publish(
    settings, code, version, effective_from, grams_per_unit, daily_cap, source, evidence, by
):
    from decimal import Decimal, InvalidOperation

    from core import localday
    from core.carbon.methodologies import new_version
    from core.carbon.methodology_store import load_registry, publish
    from core.errors import ApiError

    try:
        localday.parse_date(effective_from)
    except localday.InvalidDate:
        raise click.BadParameter("--effective-from is YYYY-MM-DD") from None
    # A new version follows the latest one published (not only the one in force today): what it
    # leaves unchanged, including a reference to shared parameters, carries over.
    base = max(
        (m for m in load_registry().published if m.code == code),
        key=lambda m: m.effective_from,
        default=None,
    )
    if base is None:
        raise click.BadParameter(f"unknown scenario {code}")
    # A version priced from shared parameters keeps referring to them unless a fixed factor is given.
    changes = {
        "source": source,
        "evidence": evidence,
        "assumption": evidence == "none",
        "inputs": (),
    }
    try:
        if grams_per_unit is not None:
            changes.update(
                grams_per_unit=Decimal(grams_per_unit), parameters=(), coefficient=Decimal(1)
            )
        if daily_cap is not None:
            changes["daily_cap"] = Decimal(daily_cap)
    except InvalidOperation:
        raise click.BadParameter("numbers please") from None
    try:
        m = publish(new_version(base, version, effective_from, **changes), _today(), by)
    except ApiError as e:
        _refused(e)
    factor = (
        f"{m.coefficient} x {' x '.join(m.parameters)}" if m.parameters else f"{m.grams_per_unit}"
    )
    summary(
        f"published {m.code} v{m.version} from {m.effective_from}: {factor} g/{m.unit} "
        f"({m.evidence}) by {by}"
    )


@cli.group(help="The coin rate (grams of CO2 per coin), versioned like a methodology.")
def rate():
    pass


@rate.command(
    "list", help="Every published coin rate (the settings value applies before the first)."
)
@click.pass_obj
def rate_list(settings):
    from core.carbon.methodology_store import load_registry

    reg = load_registry()
    now = reg.rate_in_force(_today(), settings.grams_per_coin)
    for r in reg.rates:
        click.echo(
            f"{'*' if r == now else ' '} v{r.version:<4} from {r.effective_from}  {r.grams_per_coin} g/coin  {r.source}"
        )
    summary(f"in force today: {now.grams_per_coin} g per coin (version {now.version})", err=True)


@rate.command("publish", help="Publish a coin rate from a date after today.")
@click.argument("grams_per_coin", type=int)
@click.option("--version", "version", required=True)
@click.option("--effective-from", required=True)
@click.option("--source", required=True, help="the decision behind it")
@click.option("--by", "by", required=True)
@click.pass_obj
def rate_publish(settings, grams_per_coin, version, effective_from, source, by):
    from core.carbon.methodologies import CoinRate
    from core.carbon.methodology_store import publish_rate
    from core.errors import ApiError

    try:
        r = publish_rate(CoinRate(version, effective_from, grams_per_coin, source), _today(), by)
    except ApiError as e:
        _refused(e)
    summary(
        f"published coin rate v{r.version}: {r.grams_per_coin} g per coin from {r.effective_from} by {by}"
    )


@cli.group(help="Records kept out of settlement because they break a rule.")
def quarantine():
    pass


@quarantine.command("list", help="Quarantined records (of one date with --date).")
@click.option("--date", "date_", default=None, help="YYYY-MM-DD")
@click.pass_obj
def quarantine_list(settings, date_):
    from core.carbon.quarantine import listed

    n = 0
    for q in listed(date_):
        n += 1
        click.echo(
            f"date={q.date} scenario={q.scenario} source={q.source} source_id={q.source_id} "
            f"reason={q.reason} user_id={q.user_id}"
        )
    summary(f"{n} quarantined record(s){' on ' + date_ if date_ else ''}", err=True)
