"""parameter list · parameter publish · methodology review"""

import click

from infra.cli import cli, operator, output, summary
from infra.cli.rules import _refused, _today, methodology


@cli.group(
    help="Shared, versioned parameters (the grid emission factor, trip distances, a tree's yearly uptake)."
)
def parameter():
    pass


@parameter.command(
    "list",
    help="Every parameter version, the one in force today marked, and the scenarios using it.",
)
@click.pass_obj
def parameter_list(settings):
    from core.carbon.listing import parameters
    from core.carbon.methodology_store import load_registry

    found = parameters(load_registry(), _today(), "en")
    for p in found:
        for v in p["versions"]:
            mark = "*" if v["version"] == p["in_force"] else " "
            click.echo(
                f"{mark} {p['name']:<16} v{v['version']:<3} from {v['effective_from']}  {v['value']} {v['unit']}"
                f"  evidence={v['evidence']}  used_by={','.join(p['used_by'])}  source={v['source']}"
            )
    summary(
        f"{sum(len(p['versions']) for p in found)} versions of {len(found)} parameters (* in force today)"
    )


@parameter.command(
    "publish",
    help="Publish a parameter's next version, effective from a date after today; every "
    "scenario that uses it changes from that date, never a day already settled. "
    "Refused: a value <= 0, no --source, a date not after today, an unknown name.",
)
@click.argument("name")
@click.argument("value")
@click.option("--source", required=True, help="where the value comes from (METHODOLOGIES.md)")
@click.option(
    "--evidence",
    required=True,
    type=click.Choice(["official", "government", "academic", "app", "derived", "none"]),
)
@click.option("--from", "effective_from", required=True, help="YYYY-MM-DD, after today")
@click.option(
    "--by", "by", default=None, help="who publishes it (recorded; default: the login name)"
)
@click.pass_obj
def parameter_publish(settings, name, value, source, evidence, effective_from, by):
    from decimal import Decimal, InvalidOperation

    from core import localday
    from core.carbon.methodology_store import load_registry, publish_parameter
    from core.carbon.parameters import Parameter, next_version
    from core.errors import ApiError

    try:
        localday.parse_date(effective_from)
    except localday.InvalidDate:
        raise click.BadParameter("--from is YYYY-MM-DD") from None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise click.BadParameter("VALUE is a number") from None
    reg = load_registry()
    known = [p for p in reg.parameters if p.name == name]
    if not known:
        raise click.BadParameter(f"unknown parameter {name} (tanpuhui parameter list)")
    p = Parameter(
        name,
        number,
        known[-1].unit,
        next_version(reg.parameters, name),
        effective_from,
        source,
        evidence,
    )
    try:
        publish_parameter(p, _today(), by or operator())
    except ApiError as e:
        _refused(e)
    users = sorted({m.code for m in reg.published if name in m.parameters})
    output(parameter=p.name, version=p.version)
    summary(
        f"published {p.name} v{p.version} = {p.value} {p.unit} from {p.effective_from} ({p.evidence}); "
        f"changes {', '.join(users)} from that date"
    )


@methodology.command(
    "review",
    help="Every scenario and parameter: what it would credit in production today, and why not.",
)
@click.pass_obj
def methodology_review(settings):
    from core.carbon.listing import parameters, scenarios
    from core.carbon.methodology_store import load_registry

    reg, today = load_registry(), _today()
    items = scenarios(reg, today, require_evidence=True, stage="prod", lang="en", scope=None)
    click.echo(
        f"Production review on {today} (evidence `none` credits nothing outside local and test)"
    )
    for s in items:
        head = f"{s['code']:<24} v{s['version']:<6} {s['evidence']:<10} " + (
            f"credits {s['grams_per_unit']} g/{s['unit']}" if s["credits"] else "credits NOTHING"
        )
        click.echo(head)
        click.echo(f"    formula: {s['formula']}")
        if not s["credits"]:
            click.echo(f"    why not: {s['not_credited_reason']}")
        for v in s["versions"]:
            if v["effective_from"] > today:
                click.echo(
                    f"    from {v['effective_from']}: v{v['version']} {v['grams_per_unit']} g ({v['evidence']})"
                )
    for p in parameters(reg, today, "en"):
        now = (
            next(v for v in p["versions"] if v["version"] == p["in_force"])
            if p["in_force"]
            else None
        )
        click.echo(
            f"parameter {p['name']:<14} "
            + (
                f"v{now['version']} {now['value']} {now['unit']} {now['evidence']}"
                if now
                else "none in force"
            )
            + f"  used by {', '.join(p['used_by'])}"
        )
        for v in p["versions"]:
            if v["effective_from"] > today:
                click.echo(
                    f"    from {v['effective_from']}: v{v['version']} {v['value']} {v['unit']} ({v['evidence']})"
                )
    credited = sum(s["credits"] for s in items)
    summary(
        f"{credited} of {len(items)} scenarios credit in production today; {len(items) - credited} credit nothing"
    )
