from pynamodb.attributes import ListAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("directory")
class DirectoryEntry(Model):
    """What a citizen can browse without knowing an id (core.mall.directory, core.carbon.partner_admin):
    section "merchant", key "<district>#<category>#<merchant id>" (a district, or a district and a
    category, is a key prefix: one Query); section "partner", key = partner id. Written with the
    record it mirrors (a merchant upsert, a partner's onboarding or scope), never Scanned."""

    class Meta:
        table_name = "directory"

    section = UnicodeAttribute(hash_key=True)
    key = UnicodeAttribute(range_key=True)
    entry_id = UnicodeAttribute()
    name = UnicodeAttribute()
    category = UnicodeAttribute(null=True)
    district = UnicodeAttribute(null=True)
    address = UnicodeAttribute(null=True)
    scenarios = ListAttribute(null=True)  # a partner's scenario codes, sorted
