from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table

BUCKETS = 80  # core.carbon.footprint_rules.bucket_of maps a year's grams to 0..BUCKETS-1


@table("footprints")
class Footprint(Model):
    """One citizen's footprint item for one year (Asia/Shanghai dates): the histogram bucket they
    are counted in (written only by core.carbon.footprint.recount), and the grams and coins
    settlement credits added here before the year's roll-up moved onto the account item
    (models.accounts ROLLUP): legacy, never changed now, added by every reader. The year's grams
    are grams + the account's fp_g_YYYY. The per-day, per-scenario split lives on settled_days."""

    class Meta:
        table_name = "footprints"

    user_id = UnicodeAttribute(hash_key=True)
    year = UnicodeAttribute(range_key=True)
    grams = NumberAttribute(default=0)  # legacy: credits before the roll-up moved to the account
    coins = NumberAttribute(default=0)  # legacy, likewise
    counted_bucket = NumberAttribute(null=True)  # the histogram bucket this citizen is counted in


@table("footprint_histograms")
class FootprintHistogram(Model):
    """How many citizens of the city have a year's grams in each bucket, split into parts so
    concurrent settlement shards rarely touch one item (a batch's net moves go to one part, so a
    part's count may be below 0); only the sum over parts is the city.
    Buckets are top-level numbers b0..b79, so one update moves a citizen between two of them."""

    class Meta:
        table_name = "footprint_histograms"

    year = UnicodeAttribute(hash_key=True)
    part = NumberAttribute(range_key=True)
    for _i in range(BUCKETS):
        locals()[f"b{_i}"] = NumberAttribute(default=0)
    del _i

    def counts(self) -> list[int]:
        return [int(getattr(self, f"b{i}") or 0) for i in range(BUCKETS)]
