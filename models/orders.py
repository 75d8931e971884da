from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from models.base import table


class OrdersByUser(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_user"
        projection = AllProjection()

    user_id = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class OrdersByStatus(GlobalSecondaryIndex):
    """issued orders by expiry: the hourly expiry job Queries, never Scans."""

    class Meta:
        index_name = "by_status"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    expires_at = UnicodeAttribute(range_key=True)


@table("orders")
class Order(Model):
    class Meta:
        table_name = "orders"

    order_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()
    product_id = UnicodeAttribute()
    product_name = UnicodeAttribute()
    merchant_id = UnicodeAttribute()
    quantity = NumberAttribute()
    coins = NumberAttribute()
    cash_fen = NumberAttribute(null=True)  # the cash part paid through WeChat Pay (coins-plus-cash products)
    status = UnicodeAttribute()  # issued -> redeemed | cancelled | expired
    code_hash = UnicodeAttribute()
    code = UnicodeAttribute()  # shown only to the owner; the merchant side knows only the hash
    created_at = UnicodeAttribute()
    expires_at = UnicodeAttribute()
    redeemed_at = UnicodeAttribute(null=True)
    # Set once (conditionally) by the hourly run that sends the "expires soon" notice: never twice.
    expiry_notice_at = UnicodeAttribute(null=True)
    by_user = OrdersByUser()
    by_status = OrdersByStatus()


class CodesByMerchant(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_merchant"
        projection = AllProjection()

    merchant_id = UnicodeAttribute(hash_key=True)
    redeemed_at = UnicodeAttribute(range_key=True)


@table("codes")
class RedemptionCode(Model):
    """A redemption code, keyed by its SHA-256: everything a counter needs in one item, so a
    redemption is one conditional transaction (code + order), exactly once."""

    class Meta:
        table_name = "codes"

    code_hash = UnicodeAttribute(hash_key=True)
    order_id = UnicodeAttribute()
    merchant_id = UnicodeAttribute()
    product_id = UnicodeAttribute()
    product_name = UnicodeAttribute()
    quantity = NumberAttribute()
    status = UnicodeAttribute()  # mirrors the order's status
    expires_at = UnicodeAttribute()
    redeemed_at = UnicodeAttribute(null=True)
    by_merchant = CodesByMerchant()


@table("merchants")
class Merchant(Model):
    class Meta:
        table_name = "merchants"

    merchant_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    created_at = UnicodeAttribute()


class KeysByMerchant(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_merchant"
        projection = AllProjection()

    merchant_id = UnicodeAttribute(hash_key=True)
    key_id = UnicodeAttribute(range_key=True)


@table("merchant_keys")
class MerchantKey(Model):
    """A merchant staff key, stored as its SHA-256; revoked keys stay for the audit trail."""

    class Meta:
        table_name = "merchant_keys"

    key_hash = UnicodeAttribute(hash_key=True)
    key_id = UnicodeAttribute()
    merchant_id = UnicodeAttribute()
    name = UnicodeAttribute(null=True)  # who or which till holds it ("前台1号收银"), for listing and revoking
    created_at = UnicodeAttribute()
    revoked_at = UnicodeAttribute(null=True)
    by_merchant = KeysByMerchant()
