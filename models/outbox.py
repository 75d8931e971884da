from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.models import Model

from models.base import table

BUCKETS = (
    32  # bucket keys "00".."31" (core.notices.outbox.bucket_of); every reader walks all of them
)


@table("outbox")
class Notice(Model):
    """A notification intent (core.notices.outbox): written in the transaction of what it tells
    about (a settlement credit), sent and deleted by functions.send_notices.

    bucket = a hash of the user (BUCKETS of them: the writes of a city's
    settlement spread over partitions); due = "<when it may be sent>#<notice id>" while pending or
    being sent, so one Query per bucket reads only the notices that are due, oldest first;
    "unknown#<notice id>" and "failed#<notice id>" sort after every date, out of that Query's
    range, until ops resend them (core.notices.notice_states)."""

    class Meta:
        table_name = "outbox"

    bucket = UnicodeAttribute(hash_key=True)
    due = UnicodeAttribute(range_key=True)
    notice_id = UnicodeAttribute()  # what it tells about: the ledger entry, settle#D@user
    user_id = UnicodeAttribute()
    template = UnicodeAttribute()  # core.notices.notifications.TEMPLATES
    data = JSONAttribute()
    page = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)  # pending (or absent), sending, unknown, failed
    attempts = NumberAttribute(default=0)  # claims by a sender
    claim = UnicodeAttribute(
        null=True
    )  # the sending claim's token: only its holder marks the outcome
    claimed_at = UnicodeAttribute(null=True)
    lease_until = UnicodeAttribute(null=True)  # a claim still sending after this: its sender died
    accept_spent = BooleanAttribute(
        null=True
    )  # resent by ops: its accept was spent at its first claim
    errcode = NumberAttribute(null=True)  # failed: what WeChat answered
    resent_by = UnicodeAttribute(null=True)
    ttl = TTLAttribute(null=True)  # failed notices are kept a while for ops, then expire
