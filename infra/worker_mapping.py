"""Zappa's "post" callback for the worker stages: pace the work queue.

Zappa creates the worker's SQS event source mapping (zappa_settings.json, `event_source` of
functions.work_unit.handler) but cannot set its ScalingConfig. After `zappa deploy` or
`zappa update` of a worker stage this sets MaximumConcurrency to the event source's
`maximum_concurrency` (infra.capacity.UNITS_AT_ONCE; a test checks they agree): at most that
many work units run at once, so the night's batch stays within the capacity the template
provisions for it. Zappa's own later updates of the mapping leave ScalingConfig as it is.
"""

from __future__ import annotations

WORKER = "functions.work_unit.handler"


def queue_source(stage_config: dict) -> dict | None:
    """The work queue's event source in a stage's settings (None: the stage has none)."""
    for event in stage_config.get("events", []):
        source = event.get("event_source", {})
        if event.get("function") == WORKER and ":sqs:" in source.get("arn", ""):
            return source
    return None


def apply(cli) -> None:
    source = queue_source(cli.stage_config)
    if source is None:
        return
    lam = cli.zappa.boto_session.client("lambda")
    apply_to(lam, cli.lambda_name, source)


def apply_to(lam, function_name: str, source: dict) -> str:
    """Set the mapping's MaximumConcurrency; returns the mapping's UUID."""
    found = lam.list_event_source_mappings(FunctionName=function_name, EventSourceArn=source["arn"])
    mappings = found.get("EventSourceMappings", [])
    if not mappings:
        raise SystemExit(
            f"no event source mapping from {source['arn']} to {function_name}: was it deployed?"
        )
    uuid = mappings[0]["UUID"]
    lam.update_event_source_mapping(
        UUID=uuid, ScalingConfig={"MaximumConcurrency": int(source["maximum_concurrency"])}
    )
    return uuid
