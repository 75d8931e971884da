from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("partners")
class Partner(Model):
    """A data partner (bike sharing, recycling, utilities). The HMAC secret must be usable to
    verify signatures, so it is stored encrypted with a key from settings, never in clear."""

    class Meta:
        table_name = "partners"

    partner_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    secret_enc = UnicodeAttribute()
    created_at = UnicodeAttribute()


@table("partner_nonces")
class PartnerNonce(Model):
    """A nonce seen from a partner; kept past the allowed clock skew, then expired by TTL."""

    class Meta:
        table_name = "partner_nonces"

    key = UnicodeAttribute(hash_key=True)  # "<partner_id>#<nonce>"
    ttl = TTLAttribute()
