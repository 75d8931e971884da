"""day-index backfill"""

import sys

import click

from infra.cli import cli, output, summary


@cli.group(
    "day-index", help="The day index GET /api/v1/coins reads (one item per citizen and day)."
)
def day_index():
    pass


@day_index.command(
    "backfill",
    help="Index a date's stored behaviours (deploy day: records stored before the "
    "index existed). Sets only missing records: safe to re-run and to run "
    "while citizens upload.",
)
@click.option("--date", "date_", default=None, help="YYYY-MM-DD (Asia/Shanghai); default today")
@click.option("--unit", type=int, default=None, help="only this work unit (0..units-1)")
@click.option(
    "--workers", type=click.IntRange(1, 16), default=4, show_default=True, help="units at a time"
)
@click.pass_obj
def backfill(settings, date_, unit, workers):
    from tqdm import tqdm

    from core import localday
    from core.carbon import day_index_backfill
    from core.errors import ApiError

    try:
        date_ = localday.parse_date(date_).isoformat() if date_ is not None else localday.today()
    except ApiError as e:  # not YYYY-MM-DD
        raise click.BadParameter(f"{e.message_zh} {e.message}", param_hint="--date") from None
    units = None
    if unit is not None:
        if not 0 <= unit < settings.settle_shards:
            raise click.BadParameter(
                f"单元应为 0..{settings.settle_shards - 1} "
                f"(unit must be 0..{settings.settle_shards - 1})",
                param_hint="--unit",
            )
        units = [unit]
    total = 1 if units else settings.settle_shards
    with tqdm(total=total, desc=f"day-index {date_}", unit="unit", file=sys.stderr) as bar:
        c = day_index_backfill.backfill(
            settings, date_, units, workers=workers, progress=bar.update
        )
    output(
        date=c["date"],
        units=c["units"],
        behaviours=c["behaviours"],
        user_days=c["user_days"],
        left_out=c["left_out"],
    )
    too_large = f"，{c['left_out']} 个用户日记录过多未入索引" if c["left_out"] else ""
    summary(
        f"日索引回填 {c['date']}：{c['units']} 个单元，读取 {c['behaviours']} 条行为记录，"
        f"索引 {c['user_days']} 个用户日{too_large} (day index backfill {c['date']}: {c['units']} units, "
        f"{c['behaviours']} behaviours read, {c['user_days']} user-days indexed, {c['left_out']} too large)"
    )
