"""The mall's catalogue as citizens read it: products on sale, one product, pages of them.

Read-only: ops keep the shelf (core.mall.shelf); orders are placed by core.mall.placing.
"""

from __future__ import annotations

from core import cursors
from core.errors import NotFound
from core.mall.product_rules import REFUND_NOTES
from core.mall.shelf import ON_SALE
from models.mall import Product


def product_view(p: Product, lang: str = "zh") -> dict:
    """A product as a citizen reads it; `refund_note` in their language (Chinese unless "en")."""
    fulfilment = p.fulfilment or "voucher"
    note_zh, note_en = REFUND_NOTES[fulfilment]
    return {
        "id": p.product_id,
        "name": p.name,
        "category": p.category,
        "price_coins": int(p.price_coins),
        "price_fen": int(p.price_fen or 0),
        "stock": int(p.stock),
        "merchant": p.merchant_name,
        "merchant_id": p.merchant_id,
        "per_user_limit": int(p.per_user_limit),
        "valid_days": int(p.valid_days),
        "fulfilment": fulfilment,
        "description": p.description,
        "image_url": p.image_url,
        "refund_note": note_en if lang == "en" else note_zh,
        "on_sale": p.retired_at is None,
    }


def get_product(product_id: str, lang: str = "zh") -> dict:
    try:
        return product_view(Product.get(product_id), lang)
    except Product.DoesNotExist:
        raise NotFound("No such product.", zh="找不到这个商品，可能已下架。") from None


def list_products(category: str | None, limit: int, cursor: str | None, lang: str = "zh") -> dict:
    # Products on sale only; both reads are Queries (a retired product leaves the on_sale index).
    # A category's pages carry that category; pages of the on-sale index carry `listed`.
    if category:
        start = cursors.decode(cursor, cursors.PRODUCTS_IN_CATEGORY, category=category)
        page = Product.by_category.query(
            category,
            limit=limit,
            last_evaluated_key=start,
            filter_condition=Product.retired_at.does_not_exist(),
        )
    else:
        start = cursors.decode(cursor, cursors.PRODUCTS_ON_SALE, listed=ON_SALE)
        page = Product.on_sale.query(ON_SALE, limit=limit, last_evaluated_key=start)
    return {
        "items": [product_view(p, lang) for p in page],
        "next_cursor": cursors.encode(page.last_evaluated_key),
    }
