from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from models.base import table


class CardsByUser(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_user"
        projection = AllProjection()

    user_id = UnicodeAttribute(hash_key=True)


@table("cards")
class Card(Model):
    """A currently bound Yangchengtong card. Keyed by a keyed hash of the number: the number
    itself is never stored. attribute_not_exists on card_hash makes one card one user."""

    class Meta:
        table_name = "cards"

    card_hash = UnicodeAttribute(hash_key=True)
    card_id = UnicodeAttribute()  # what the API calls the card's id
    user_id = UnicodeAttribute()
    masked_no = UnicodeAttribute()
    bound_at = UnicodeAttribute()
    by_user = CardsByUser()


@table("card_bindings")
class CardBinding(Model):
    """Every period a card was bound to a user, so a trip counts for whoever held the card
    at the trip's time (and for nobody before binding or after unbinding)."""

    class Meta:
        table_name = "card_bindings"

    card_hash = UnicodeAttribute(hash_key=True)
    bound_at = UnicodeAttribute(range_key=True)  # ISO 8601 UTC
    user_id = UnicodeAttribute()
    unbound_at = UnicodeAttribute(null=True)
