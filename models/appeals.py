from pynamodb.attributes import JSONAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from models.base import table


class AppealsByUser(GlobalSecondaryIndex):
    """A citizen's appeals, newest first. Sparse: the open-date guards have no user_id."""

    class Meta:
        index_name = "by_user"
        projection = AllProjection()

    user_id = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class AppealsByStatus(GlobalSecondaryIndex):
    """What ops work through: every open appeal, oldest first."""

    class Meta:
        index_name = "by_status"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


@table("appeals")
class Appeal(Model):
    """ "My ride didn't count": a citizen's report about one date, and how ops answered it.
    Each user-date has a guard item `open#<user>#<date>` (only `holder`, so in no index) naming the
    open appeal, set and released in the transactions that open and close it: one open appeal per date."""

    class Meta:
        table_name = "appeals"

    appeal_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(null=True)
    date = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)  # open | resolved | rejected
    created_at = UnicodeAttribute(null=True)
    resolved_at = UnicodeAttribute(null=True)
    holder = UnicodeAttribute(null=True)  # on a guard item: the open appeal of that user and date
    resolution = JSONAttribute(
        null=True
    )  # {"coins", "reason", "by", "entry_id"} or {"reason", "by"}
    by_user = AppealsByUser()
    by_status = AppealsByStatus()
