"""Write behaviour records straight into the table, as ingestion would."""
from datetime import datetime, timezone

from models.behaviours import Behaviour, partition, shard_of, sort_key


def add_behaviour(settings, user_id, date, scenario, quantity, source_id, at="08:00", facts=None, source="test"):
    Behaviour(partition(date, shard_of(user_id, settings.settle_shards)), sort_key(user_id, source, source_id),
              user_id=user_id, date=date, scenario=scenario, quantity=quantity,
              occurred_at=f"{date}T{at}:00+08:00", source=source, source_id=source_id, facts=facts,
              ingested_at=datetime.now(timezone.utc).isoformat()).save()
