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
    # Held by an erasure re-keying a legacy account's written items (core.transparency.store.hold):
    # no append starts or moves on before this time (a lease: a crashed holder blocks nothing long).
    held_until = UnicodeAttribute(null=True)
    held_by = UnicodeAttribute(
        null=True
    )  # who holds it (the account's new id: a retry takes it again)
    head = JSONAttribute(null=True)
