from pynamodb.attributes import JSONAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table

PREFIX = "r#"  # a record's attribute: r#<source>#<source_id>


def record_name(source: str, source_id: str) -> str:
    return f"{PREFIX}{source}#{source_id}"


@table("day_records")
class DayRecords(Model):
    """What the rules need of one user-day's behaviour records, at a known key: GET /api/v1/coins
    reads it in the same BatchGetItem as the user and the account (no Query).

    One top-level map attribute per record, named r#<source>#<source_id> (the record's id), set
    with `SET` by whoever stores the behaviour (core.carbon.day_index): writing a record twice
    changes nothing, and a WeRun day (source_id = the date) replaces itself as its behaviour does.
    The behaviours table stays the truth that settlement reads; this is an index of it."""

    class Meta:
        table_name = "day_records"

    user_id = UnicodeAttribute(hash_key=True)
    date = UnicodeAttribute(range_key=True)  # Asia/Shanghai local day
    # Deleted with the day's behaviours (models.behaviours.expiry).
    expires_at = TTLAttribute(null=True)
    # Only for a day settled while it was still today (core.carbon.early.marks_index): what the
    # day's settled day holds, written in the credit's transaction, so /coins subtracts it without
    # reading the settled day. A day settled after it ended (the nightly run) has neither.
    settled_grams = NumberAttribute(null=True)
    settled_versions = JSONAttribute(null=True)
