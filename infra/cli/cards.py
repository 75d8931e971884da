"""cards backfill: the user items' card_hashes from card_history (core.carbon.cards_backfill)."""

import sys

import click

from infra.cli import cli, output, summary


@cli.group(help="Yangchengtong cards as the platform keeps them (hashes and binding periods).")
def cards():
    pass


@cards.command(
    "backfill",
    help="Deploy day of card_hashes: add every card's hash to the user items of the citizens who held "
    "it (a Scan of card_history), so exports list cards unbound before and a legacy account's "
    "erasure moves their periods. Adds only; safe to re-run and to run while citizens bind.",
)
@click.option(
    "--segments",
    type=click.IntRange(1, 16),
    default=4,
    show_default=True,
    help="parallel Scan segments",
)
def backfill(segments):
    from tqdm import tqdm

    from core.carbon import cards_backfill

    with tqdm(total=segments, desc="cards backfill", unit="segment", file=sys.stderr) as bar:
        c = cards_backfill.backfill(segments, progress=bar.update)
    output(**c)
    summary(
        f"cards backfill: {c['cards']} cards, {c['periods']} periods; "
        f"{c['users_updated']} holders updated, {c['users_gone']} erased"
    )
