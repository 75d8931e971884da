"""appeals list · appeals resolve · appeals reject (also spelled `appeal`)"""

import json

import click

from infra.cli import cli, services, summary


def _print(appeal: dict) -> None:
    click.echo(json.dumps(appeal, ensure_ascii=False))


@cli.group(
    help="Citizens' appeals (\"my ride didn't count\"): list the open ones, resolve or reject them."
)
def appeals():
    pass


cli.add_command(appeals, "appeal")


@appeals.command("list", help="Open appeals, oldest first, one JSON object a line.")
@click.pass_obj
def list_(settings):
    from core.citizens import appeals as appeals_mod

    found = appeals_mod.open_appeals()
    for a in found:
        _print(a)
    summary(f"{len(found)} open appeal(s)", err=True)


@appeals.command(
    help="Resolve an appeal with a coin adjustment linked to it (running it again moves nothing)."
)
@click.argument("appeal_id")
@click.option("--coins", "--adjust", "coins", type=int, required=True, help="coins credited (≥ 1)")
@click.option("--reason", required=True, help="why, shown to the citizen")
@click.option("--by", "by", required=True, help="who decided (operator)")
@click.pass_obj
def resolve(settings, appeal_id, coins, reason, by):
    from core.citizens import appeals as appeals_mod

    if coins < 1 or not reason.strip() or not by.strip():
        raise click.BadParameter(
            "--coins must be ≥ 1 (reject instead), --reason and --by non-empty"
        )
    appeal, replayed = appeals_mod.resolve(
        appeal_id, coins, reason.strip(), by.strip(), services().notifier()
    )
    _print(appeal)
    summary(
        f"appeal {appeal_id} {'already resolved' if replayed else 'resolved'}: "
        f"{appeal['resolution']['coins']} coins, entry {appeal['resolution']['entry_id']}",
        err=True,
    )


@appeals.command(help="Reject an appeal with a reason shown to the citizen.")
@click.argument("appeal_id")
@click.option("--reason", required=True)
@click.option("--by", "by", default="ops", show_default=True, help="who decided (operator)")
@click.pass_obj
def reject(settings, appeal_id, reason, by):
    from core.citizens import appeals as appeals_mod

    if not reason.strip():
        raise click.BadParameter("--reason must not be empty")
    appeal, replayed = appeals_mod.reject(
        appeal_id, reason.strip(), by.strip(), services().notifier()
    )
    _print(appeal)
    summary(f"appeal {appeal_id} {'already rejected' if replayed else 'rejected'}", err=True)
