"""Write behaviour records straight into the table (and the day index), as ingestion would."""

from datetime import UTC, datetime

from core.carbon import intake
from models.behaviours import Behaviour


def add_behaviour(
    settings, user_id, date, scenario, quantity, source_id, at="08:00", facts=None, source="test"
):
    item = Behaviour.of(
        user_id,
        date,
        scenario,
        quantity,
        f"{date}T{at}:00+08:00",
        source,
        source_id,
        settings.settle_shards,
        datetime.now(UTC).isoformat(),
        facts,
        keep_days=settings.behaviour_retention_days,
    )
    intake.store_replacing([item])
