from pynamodb.attributes import JSONAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("methodologies")
class PublishedMethodology(Model):
    """A methodology version published by ops (the defaults ship in core.carbon.methodologies)."""

    class Meta:
        table_name = "methodologies"

    code = UnicodeAttribute(hash_key=True)
    version = UnicodeAttribute(range_key=True)
    data = JSONAttribute()  # Methodology.to_dict()
    published_at = UnicodeAttribute()
    published_by = UnicodeAttribute(null=True)  # the ops operator who published it
