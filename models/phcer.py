from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("phcer_batches")
class PhcerBatch(Model):
    """A numbered PHCER batch of one organisation and period: building -> sealed -> sold.
    Once sealed its lines and totals never change (every line write checks status = building
    and bumps `lines`; sealing checks `lines` is the count it summed)."""

    class Meta:
        table_name = "phcer_batches"

    org_id = UnicodeAttribute(hash_key=True)
    batch_no = NumberAttribute(range_key=True)
    batch_id = UnicodeAttribute()
    period_from = UnicodeAttribute()
    period_to = UnicodeAttribute()
    status = UnicodeAttribute()
    lines = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    created_by = UnicodeAttribute()
    sealed_at = UnicodeAttribute(null=True)
    totals = JSONAttribute(null=True)  # [{"methodology", "version", "readings", "grams"}]
    grams = NumberAttribute(null=True)
    sold_yuan = UnicodeAttribute(null=True)  # the net proceeds, yuan as a 2-place decimal string
    sale = JSONAttribute(
        null=True
    )  # the exchange's trade confirmation as checked (core.enterprise.sale)
    sold_at = UnicodeAttribute(null=True)
    sold_by = UnicodeAttribute(null=True)
    feedback_coins = NumberAttribute(null=True)
    feedback_by = UnicodeAttribute(null=True)
    feedback_policy = JSONAttribute(
        null=True
    )  # the feedback policy version that fixed feedback_coins


@table("phcer_lines")
class PhcerLine(Model):
    """One certified reading in one batch (immutable once the batch is sealed)."""

    class Meta:
        table_name = "phcer_lines"

    batch_id = UnicodeAttribute(hash_key=True)
    line = UnicodeAttribute(range_key=True)  # "<project_id>#<reading_id>"
    project_id = UnicodeAttribute()
    reading_id = UnicodeAttribute()
    period_start = UnicodeAttribute()
    period_end = UnicodeAttribute()
    quantity = UnicodeAttribute()
    methodology = UnicodeAttribute()
    version = UnicodeAttribute()
    grams = NumberAttribute()
    owner_user_id = UnicodeAttribute(null=True)  # the citizen who owns the project, if one linked


@table("phcer_citizen_batches")
class PhcerCitizenBatch(Model):
    """One citizen's part of one PHCER batch: how a citizen's batches are found with one Query
    (never a Scan). Written in the transaction that takes a citizen-owned reading into a batch
    (grams ADDed line by line, so it always equals the sum of their lines), and given their
    feedback coins in the transaction that credits them."""

    class Meta:
        table_name = "phcer_citizen_batches"

    user_id = UnicodeAttribute(hash_key=True)
    batch_id = UnicodeAttribute(range_key=True)
    org_id = UnicodeAttribute()
    batch_no = NumberAttribute()
    grams = NumberAttribute(default=0)
    feedback_coins = NumberAttribute(null=True)
