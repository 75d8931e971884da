from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from models.base import table


class ProductsByCategory(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_category"
        projection = AllProjection()

    category = UnicodeAttribute(hash_key=True)
    product_id = UnicodeAttribute(range_key=True)


class ProductsOnSale(GlobalSecondaryIndex):
    """Sparse: only products on sale carry `listed`, so the catalogue is a Query, never a Scan
    (the whole catalogue is one small partition: a few hundred items)."""

    class Meta:
        index_name = "on_sale"
        projection = AllProjection()

    listed = UnicodeAttribute(hash_key=True)
    product_id = UnicodeAttribute(range_key=True)


@table("products")
class Product(Model):
    class Meta:
        table_name = "products"

    product_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    category = UnicodeAttribute()
    price_coins = NumberAttribute()
    price_fen = NumberAttribute(default=0)  # cash part paid through WeChat Pay; 0: coins only
    fulfilment = UnicodeAttribute(default="voucher")  # voucher | activation_code
    # Never below 0: decremented only on condition stock >= quantity. For activation_code
    # products it is the number of pool codes left (changed with the pool, in one transaction).
    stock = NumberAttribute()
    per_user_limit = NumberAttribute()
    valid_days = NumberAttribute()
    merchant_id = UnicodeAttribute()
    merchant_name = UnicodeAttribute()
    description = UnicodeAttribute(null=True)
    image_url = UnicodeAttribute(null=True)
    listed = UnicodeAttribute(null=True)  # "on_sale" while on sale; removed when retired
    retired_at = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute(null=True)
    by_category = ProductsByCategory()
    on_sale = ProductsOnSale()


@table("purchase_counts")
class PurchaseCount(Model):
    """How many of a product a user holds (issued or redeemed); enforces per_user_limit."""

    class Meta:
        table_name = "purchase_counts"

    user_id = UnicodeAttribute(hash_key=True)
    product_id = UnicodeAttribute(range_key=True)
    count = NumberAttribute(default=0)


@table("idempotency")
class IdempotencyRecord(Model):
    """An Idempotency-Key's first request (COMPLETED with the order it made, or with its hash and
    the first answer's status, an id of what it made or a non-personal answer: core.idempotency);
    expires by TTL."""

    class Meta:
        table_name = "idempotency"

    key = UnicodeAttribute(hash_key=True)  # "<user_id | merchant#k | partner#p | org#o>#<key>"
    status = UnicodeAttribute()  # COMPLETED (written in the order's own transaction)
    request_hash = UnicodeAttribute()
    order_id = UnicodeAttribute(null=True)  # none for a key of core.idempotency (no order)
    http_status = NumberAttribute(null=True)  # the first answer's status (core.idempotency)
    ref = UnicodeAttribute(null=True)  # an id of what the first request made
    answer = UnicodeAttribute(null=True)  # the first answer (JSON), only when nothing personal
    ttl = TTLAttribute()
