from pynamodb.attributes import JSONAttribute, MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("settled_days")
class SettledDay(Model):
    """What settlement has credited for one user-day so far (grams and coins over all runs).
    A re-run credits only day_grams - grams, so late data is paid once and nothing twice."""

    class Meta:
        table_name = "settled_days"

    user_id = UnicodeAttribute(hash_key=True)
    date = UnicodeAttribute(range_key=True)
    grams = NumberAttribute(default=0)
    coins = NumberAttribute(default=0)
    runs = NumberAttribute(
        default=0
    )  # ledger entries written for this day: settle#D, settle#D#2, ...
    versions = JSONAttribute(
        null=True
    )  # scenario -> methodology version the day was first priced with
    scenarios = MapAttribute(
        null=True
    )  # grams per scenario of the credited day (the footprint's split)


@table("settlement_runs")
class SettlementRun(Model):
    """Progress and totals of settling one date and shard; shard -1 is the whole date."""

    class Meta:
        table_name = "settlement_runs"

    date = UnicodeAttribute(hash_key=True)
    shard = NumberAttribute(range_key=True)
    status = UnicodeAttribute(
        null=True
    )  # running | done | failed (the date record: done | incomplete)
    totals = JSONAttribute(null=True)
    attempts = NumberAttribute(default=0)
    started_at = UnicodeAttribute(null=True)
    finished_at = UnicodeAttribute(null=True)
    # Date record only (core.carbon.late): records that arrived after a run started, and how many
    # of those marks the latest run had seen when it started.
    late_marks = NumberAttribute(null=True)
    started_marks = NumberAttribute(null=True)
    # Streaming: the last user settled by the pass in progress (a cut-off invocation resumes
    # after it), and the pass's counts, added batch by batch (ADD: exact whichever invocation
    # of the pass wrote them). The *_total counts add every credit of every run: only the run
    # that made a credit counts it, so concurrent and repeated runs keep them exact.
    position = UnicodeAttribute(null=True)
    pass_users = NumberAttribute(default=0)
    pass_behaviours = NumberAttribute(default=0)
    pass_credited = NumberAttribute(default=0)
    pass_coins = NumberAttribute(default=0)
    pass_grams = NumberAttribute(default=0)
    pass_quarantined = NumberAttribute(default=0)
    pass_noticed = NumberAttribute(
        default=0
    )  # notices written in credits' transactions (core.notices.outbox)
    credited_total = NumberAttribute(default=0)
    coins_total = NumberAttribute(default=0)
    grams_total = NumberAttribute(default=0)
