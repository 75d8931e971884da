"""What citizens and organisations see of projects, batches, sales and feedback (read only).

Invariants:
- A citizen's batches are one Query of their (user, batch) items (models.phcer.PhcerCitizenBatch,
  written as the batch takes their readings), plus one BatchGet of those batches and their orgs:
  never a Scan. A batch still building is not shown; a citizen sees their own grams and coins
  only, never another citizen's.
- A citizen's projects are the organisations' projects their links name (the by_user index of
  partner links), with the project's readings and certified grams; nothing of the org's other projects.
- An organisation sees only its own projects and batches (one Query of its batches, by number);
  another org's batch is not found.
"""

from __future__ import annotations

from decimal import Decimal

from core import cursors
from core.books import fen
from core.enterprise import policy as policies
from core.enterprise.feedback import citizen_grams
from core.enterprise.orgs import get_org
from core.enterprise.phcer import BatchNotFound, get_batch
from models.links import PartnerLink
from models.orgs import Org, Project, Reading
from models.phcer import PhcerBatch, PhcerCitizenBatch

MINE = cursors.Kind("phcer batches", frozenset({"user_id", "batch_id"}), owner="user_id")
PROJECTS = cursors.Kind("org projects", frozenset({"org_id", "project_id"}))
BATCHES = cursors.Kind(
    "org batches", frozenset({"org_id", "batch_no"}), numbers=frozenset({"batch_no"})
)


def tonnes(grams: int) -> str:
    return str((Decimal(grams) / Decimal(1_000_000)).quantize(Decimal("0.000001")))


def _citizen_item(mine: PhcerCitizenBatch, b: PhcerBatch, org_name: str) -> dict:
    coins = None if mine.feedback_coins is None else int(mine.feedback_coins)
    if b.status == "fed_back" and coins is None:
        coins = 0  # fed back, and their grams were too few for a whole coin
    sale = b.sale and {
        "trade_date": b.sale["trade_date"],
        "price_yuan_per_tonne": b.sale["price_yuan_per_tonne"],
        "net_yuan": b.sale["net_yuan"],
    }
    return {
        "batch_id": b.batch_id,
        "org_name": org_name,
        "period_from": b.period_from,
        "period_to": b.period_to,
        "status": b.status,
        "my_grams": int(mine.grams or 0),
        "batch_tonnes": tonnes(int(b.grams or 0)),
        "sale": sale or None,
        "my_feedback_coins": coins,
    }


def citizen_batches(user_id: str, limit: int, cursor: str | None) -> dict:
    start = cursors.decode(cursor, MINE, owner=user_id)
    page = PhcerCitizenBatch.query(
        user_id, limit=limit, last_evaluated_key=start, consistent_read=True
    )
    mine = list(page)
    batches = {
        (b.org_id, int(b.batch_no)): b
        for b in PhcerBatch.batch_get(
            {(m.org_id, int(m.batch_no)) for m in mine}, consistent_read=True
        )
    }
    names = {o.org_id: o.name for o in Org.batch_get({m.org_id for m in mine})}
    items = []
    for m in mine:
        b = batches.get((m.org_id, int(m.batch_no)))
        if b is not None and b.status != "building":
            items.append(_citizen_item(m, b, names.get(m.org_id, "")))
    return {"items": items, "next_cursor": cursors.encode(page.last_evaluated_key)}


def _reading_out(r: Reading) -> dict:
    return {
        "reading_id": r.reading_id,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "quantity": r.quantity,
        "methodology": r.methodology,
        "version": r.version,
        "grams": int(r.grams),
        "batch_id": r.batch_id,
    }


def citizen_projects(user_id: str) -> dict:
    """The projects the citizen owns (a link from an organisation names them), their readings and grams."""
    items = []
    for link in PartnerLink.by_user.query(user_id):
        org = get_org(link.partner_id) if link.partner_id.startswith("o_") else None
        if org is None:
            continue  # a partner link, not an organisation's project
        try:
            p = Project.get(org.org_id, link.partner_user_ref, consistent_read=True)
        except Project.DoesNotExist:
            continue
        readings = [
            _reading_out(r)
            for r in Reading.query(f"{org.org_id}#{p.project_id}", consistent_read=True)
        ]
        items.append(
            {
                "project_id": p.project_id,
                "org_name": org.name,
                "type": p.type,
                "capacity": p.capacity,
                "location": p.location,
                "certified_grams": sum(r["grams"] for r in readings),
                "readings": readings,
            }
        )
    return {"items": items}


def org_projects(org_id: str, limit: int, cursor: str | None) -> dict:
    start = cursors.decode(cursor, PROJECTS, org_id=org_id)
    page = Project.query(org_id, limit=limit, last_evaluated_key=start, consistent_read=True)
    items = []
    for p in page:
        grams = sum(
            int(r.grams)
            for r in Reading.query(f"{org_id}#{p.project_id}", attributes_to_get=["grams"])
        )
        linked = _linked(org_id, p.project_id)
        items.append(
            {
                "project_id": p.project_id,
                "type": p.type,
                "capacity": p.capacity,
                "location": p.location,
                "owner_linked": linked,
                "certified_grams": grams,
            }
        )
    return {"items": items, "next_cursor": cursors.encode(page.last_evaluated_key)}


def _linked(org_id: str, project_id: str) -> bool:
    try:
        PartnerLink.get(org_id, project_id, consistent_read=True)
        return True
    except PartnerLink.DoesNotExist:
        return False


def list_batches(org_id: str) -> list[dict]:
    return [summary(b) for b in PhcerBatch.query(org_id, consistent_read=True)]


def batches_page(org_id: str, limit: int, cursor: str | None) -> dict:
    """A page of the organisation's batches by number (GET /org/v1/batches, paged like every list);
    a cursor is checked to be this organisation's."""
    start = cursors.decode(cursor, BATCHES, org_id=org_id)
    page = PhcerBatch.query(org_id, limit=limit, last_evaluated_key=start, consistent_read=True)
    return {
        "items": [summary(b) for b in page],
        "next_cursor": cursors.encode(page.last_evaluated_key),
    }


def summary(b: PhcerBatch) -> dict:
    return {
        "batch_id": b.batch_id,
        "number": int(b.batch_no),
        "period_from": b.period_from,
        "period_to": b.period_to,
        "status": b.status,
        "readings": int(b.lines),
        "grams": int(b.grams or 0),
        "totals": [
            {k: t[k] for k in ("methodology", "version", "readings", "grams")}
            for t in b.totals or []
        ],
        "sold_yuan": b.sold_yuan,
        "sale": b.sale,
        "feedback_coins": int(b.feedback_coins) if b.feedback_coins is not None else None,
        "feedback_policy": b.feedback_policy,
    }


def org_batch(org_id: str, bid: str) -> dict:
    """One batch with its sale and feedback totals (coins, citizens, yuan returned and kept)."""
    if not bid.startswith(f"{org_id}-b"):
        raise BatchNotFound()  # another organisation's batch is not this one's to see
    b = get_batch(bid)
    fb = None
    if b.feedback_coins is not None:
        p = policies.Policy(**b.feedback_policy)
        back = policies.returned_fen(int(b.feedback_coins), p)
        fb = {
            "coins": int(b.feedback_coins),
            "citizens": len(citizen_grams(bid)),
            "share": p.share,
            "coins_per_yuan": p.coins_per_yuan,
            "policy_from": p.effective_from,
            "returned_yuan": fen.text(back),
            "kept_yuan": fen.text(fen.fen_of(b.sale["net_yuan"]) - back),
        }
    return {**summary(b), "tonnes": tonnes(int(b.grams or 0)), "feedback": fb}
