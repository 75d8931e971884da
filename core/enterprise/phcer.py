"""PHCER batches: an organisation's certified readings of a period, numbered, filed, sold once.

Invariants:
- Batches of an organisation are numbered 1, 2, ... (a number is taken by a conditional put).
- A reading is in at most one batch: a batch takes it in one transaction that sets the
  reading's batch_id (condition: it has none), writes the batch line and counts it on the batch
  (condition: the batch is still building). Two batch runs at once split the readings, never share one.
- Sealing fixes the batch: its totals are summed from its lines under the condition that the
  line count is still the one summed; nothing is added to or removed from a sealed batch, so
  its export is byte-identical every time.
- A batch that would take no reading is refused, not sealed: its number is given back (the
  building item is deleted under the condition that it still has no line).
- Each citizen-owned reading taken also ADDs its grams to the owner's (user, batch) item in the
  same transaction (models.phcer.PhcerCitizenBatch), so a citizen's batches are one Query.
A sealed batch is sold once by core.enterprise.phcer_sale (sealed -> sold), and its proceeds
returned by core.enterprise.feedback (sold -> fed_back).
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date

from pynamodb.exceptions import DeleteError, PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

import models
from core.enterprise import orgs
from core.errors import Conflict, NotFound, Unprocessable
from core.localday import stamp as _now  # UTC storage time, one home
from core.logs import log
from models.orgs import Reading
from models.phcer import PhcerBatch, PhcerCitizenBatch, PhcerLine


class BatchNotFound(NotFound):
    code, message, message_zh = "not_found", "No such PHCER batch.", "找不到这个 PHCER 批次。"


class BatchState(Conflict):
    code, message, message_zh = (
        "batch_state",
        "The batch is not in a state that allows this.",
        "批次当前状态不允许此操作。",
    )


class BatchEmpty(Unprocessable):
    code = "batch_empty"
    message = "No certified reading of this organisation ends in the period that is not in a batch already."
    message_zh = "该期间内没有尚未入批的核证读数，批次为空，未封存。"


def batch_id(org_id: str, no: int) -> str:
    return f"{org_id}-b{no:04d}"


def get_batch(bid: str) -> PhcerBatch:
    org_id, _, no = bid.rpartition("-b")
    # Only what batch_id() makes is looked up: an empty org id or a number DynamoDB cannot hold would be a 5xx.
    if not org_id or not (no.isascii() and no.isdigit() and len(no) <= 9):
        raise BatchNotFound()
    try:
        return PhcerBatch.get(org_id, int(no), consistent_read=True)
    except PhcerBatch.DoesNotExist:
        raise BatchNotFound() from None


def _new_batch(org_id: str, start: str, end: str, by: str) -> PhcerBatch:
    while True:
        last = next(
            iter(PhcerBatch.query(org_id, scan_index_forward=False, limit=1, consistent_read=True)),
            None,
        )
        no = int(last.batch_no) + 1 if last else 1
        b = PhcerBatch(
            org_id,
            no,
            batch_id=batch_id(org_id, no),
            period_from=start,
            period_to=end,
            status="building",
            lines=0,
            created_at=_now(),
            created_by=by,
        )
        try:
            b.save(condition=PhcerBatch.batch_no.does_not_exist())  # a number is taken once
            return b
        except PutError:
            continue  # another run took this number: take the next


def _take(b: PhcerBatch, r: Reading) -> bool:
    line = PhcerLine(
        b.batch_id,
        f"{r.project_id}#{r.reading_id}",
        project_id=r.project_id,
        reading_id=r.reading_id,
        period_start=r.period_start,
        period_end=r.period_end,
        quantity=r.quantity,
        methodology=r.methodology,
        version=r.version,
        grams=int(r.grams),
        owner_user_id=orgs.owner_of(r.org_id, r.project_id),
    )
    try:
        with TransactWrite(connection=models.connection()) as tx:
            # No batch has it yet: a reading is sold at most once, whatever runs at the same time.
            tx.update(
                Reading(r.project_key, r.reading_id),
                actions=[Reading.batch_id.set(b.batch_id)],
                condition=Reading.batch_id.does_not_exist() & Reading.reading_id.exists(),
            )
            tx.save(line, condition=PhcerLine.line.does_not_exist())
            # Still building: a sealed batch never gains a line.
            tx.update(
                PhcerBatch(b.org_id, b.batch_no),
                actions=[PhcerBatch.lines.add(1)],
                condition=PhcerBatch.status == "building",
            )
            if (
                line.owner_user_id
            ):  # the citizen's view of their batches grows with the batch, line by line
                tx.update(
                    PhcerCitizenBatch(line.owner_user_id, b.batch_id),
                    actions=[
                        PhcerCitizenBatch.org_id.set(b.org_id),
                        PhcerCitizenBatch.batch_no.set(b.batch_no),
                        PhcerCitizenBatch.grams.add(int(r.grams)),
                    ],
                )
        return True
    except TransactWriteError:
        return False


def _seal(b: PhcerBatch) -> PhcerBatch:
    from core.carbon.methodology_store import load_registry

    registry = load_registry()
    while True:
        lines = list(PhcerLine.query(b.batch_id, consistent_read=True))
        if not lines:
            _give_back(b)
        agg: dict[tuple, dict] = defaultdict(lambda: {"readings": 0, "grams": 0})
        for ln in lines:
            agg[(ln.methodology, ln.version)]["readings"] += 1
            agg[(ln.methodology, ln.version)]["grams"] += int(ln.grams)
        totals = []
        for (code, version), row in sorted(agg.items()):
            m = next(
                (v for v in registry.versions if v.code == code and v.version == version), None
            )
            totals.append(
                {
                    "methodology": code,
                    "version": version,
                    "unit": m.unit if m else "",
                    "source": m.source if m else "",
                    **row,
                }
            )
        try:
            # The lines summed are all the lines: a line added meanwhile makes us sum again.
            PhcerBatch(b.org_id, b.batch_no).update(
                actions=[
                    PhcerBatch.status.set("sealed"),
                    PhcerBatch.totals.set(totals),
                    PhcerBatch.grams.set(sum(t["grams"] for t in totals)),
                    PhcerBatch.sealed_at.set(_now()),
                ],
                condition=(PhcerBatch.status == "building") & (PhcerBatch.lines == len(lines)),
            )
            return get_batch(b.batch_id)
        except UpdateError:
            b = get_batch(b.batch_id)
            if b.status != "building":
                return b


def _give_back(b: PhcerBatch) -> None:
    """An empty batch is refused: delete it while it still has no line (its number is free again)."""
    try:
        PhcerBatch(b.org_id, b.batch_no).delete(
            condition=(PhcerBatch.status == "building") & (PhcerBatch.lines == 0)
        )
    except DeleteError:  # a line arrived meanwhile: then it is not empty, and sealing goes on
        return
    log("phcer_batch_empty", org_id=b.org_id, batch_id=b.batch_id)
    raise BatchEmpty()


def make_batch(org_id: str, start: str, end: str, by: str) -> PhcerBatch:
    """Number a new batch and take every not yet batched reading ending within [start, end]."""
    try:
        if date.fromisoformat(end) < date.fromisoformat(start):
            raise ValueError
    except ValueError:
        raise Unprocessable(
            "from and to must be dates (YYYY-MM-DD), from on or before to.",
            zh="起止日期须为 YYYY-MM-DD，且起始不晚于结束。",
        ) from None
    if orgs.get_org(org_id) is None:
        raise NotFound("No such organisation.", zh="机构不存在。")
    b = _new_batch(org_id, start, end, by)
    return finish(b, by)


def finish(b: PhcerBatch, by: str) -> PhcerBatch:
    """Take the period's free readings into a building batch and seal it (also resumes a crashed run)."""
    started = time.monotonic()
    taken = 0
    for r in Reading.by_org.query(
        b.org_id,
        Reading.period_end.between(b.period_from, b.period_to),
        filter_condition=Reading.batch_id.does_not_exist(),
    ):
        taken += _take(b, r)
    b = _seal(b)
    log(
        "phcer_batch",
        org_id=b.org_id,
        batch_id=b.batch_id,
        taken=taken,
        lines=int(b.lines),
        grams=int(b.grams or 0),
        by=by,
        duration_ms=round((time.monotonic() - started) * 1000),
    )
    return b
