from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from models.base import table


@table("accounts")
class Account(Model):
    """A citizen's coin account. Changed only together with a ledger entry, in one
    transaction (core.books.ledger); `version` is the optimistic-concurrency guard."""

    class Meta:
        table_name = "accounts"

    user_id = UnicodeAttribute(hash_key=True)
    balance = NumberAttribute(default=0)
    earned_total = NumberAttribute(default=0)
    spent_total = NumberAttribute(default=0)
    grams_total = NumberAttribute(default=0)  # grams settled into coins, all time
    coins_from_grams = NumberAttribute(default=0)  # coins credited for reductions (carry-over rule)
    carry_grams = NumberAttribute(null=True)  # settled grams not yet a coin (None: from before, see settlement)
    version = NumberAttribute(default=0)
    updated_at = UTCDateTimeAttribute(null=True)
    # Set when the citizen deleted the account (core.citizens.erasure): nothing is credited after.
    closed_at = UnicodeAttribute(null=True)
