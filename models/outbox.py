from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("outbox")
class Notice(Model):
    """A notification intent (core.citizens.outbox): written in the transaction of what it tells
    about (a settlement credit), sent and deleted by functions.send_notices.

    bucket = a hash of the user (core.citizens.outbox.BUCKETS of them: the writes of a city's
    settlement spread over partitions); due = "<when it may be sent>#<notice id>", so one Query
    per bucket reads only the notices that are due, oldest first."""

    class Meta:
        table_name = "outbox"

    bucket = UnicodeAttribute(hash_key=True)
    due = UnicodeAttribute(range_key=True)
    notice_id = UnicodeAttribute()  # what it tells about: the ledger entry, settle#D@user
    user_id = UnicodeAttribute()
    template = UnicodeAttribute()  # core.citizens.notifications.TEMPLATES
    data = JSONAttribute()
    page = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)  # sends WeChat did not take (an outage): retried later
