"""log append | log verify [--date D] | log backfill: the public transparency log (core.transparency)."""

import sys

import click

from infra.cli import cli, output, services, summary


@cli.group(
    help="The public transparency log: an append-only, signed Merkle tree of every ledger entry."
)
def log():
    pass


@log.command(
    help="Append every ledger entry written before the cut-off (the clock minus LOG_MERGE_DELAY_SECONDS; "
    "0 locally: everything committed) and sign the new tree head: what the 10-minute schedule does. "
    "Idempotent; resumes an append a crash interrupted. Prints tree_size= and root_hash=."
)
def append():
    from functions import log_append

    line = log_append.run(services())
    if "tree_size" not in line:
        summary(f"log append: {line.get('status_detail')}")
        sys.exit(1)
    output(tree_size=line["tree_size"], root_hash=line["root_hash"], appended=line["appended"])
    summary(f"log append: {line['appended']} leaves appended, tree of {line['tree_size']}")


@log.command(
    help="Deploy day of the log on an existing ledger: put the written item of every ledger entry "
    "(a Scan), so the first append logs the coins issued before the log existed. Only into an empty "
    "log (exit 1 otherwise: nothing can go behind a leaf); appends wait while it runs. Idempotent. "
    "Prints entries=."
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

    from core import localday
    from core.transparency import backfill as log_backfill

    try:
        with tqdm(total=segments, desc="log backfill", unit="segment", file=sys.stderr) as bar:
            n = log_backfill.backfill(localday.stamp(), segments, progress=bar.update)
    except log_backfill.LogNotEmpty:
        summary(
            "log backfill: 日志已有叶子或正在追加，早于它们的条目无法补入 "
            "(the log already has leaves or an append is under way: nothing can go behind them)"
        )
        sys.exit(1)
    output(entries=n)
    summary(f"log backfill: {n} ledger entries have their written items; run `tanpuhui log append`")


@log.command(
    help="Rebuild a day of the log from the ledger and check it: the day's last signed head (signature, "
    "size, root), the previous head, and the consistency proof between them. Exit 1 on any mismatch."
)
@click.option(
    "--date", default=None, help="YYYY-MM-DD (Asia/Shanghai); default: the latest head's day"
)
def verify(date):
    from core import localday
    from core.transparency import audit, heads, nodes, rfc6962, store
    from infra import verify_proof

    if date is None:
        latest = store.latest_head()
        date = latest["date"] if latest else localday.today()
    try:
        localday.parse_date(date)
    except localday.InvalidDate:
        raise click.BadParameter("dates are YYYY-MM-DD") from None
    a = audit.rebuild(date)
    key = heads.signer().key()
    for name, head in (("head", a.head), ("previous head", a.previous)):
        if head and "signature" in head:
            try:
                verify_proof.verify_head(head, key)
            except verify_proof.ProofError as e:
                a.problems.append(f"{name}: {e}")
    if a.head and a.previous and a.previous["tree_size"] >= 1 and not a.problems:
        first, second = a.previous["tree_size"], a.head["tree_size"]
        ids = nodes.consistency(first, second)
        proof = ids.rehash(store.node_hashes(ids.ids), rfc6962.hash_children)
        try:
            verify_proof.verify_consistency(
                first,
                second,
                proof,
                bytes.fromhex(a.previous["root_hash"]),
                bytes.fromhex(a.head["root_hash"]),
            )
        except verify_proof.ProofError as e:
            a.problems.append(f"consistency with the previous head: {e}")
    output(
        date=date,
        tree_size=a.rebuilt_size,
        root_hash=a.rebuilt_root,
        unverifiable=a.unverifiable,
        problems=len(a.problems),
    )
    for p in a.problems:
        click.echo(f"problem: {p}", err=True)
    summary(
        f"log verify {date}: {'ok' if not a.problems else 'FAILED (' + str(len(a.problems)) + ' problems)'}"
    )
    if a.problems:
        sys.exit(1)
