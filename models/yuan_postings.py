from pynamodb.attributes import JSONAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("yuan_postings")
class YuanPosting(Model):
    """One movement of the platform's money in yuan (core.books.yuan): legs in fen per account,
    summing to zero. The id is deterministic per cause and put once (attribute_not_exists)."""

    class Meta:
        table_name = "yuan_postings"

    posting_id = UnicodeAttribute(hash_key=True)  # e.g. phcer_sale#<batch id>
    legs = JSONAttribute()  # {account: fen}
    detail = JSONAttribute(null=True)
    created_at = UnicodeAttribute()
