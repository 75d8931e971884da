from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("log_state")
class LogState(Model):
    """The transparency log's own state: `checkpoint` (how far appending got: tree size, the last
    leaf's written key, the cut-off done and the one being appended to) and `latest` (the latest
    signed head, so GET heads/latest is one read)."""

    class Meta:
        table_name = "log_state"

    name = UnicodeAttribute(hash_key=True)
    tree_size = NumberAttribute(default=0)
    last_key = UnicodeAttribute(default="")
    cutoff = UnicodeAttribute(default="")
    target = UnicodeAttribute(null=True)
    head = JSONAttribute(null=True)
