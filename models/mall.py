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


@table("products")
class Product(Model):
    class Meta:
        table_name = "products"

    product_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    category = UnicodeAttribute()
    price_coins = NumberAttribute()
    stock = NumberAttribute()  # never below 0: decremented only on condition stock >= quantity
    per_user_limit = NumberAttribute()
    valid_days = NumberAttribute()
    merchant_id = UnicodeAttribute()
    merchant_name = UnicodeAttribute()
    description = UnicodeAttribute(null=True)
    by_category = ProductsByCategory()


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
    """An Idempotency-Key's first request (COMPLETED with the order it made); expires by TTL."""

    class Meta:
        table_name = "idempotency"

    key = UnicodeAttribute(hash_key=True)  # "<user_id>#<Idempotency-Key>"
    status = UnicodeAttribute()  # COMPLETED (written in the order's own transaction)
    request_hash = UnicodeAttribute()
    order_id = UnicodeAttribute()
    ttl = TTLAttribute()
