from datetime import datetime, time, timedelta, timezone

from pynamodb.attributes import JSONAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table

SHANGHAI = timezone(timedelta(hours=8))


def shard_of(user_id: str, shards: int) -> int:
    """Stable shard of a user: all of one user's behaviours of a day land in one shard."""
    import zlib

    return zlib.crc32(user_id.encode()) % shards


def partition(date: str, shard: int) -> str:
    return f"{date}#{shard:03d}"


def sort_key(user_id: str, source: str, source_id: str) -> str:
    return f"{user_id}#{source}#{source_id}"


@table("behaviours")
class Behaviour(Model):
    """One low-carbon behaviour as it arrived (raw facts kept so new rules can be re-applied).

    pk = "<local date>#<shard>" so settling one date and shard is one Query, never a Scan;
    sk = "<user_id>#<source>#<source_id>", written with attribute_not_exists(sk) so the same
    source record (trip id, partner record id) is stored once whatever channel brings it.
    Step-days use source_id = the date and are replaced (a later upload replaces, never adds).
    """

    class Meta:
        table_name = "behaviours"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    user_id = UnicodeAttribute()
    date = UnicodeAttribute()  # Asia/Shanghai local date of the behaviour
    scenario = UnicodeAttribute()  # methodology code: metro, bus, walk, bike, ...
    quantity = NumberAttribute()  # in the scenario's unit (trips, steps, km, kWh ...)
    occurred_at = UnicodeAttribute()  # ISO 8601 with offset
    source = UnicodeAttribute()  # yct | werun | partner:<id>
    source_id = UnicodeAttribute()
    facts = JSONAttribute(
        null=True
    )  # raw facts (line, stations, distance, duration ...) for re-applying rules
    ingested_at = UnicodeAttribute()
    # DynamoDB deletes the item after this (TTL): the date plus settings.behaviour_retention_days.
    expires_at = TTLAttribute(null=True)

    @classmethod
    def of(
        cls,
        user_id: str,
        date: str,
        scenario: str,
        quantity,
        occurred_at: str,
        source: str,
        source_id: str,
        shards: int,
        ingested_at: str,
        facts: dict | None = None,
        *,
        keep_days: int,
    ) -> "Behaviour":
        """The one way to build a behaviour: its keys follow from the user, day and source record
        (trips, step-days, partner records and test data all come through here). It expires
        `keep_days` (settings.behaviour_retention_days) after the end of its (Asia/Shanghai) day."""
        return cls(
            partition(date, shard_of(user_id, shards)),
            sort_key(user_id, source, source_id),
            user_id=user_id,
            date=date,
            scenario=scenario,
            quantity=quantity,
            occurred_at=occurred_at,
            source=source,
            source_id=source_id,
            facts=facts,
            ingested_at=ingested_at,
            expires_at=expiry(date, keep_days),
        )


def expiry(date: str, keep_days: int) -> datetime:
    end = datetime.combine(
        datetime.strptime(date, "%Y-%m-%d").date() + timedelta(days=1), time(), SHANGHAI
    )
    return end + timedelta(days=keep_days)
