from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from models.base import table


class LinksByUser(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_user"
        projection = AllProjection()

    user_id = UnicodeAttribute(hash_key=True)
    partner_id = UnicodeAttribute(range_key=True)


@table("partner_links")
class PartnerLink(Model):
    """A citizen's consent: this partner (or organisation) knows them as `partner_user_ref`.
    A partner names citizens only by such refs; a ref with no link counts for nobody."""

    class Meta:
        table_name = "partner_links"

    partner_id = UnicodeAttribute(hash_key=True)  # a partner id (p_…) or an organisation id (o_…)
    partner_user_ref = UnicodeAttribute(
        range_key=True
    )  # the partner's own id of the citizen (or a project id)
    user_id = UnicodeAttribute()
    linked_at = UnicodeAttribute()
    by_user = LinksByUser()


@table("link_codes")
class LinkCode(Model):
    """A one-time code a citizen made for one partner; stored only hashed, expires in minutes."""

    class Meta:
        table_name = "link_codes"

    code_hash = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()
    partner_id = UnicodeAttribute()
    expires_at = UnicodeAttribute()  # ISO 8601 UTC; compared as text (same format everywhere)
    used_at = UnicodeAttribute(null=True)
    used_ref = UnicodeAttribute(
        null=True
    )  # the ref it was exchanged for (a retried exchange is answered again)
    ttl = TTLAttribute()
