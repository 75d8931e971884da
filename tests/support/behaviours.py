"""Write behaviour records straight into the table, as ingestion would."""
from datetime import datetime, timezone

from models.behaviours import Behaviour


def add_behaviour(settings, user_id, date, scenario, quantity, source_id, at="08:00", facts=None, source="test"):
    Behaviour.of(user_id, date, scenario, quantity, f"{date}T{at}:00+08:00", source, source_id, settings.settle_shards,
                 datetime.now(timezone.utc).isoformat(), facts, keep_days=settings.behaviour_retention_days).save()
