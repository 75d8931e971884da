"""product upsert · product retire · product codes"""

import json
import sys

import click

from infra.cli import cli, summary


@cli.group(help="The mall's catalogue: products and activation code pools.")
def product():
    pass


@product.command(
    "upsert",
    help="Create or update products from a JSON list (the fields of GET /api/v1/products/{id} "
    "plus stock). Every product is checked first; a file with any problem changes "
    "nothing. Prints what changed; running it again changes nothing.",
)
@click.argument("file", type=click.File("r", encoding="utf-8"))
def product_upsert(file):
    from core.mall import shelf
    from core.mall.product_rules import InvalidProducts, parse_products

    try:
        specs = parse_products(json.load(file))
        shelf.check_merchants(specs)
    except (ValueError, InvalidProducts) as e:
        for problem in getattr(e, "problems", [f"not JSON: {e}"]):
            click.echo(f"invalid: {problem}", err=True)
        summary("nothing changed: the file has problems")
        sys.exit(1)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for spec in specs:
        outcome, changes = shelf.upsert(spec)
        counts[outcome] += 1
        if changes:
            detail = ", ".join(
                f"{k} {_short(old)} -> {_short(new)}" for k, (old, new) in changes.items()
            )
            click.echo(f"{outcome} {spec.id}: {detail}")
    summary(
        f"products: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
    )


def _short(v) -> str:
    text = "-" if v is None else str(v)
    return text if len(text) <= 40 else text[:37] + "..."


@product.command("retire", help="Take a product off sale (its orders and codes stay valid).")
@click.argument("product_id")
def product_retire(product_id):
    from core.mall import shelf

    summary(
        f"product {product_id} "
        + ("retired" if shelf.retire(product_id) else "was retired already")
    )


@product.command(
    "codes",
    help="Load activation codes (one a line) into an activation_code product's pool; "
    "codes loaded before are skipped. Stock grows by the codes added.",
)
@click.argument("product_id")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.pass_obj
def product_codes(settings, product_id, file):
    from core.mall import shelf

    codes = [line.strip() for line in file if line.strip()]
    bad = [i + 1 for i, c in enumerate(codes) if len(c) > 128 or any(ord(ch) < 33 for ch in c)]
    if not codes or bad:
        summary(
            f"nothing loaded: {'no codes in the file' if not codes else f'unreadable codes on lines {bad[:10]}'}"
        )
        sys.exit(1)
    with click.progressbar(length=len(codes), label="loading", file=sys.stderr) as bar:
        counts = {"loaded": 0, "skipped": 0}
        for start in range(0, len(codes), 50):
            chunk = codes[start : start + 50]
            for k, v in shelf.load_codes(settings, product_id, chunk).items():
                counts[k] += v
            bar.update(len(chunk))
    click.echo(f"loaded={counts['loaded']}")
    summary(
        f"product {product_id}: {counts['loaded']} codes loaded, {counts['skipped']} loaded before"
    )
