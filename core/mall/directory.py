"""The merchant directory citizens browse (GET /api/v1/merchants) and its upkeep (`tanpuhui
merchant upsert FILE`).

Invariants:
- A merchant's directory row (models.directory, section "merchant") changes in the same transaction
  as its record: the directory never names a district, category or address the merchant does not
  have. A merchant that moved district or category loses its old row in that transaction.
- An upsert writes only what changed: a second run of the same file writes nothing.
Reads on a request: one Query of the directory (a district, or district and category, is a key
prefix; a category alone is a filter) and one Query of the products on sale for their counts.
Never a Scan.
"""

from __future__ import annotations

from collections import Counter

from pynamodb.transactions import TransactWrite

import models
from core import cursors
from core.localday import stamp as _now
from core.mall.merchant_rules import MerchantSpec, directory_key
from core.mall.shelf import ON_SALE
from models.directory import DirectoryEntry
from models.mall import Product
from models.orders import Merchant

KIND = "merchant"
PER_TRANSACTION = (
    30  # each merchant: its record, its row, perhaps its old row (DynamoDB: 100 actions)
)


def upsert(specs: list[MerchantSpec]) -> list[tuple[str, str, dict]]:
    """(outcome created|updated|unchanged, merchant id, {field: (old, new)}) per merchant."""
    known = {}
    ids = [s.id for s in specs]
    for i in range(0, len(ids), 100):
        known.update({m.merchant_id: m for m in Merchant.batch_get(ids[i : i + 100])})
    out, writes = [], []
    for s in specs:
        old = known.get(s.id)
        fields = {
            "name": s.name,
            "category": s.category,
            "district": s.district,
            "address": s.address,
        }
        changes = {
            k: (getattr(old, k, None), v) for k, v in fields.items() if getattr(old, k, None) != v
        }
        out.append(("unchanged" if not changes else "updated" if old else "created", s.id, changes))
        if changes:
            writes.append((s, old))
    for i in range(0, len(writes), PER_TRANSACTION):
        with TransactWrite(connection=models.connection()) as tx:
            for s, old in writes[i : i + PER_TRANSACTION]:
                _write(tx, s, old)
    return out


def _write(tx: TransactWrite, s: MerchantSpec, old: Merchant | None) -> None:
    if old is None:
        tx.save(
            Merchant(
                s.id,
                name=s.name,
                category=s.category,
                district=s.district,
                address=s.address,
                created_at=_now(),
            ),
            condition=Merchant.merchant_id.does_not_exist(),
        )
    else:
        tx.update(
            Merchant(s.id),
            actions=[
                Merchant.name.set(s.name),
                Merchant.category.set(s.category),
                Merchant.district.set(s.district),
                Merchant.address.set(s.address),
            ],
            condition=Merchant.merchant_id.exists(),
        )
        if (
            old.district
            and old.category
            and (old.district, old.category) != (s.district, s.category)
        ):
            tx.delete(DirectoryEntry(KIND, directory_key(old.category, old.district, s.id)))
    tx.save(
        DirectoryEntry(
            KIND,
            directory_key(s.category, s.district, s.id),
            entry_id=s.id,
            name=s.name,
            category=s.category,
            district=s.district,
            address=s.address,
        )
    )


def merchants(category: str | None, district: str | None, limit: int, cursor: str | None) -> dict:
    """A page of the directory with each merchant's number of products on sale."""
    prefix = f"{district}#" + (f"{category}#" if category else "") if district else None
    start = cursors.decode(cursor, cursors.DIRECTORY, section=KIND)
    if start is not None and prefix and not start["key"]["S"].startswith(prefix):
        raise cursors.InvalidCursor()  # another list's cursor: DynamoDB would refuse the start key
    page = DirectoryEntry.query(
        KIND,
        DirectoryEntry.key.startswith(prefix) if prefix else None,
        filter_condition=(DirectoryEntry.category == category)
        if category and not district
        else None,
        limit=limit,
        last_evaluated_key=start,
    )
    rows = list(page)
    counts = (
        Counter(
            p.merchant_id for p in Product.on_sale.query(ON_SALE, attributes_to_get=["merchant_id"])
        )
        if rows
        else Counter()
    )
    return {
        "items": [
            {
                "id": r.entry_id,
                "name": r.name,
                "category": r.category,
                "district": r.district,
                "address": r.address,
                "products": counts[r.entry_id],
            }
            for r in rows
        ],
        "next_cursor": cursors.encode(page.last_evaluated_key),
    }
