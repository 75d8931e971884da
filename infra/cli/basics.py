"""tables create · seed demo · template"""

import click

from infra.cli import cli, services, summary


@cli.group(help="DynamoDB tables.")
def tables():
    pass


@tables.command(
    "create", help="Create every table from the models (idempotent) and the trip bucket."
)
@click.pass_obj
def tables_create(settings):
    from infra import tables as tables_mod

    created = tables_mod.create_all(settings)
    tables_mod.ensure_bucket(settings, services().gateways.s3)
    summary(
        f"tables: {len(created)} created, {len(tables_mod.models.REGISTRY) - len(created)} already existed"
    )


@cli.group(help="Demo data.")
def seed():
    pass


@seed.command("demo", help="Seed the demo mall, merchant and partner (idempotent).")
@click.pass_obj
def seed_demo(settings):
    from infra.seed import seed_demo as run

    result = run(settings)
    summary("seeded: " + (", ".join(f"{k}={v}" for k, v in result.items()) or "nothing to seed"))


@cli.command(help="Print the AWS template of every table (generated from the models).")
def template():
    import json

    from infra.template import render

    text = render()
    click.echo(text, nl=False)
    tables = [
        r
        for r in json.loads(text).get("Resources", {}).values()
        if r.get("Type") == "AWS::DynamoDB::Table"
    ]
    summary(f"template: {len(tables)} tables")  # stdout is the template itself
