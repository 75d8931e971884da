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
    cash_fen = NumberAttribute(
        null=True
    )  # the cash part paid through WeChat Pay (coins-plus-cash products)
    # pending_payment -> issued | cancelled; issued -> redeemed | cancelled | expired
    status = UnicodeAttribute()
    fulfilment = UnicodeAttribute(null=True)  # voucher (None on older orders) | activation_code
    code_hash = UnicodeAttribute(null=True)  # vouchers: the redemption code's hash
    code = UnicodeAttribute(
        null=True
    )  # shown only to the owner; the merchant side knows only the hash
    activation_code_id = UnicodeAttribute(
        null=True
    )  # activation_code: the pool code this order took
    activation_code = UnicodeAttribute(null=True)  # ... sealed; shown only to the owner
    code_shown_at = UnicodeAttribute(null=True)  # set when the owner first saw the activation code
    valid_days = NumberAttribute(null=True)
    prepay_id = UnicodeAttribute(null=True)  # WeChat Pay's prepay order, for wx.requestPayment
    paid_at = UnicodeAttribute(null=True)
    transaction_id = UnicodeAttribute(null=True)  # WeChat Pay's id of the payment
    refund_status = UnicodeAttribute(null=True)  # cash refund: PENDING until WeChat Pay accepted it
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
    # A random token of the redeeming attempt: the SDK's retry of a transaction whose answer was
    # lost finds its own token and answers 200, not code_redeemed (core.mall.redemption).
    redeemed_attempt = UnicodeAttribute(null=True)
    by_merchant = CodesByMerchant()


@table("merchants")
class Merchant(Model):
    class Meta:
        table_name = "merchants"

    merchant_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    created_at = UnicodeAttribute()
    # The directory's fields (tanpuhui merchant upsert, core.mall.merchant_rules); absent on a
    # merchant only ever added by `merchant add`, which is then not in the directory.
    category = UnicodeAttribute(null=True)  # retail | services | tourism
    district = UnicodeAttribute(null=True)  # one of Guangzhou's 11 districts, in Chinese
    address = UnicodeAttribute(null=True)


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
    name = UnicodeAttribute(
        null=True
    )  # who or which till holds it ("前台1号收银"), for listing and revoking
    created_at = UnicodeAttribute()
    revoked_at = UnicodeAttribute(null=True)
    by_merchant = KeysByMerchant()
