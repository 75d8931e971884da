from pynamodb.attributes import JSONAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("ledger_written")
class LedgerWritten(Model):
    """The ledger in written order (core.books.written): one small item per entry, put in the
    entry's own transaction, so "every entry committed before T" is a strongly consistent Query of
    the hour buckets up to T. The bucket is `<UTC hour of created_at>#<shard>` (a salted hash of
    the user over WRITTEN_SHARDS), so a city night's credits spread over that many partitions."""

    class Meta:
        table_name = "ledger_written"

    bucket = UnicodeAttribute(hash_key=True)
    key = UnicodeAttribute(range_key=True)  # "<created_at>#<user_id>#<entry_id>": written order
    user_id = UnicodeAttribute()
    entry_id = UnicodeAttribute()
    # What the log's leaf says of the entry, as committed (kind, amount, created_at, detail, legs): the
    # append reads these pages alone, not the ledger again; `log verify` compares with the ledger.
    entry = JSONAttribute(null=True)
