from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UnicodeSetAttribute
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
    # The secret before the last rotation stays valid until retired: a partner swaps without downtime.
    previous_secret_enc = UnicodeAttribute(null=True)
    scenarios = UnicodeSetAttribute(
        null=True
    )  # the only scenarios it may push (none: it may push nothing)
    daily_cap = NumberAttribute(
        null=True
    )  # records accepted per local day of behaviour, all citizens together
    created_at = UnicodeAttribute()


@table("partner_nonces")
class PartnerNonce(Model):
    """A nonce seen from a partner; kept past the allowed clock skew, then expired by TTL."""

    class Meta:
        table_name = "partner_nonces"

    key = UnicodeAttribute(hash_key=True)  # "<partner_id>#<nonce>"
    ttl = TTLAttribute()
