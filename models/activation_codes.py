from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from models.base import table


class FreeCodes(GlobalSecondaryIndex):
    """Sparse: only codes not yet taken carry `free_since`, so finding one is a short Query."""

    class Meta:
        index_name = "free"
        projection = KeysOnlyProjection()

    product_id = UnicodeAttribute(hash_key=True)
    free_since = UnicodeAttribute(range_key=True)


@table("activation_codes")
class ActivationCode(Model):
    """One code of a product's pool (virtual goods: a video membership, an e-card), sealed with
    core.secretbox; keyed by a keyed hash of the code so loading a file twice loads it once.
    Taken by exactly one order, in that order's transaction (condition: still free)."""

    class Meta:
        table_name = "activation_codes"

    product_id = UnicodeAttribute(hash_key=True)
    code_id = UnicodeAttribute(range_key=True)
    sealed = UnicodeAttribute()
    loaded_at = UnicodeAttribute()
    free_since = UnicodeAttribute(null=True)  # present while free
    order_id = UnicodeAttribute(null=True)
    free = FreeCodes()
