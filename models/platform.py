from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("platform_book_slots")
class PlatformBook(Model):
    """The platform side of the coin book (core.books.platform): per local day and slot, one
    number attribute per platform account (issuance:metro, spending:<merchant>, refunds ...),
    added to in each movement's own transaction. The slot is part of the partition key
    (`day#slot`), so a day's writes spread over PLATFORM_BOOK_SLOTS partition keys instead of
    one (DynamoDB serves 1,000 WCU a second a partition); readers get a day's slots in one
    BatchGetItem. The attributes are named at run time, so readers use the raw items."""

    class Meta:
        table_name = "platform_book_slots"

    day_slot = UnicodeAttribute(hash_key=True)  # "<Asia/Shanghai day of the movement>#<slot>"
