from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("platform_books")
class PlatformBook(Model):
    """The platform side of the coin book (core.books.platform): per local day and slot, one
    number attribute per platform account (issuance:metro, spending:<merchant>, refunds ...),
    added to in each movement's own transaction. Slots spread concurrent movements over items;
    the attributes are named at run time, so readers use the raw items."""

    class Meta:
        table_name = "platform_books"

    day = UnicodeAttribute(hash_key=True)  # Asia/Shanghai day of the movement
    slot = NumberAttribute(range_key=True)
