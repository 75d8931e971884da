from pynamodb.attributes import BooleanAttribute, JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("rankings")
class RankingItem(Model):
    """The city ranking (core.carbon.rankings, core.citizens.ranking_choice). One table, three kinds
    of item, each read by key (never a Scan):
    - a citizen's choice: pk "choice#<user id>", sk "-": listed, nickname (never their WeChat name);
    - a period's histogram part: pk "hist#<period>", sk "<part>": how many citizens have their
      period's grams in each bucket, top-level numbers b0..b59 (ADD: a move is one update);
    - a period's top part: pk "top#<period>", sk "<part>": the listed citizens of that part with
      the most grams, `entries` [[user id, grams], ...] (bounded), `version` guarding its rewrite.
    Periods: "w2026-49" (ISO week, Asia/Shanghai dates), "m2026-12"."""

    class Meta:
        table_name = "rankings"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    listed = BooleanAttribute(null=True)
    nickname = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute(null=True)
    entries = JSONAttribute(null=True)
    version = NumberAttribute(null=True)
