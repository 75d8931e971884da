from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, LocalSecondaryIndex
from pynamodb.models import Model

from models.base import table


@table("orgs")
class Org(Model):
    """A small or micro enterprise that aggregates the public's reductions into PHCER."""

    class Meta:
        table_name = "orgs"

    org_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    types = UnicodeSetAttribute()  # project types it may register: pv, heat_pump, ...
    created_at = UnicodeAttribute()
    created_by = UnicodeAttribute()


@table("org_keys")
class OrgKey(Model):
    """An organisation's API key, stored as its SHA-256 only."""

    class Meta:
        table_name = "org_keys"

    key_hash = UnicodeAttribute(hash_key=True)
    key_id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    created_at = UnicodeAttribute()
    revoked_at = UnicodeAttribute(null=True)


@table("projects")
class Project(Model):
    class Meta:
        table_name = "projects"

    org_id = UnicodeAttribute(hash_key=True)
    project_id = UnicodeAttribute(range_key=True)
    type = UnicodeAttribute()
    owner_linked = UnicodeAttribute(null=True)  # when a citizen's link code made them the owner
    capacity = UnicodeAttribute(null=True)  # as the org states it (e.g. "5 kWp"); informative
    location = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    readings_seq = NumberAttribute(
        default=0
    )  # bumped by every accepted reading: serialises overlap checks


class ReadingsByStart(LocalSecondaryIndex):
    class Meta:
        index_name = "by_start"
        projection = AllProjection()

    project_key = UnicodeAttribute(hash_key=True)
    period_start = UnicodeAttribute(range_key=True)


class ReadingsByOrg(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_org"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True)
    period_end = UnicodeAttribute(range_key=True)


@table("readings")
class Reading(Model):
    """One metered reading of a project over a period, certified when accepted: the methodology
    version in force on period_end and the grams it gives. `batch_id` is set once, by the one
    PHCER batch that took it (conditional write), so a reduction is never sold twice."""

    class Meta:
        table_name = "readings"

    project_key = UnicodeAttribute(hash_key=True)  # "<org_id>#<project_id>"
    reading_id = UnicodeAttribute(range_key=True)
    org_id = UnicodeAttribute()
    project_id = UnicodeAttribute()
    period_start = UnicodeAttribute()  # YYYY-MM-DD, inclusive
    period_end = UnicodeAttribute()  # YYYY-MM-DD, inclusive
    quantity = UnicodeAttribute()  # Decimal as text: never a float
    methodology = UnicodeAttribute()
    version = UnicodeAttribute()
    grams = NumberAttribute()
    submitted_at = UnicodeAttribute()
    batch_id = UnicodeAttribute(null=True)
    by_start = ReadingsByStart()
    by_org = ReadingsByOrg()
