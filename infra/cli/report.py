"""report day [DATE]: the day in one picture and one table (HTML and PNG)."""

import os
import sys

import click

from infra.cli import cli, output, summary


@cli.group(help="Reports for people (报告).")
def report():
    pass


@report.command(
    "day",
    help="The day (Asia/Shanghai; default yesterday) in one page: coins issued by scenario, "
    "spent by category, refunds and forfeits, active citizens, the settlement runs of the "
    "day (units, duration, quarantined records) and failed notices. Coin figures are the "
    "trial balance `tanpuhui books --from DATE --to DATE` prints. Writes a self-contained "
    "HTML file (inline SVG charts, nothing fetched) and a PNG of it (headless Chromium); "
    "prints html= and png= (or png_skipped=).",
)
@click.argument("date", required=False)
@click.option(
    "--out",
    "out_dir",
    default=os.path.join(".local", "reports"),
    show_default=True,
    help="folder for report-day-DATE.html and .png",
)
def report_day(date, out_dir):
    from tqdm import tqdm

    from core import localday
    from infra.report_day import data, page, png

    try:
        day = localday.parse_date(date).isoformat() if date else localday.yesterday()
    except localday.InvalidDate:
        raise click.BadParameter("DATE is YYYY-MM-DD") from None
    with tqdm(total=data.STEPS, desc=f"report {day}", unit="read", file=sys.stderr) as bar:
        r = data.gather(day, progress=lambda: bar.update(1))
    os.makedirs(out_dir, exist_ok=True)
    html_path = os.path.join(out_dir, f"report-day-{day}.html")
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(page.render(r, localday.local_iso(localday.now())))
    output(html=html_path)
    why_not = png.missing()
    if why_not is None:
        png_path = html_path[:-5] + ".png"
        png.render(html_path, png_path, page.WIDTH, page.height(r))
        output(png=png_path)
    else:
        output(png_skipped=why_not)
    summary(
        f"日报 {day}：发放 {r.issued()}，消费 {r.spent()}，活跃市民 {r.active_citizens}"
        f"{'' if why_not is None else '；未生成 PNG：' + why_not} · report {day}: issued {r.issued()}, "
        f"spent {r.spent()}, books {'balanced' if r.books['total'] == 0 else 'OUT OF BALANCE'}"
        f"{'' if why_not is None else '; no PNG: ' + why_not}"
    )
