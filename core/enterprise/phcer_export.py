"""The PHCER filing of one batch as CSV: built only from what sealing fixed (the batch's
totals and its lines), sorted, with no clock or run-dependent field, so every export of a
batch is byte-identical. Tonnes are exact decimals (grams / 10^6), never floats. Its one
moment, `sealed_at`, is at +08:00 like every time ops read (stored UTC, converted here)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from core import localday
from core.enterprise.orgs import get_org
from core.enterprise.phcer import BatchState, get_batch
from models.phcer import PhcerLine


def _tonnes(grams: int) -> str:
    return str((Decimal(grams) / Decimal(1_000_000)).quantize(Decimal("0.000001")))


def export_csv(bid: str) -> str:
    b = get_batch(bid)
    if b.status == "building":
        raise BatchState("The batch is not sealed yet.", zh="该批次尚未封存。")
    org = get_org(b.org_id)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(
        [
            "batch_id",
            "number",
            "org_id",
            "org_name",
            "period_from",
            "period_to",
            "sealed_at",
            "readings",
            "grams",
            "tonnes_co2",
        ]
    )
    w.writerow(
        [
            b.batch_id,
            int(b.batch_no),
            b.org_id,
            org.name if org else "",
            b.period_from,
            b.period_to,
            localday.local_iso(b.sealed_at),
            int(b.lines),
            int(b.grams or 0),
            _tonnes(int(b.grams or 0)),
        ]
    )
    w.writerow([])
    w.writerow(["methodology", "version", "unit", "source", "readings", "grams", "tonnes_co2"])
    for t in b.totals or []:
        w.writerow(
            [
                t["methodology"],
                t["version"],
                t["unit"],
                t["source"],
                t["readings"],
                t["grams"],
                _tonnes(int(t["grams"])),
            ]
        )
    w.writerow([])
    w.writerow(
        [
            "project_id",
            "reading_id",
            "period_start",
            "period_end",
            "quantity",
            "methodology",
            "version",
            "grams",
        ]
    )
    for ln in sorted(PhcerLine.query(bid, consistent_read=True), key=lambda x: x.line):
        w.writerow(
            [
                ln.project_id,
                ln.reading_id,
                ln.period_start,
                ln.period_end,
                ln.quantity,
                ln.methodology,
                ln.version,
                int(ln.grams),
            ]
        )
    return out.getvalue()
