from pynamodb.attributes import ListAttribute, MapAttribute, UnicodeAttribute
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


class BindingPeriod(MapAttribute):
    user_id = UnicodeAttribute()
    bound_at = UnicodeAttribute()  # ISO 8601 UTC
    unbound_at = UnicodeAttribute(null=True)
    masked_no = UnicodeAttribute(null=True)  # as the export shows it; None on periods older than it


@table("card_history")
class CardHistory(Model):
    """Every period a card was bound to a user, in one item per card, so a trip counts for
    whoever held the card at the trip's time (and for nobody before binding or after
    unbinding), and ingestion reads a whole chunk's cards with one BatchGetItem."""

    class Meta:
        table_name = "card_history"

    card_hash = UnicodeAttribute(hash_key=True)
    periods = ListAttribute(of=BindingPeriod, default=list)  # in binding order
