from pynamodb.attributes import JSONAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("estimates")
class SavedEstimate(Model):
    """A citizen's last saved footprint estimate (core.carbon.estimate): only when they asked to
    save it; in their data export; deleted with their account (core.citizens.erasure)."""

    class Meta:
        table_name = "estimates"

    user_id = UnicodeAttribute(hash_key=True)
    answers = JSONAttribute()  # the questionnaire as answered
    result = JSONAttribute()  # the estimate as it was answered then (factors and rates of that day)
    saved_at = UnicodeAttribute()
