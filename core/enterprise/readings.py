"""Metered readings of organisations' projects, certified as they are accepted.

Invariants:
- A reading is stored once per (project, reading_id); the same id again is a duplicate.
- Readings of one project never overlap: each accepted reading bumps the project's
  `readings_seq` in the transaction that stores it, conditioned on the value read before the
  overlap check, so two overlapping readings sent at once cannot both be accepted.
- A stored reading carries the methodology version that certified it and its grams; a new
  methodology version never changes a stored reading (certify once, at acceptance).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core import localday
from core.enterprise import certify
from core.enterprise.orgs import get_project
from core.errors import Unprocessable
from core.logs import log
from core.retry import CONFLICT
from models.orgs import Org, Project, Reading


def _today() -> str:
    return localday.today()


def _overlapping(key: str, start: str, end: str) -> bool:
    # Stored readings never overlap, so only the latest one starting on or before `end` can.
    for r in Reading.by_start.query(
        key, Reading.period_start <= end, scan_index_forward=False, limit=1, consistent_read=True
    ):
        return certify.overlaps(start, end, r.period_start, r.period_end)
    return False


def _stored(key: str, reading_id: str) -> bool:
    try:
        Reading.get(key, reading_id, consistent_read=True)
        return True
    except Reading.DoesNotExist:
        return False


def _accept(org: Org, project: Project, r: dict, registry, require_evidence: bool = False) -> str:
    """'accepted' | 'duplicate' | a rejection reason."""
    try:
        quantity = Decimal(str(r["quantity"]))
    except InvalidOperation:
        return "bad_quantity"
    reason = certify.problem(project.type, r["period_start"], r["period_end"], quantity, _today())
    if reason:
        return reason
    cert = certify.certify(
        project.type, r["period_start"], r["period_end"], quantity, registry, require_evidence
    )
    if cert is None:
        return "no_methodology"
    key = f"{org.org_id}#{project.project_id}"
    for _ in CONFLICT.at_most(8).tries():
        if _stored(key, r["reading_id"]):
            return "duplicate"
        seq = int(project.readings_seq or 0)
        if _overlapping(key, r["period_start"], r["period_end"]):
            return "overlap"
        item = Reading(
            key,
            r["reading_id"],
            org_id=org.org_id,
            project_id=project.project_id,
            period_start=r["period_start"],
            period_end=r["period_end"],
            quantity=str(quantity),
            methodology=cert.methodology,
            version=cert.version,
            grams=cert.grams,
            submitted_at=datetime.now(UTC).isoformat(),
        )
        try:
            with TransactWrite(connection=models.connection()) as tx:
                tx.save(
                    item, condition=Reading.reading_id.does_not_exist()
                )  # a reading id is stored once
                # The project's readings are what we checked for overlap: another accepted reading makes us re-check.
                tx.update(
                    Project(org.org_id, project.project_id),
                    actions=[Project.readings_seq.set(seq + 1)],
                    condition=Project.readings_seq == seq,
                )
            return "accepted"
        except TransactWriteError:
            project = get_project(org.org_id, project.project_id)
    return "busy"


def submit(org: Org, readings: list[dict], registry, require_evidence: bool = False) -> dict:
    result = {"accepted": 0, "duplicates": 0, "rejected": []}
    projects: dict[str, Project | None] = {}
    for r in readings:
        pid = r["project_id"]
        if pid not in projects:
            projects[pid] = get_project(org.org_id, pid)
        if projects[pid] is None:
            outcome = "unknown_project"
        else:
            outcome = _accept(org, projects[pid], r, registry, require_evidence)
            projects[pid] = get_project(org.org_id, pid) if outcome == "accepted" else projects[pid]
        if outcome == "accepted":
            result["accepted"] += 1
        elif outcome == "duplicate":
            result["duplicates"] += 1
        else:
            result["rejected"].append({"reading_id": r["reading_id"], "reason": outcome})
    log(
        "org_readings",
        org_id=org.org_id,
        accepted=result["accepted"],
        duplicates=result["duplicates"],
        rejected=len(result["rejected"]),
    )
    return result


def reductions(org: Org, start: str, end: str) -> dict:
    """Grams per project and methodology version of readings ending within [start, end]."""
    if end < start:
        raise Unprocessable("from must be on or before to.", zh="起始日期不能晚于结束日期。")
    agg: dict[tuple, dict] = defaultdict(lambda: {"grams": 0, "readings": 0})
    for r in Reading.by_org.query(org.org_id, Reading.period_end.between(start, end)):
        row = agg[(r.project_id, r.methodology, r.version)]
        row["grams"] += int(r.grams)
        row["readings"] += 1
    items = [
        {"project_id": p, "methodology": m, "version": v, **row}
        for (p, m, v), row in sorted(agg.items())
    ]
    return {"items": items, "total_grams": sum(i["grams"] for i in items)}
