"""The template's provisioned tables (infra/template.py): capacity and its Application Auto
Scaling, from infra/capacity.py.

Per provisioned table and dimension (writes, reads): a ScalableTarget with the daytime floor
and maximum, a target-tracking policy (TARGET_UTILISATION %) for the API's load, and for a
dimension the night's batch uses, two scheduled actions: raise Min = Max to the window's units
before it, back to the floor after it. No RoleARN: Application Auto Scaling then uses its
service-linked role for DynamoDB (AWSServiceRoleForApplicationAutoScaling_DynamoDBTable),
created on first use in aws-cn as in aws.
DynamoDB limits decreases of a table's capacity (4 at any time of a UTC day, then one more per
hour without one: up to 27 a day): the one scheduled lowering a day plus target tracking's
daytime scale-ins stay within it; a refused decrease only leaves more capacity, never less.
Deploying: an existing table switches from on-demand to provisioned once (DynamoDB allows one
billing-mode switch a day); the template's ProvisionedThroughput is the floor, so a stack update
that leaves it unchanged does not undo what the scaling set.
"""

from __future__ import annotations

from infra import capacity

DIMENSIONS = {
    "write": ("WriteCapacityUnits", "DynamoDBWriteCapacityUtilization"),
    "read": ("ReadCapacityUnits", "DynamoDBReadCapacityUtilization"),
}


def billing(short_name: str, props: dict) -> dict:
    """The table's billing properties: provisioned at the floor, or on-demand."""
    if short_name not in capacity.PROVISIONED:
        return {"BillingMode": "PAY_PER_REQUEST"}
    if props.get("GlobalSecondaryIndexes"):  # each index would need its own capacity and scaling
        raise ValueError(
            f"{short_name}: a provisioned table with a global index needs the index's capacity too"
        )
    return {
        "BillingMode": "PROVISIONED",
        "ProvisionedThroughput": {
            "ReadCapacityUnits": capacity.FLOOR,
            "WriteCapacityUnits": capacity.FLOOR,
        },
    }


def _scheduled(short_name: str, r: capacity.Raise) -> list[dict]:
    w = r.window
    return [
        {
            "ScheduledActionName": f"{short_name}-{r.dimension}-{w.name}-raise",
            "Schedule": w.cron(w.start_utc),
            "ScalableTargetAction": {"MinCapacity": r.units, "MaxCapacity": r.units},
        },
        # The day's one lowering (see the module's note on DynamoDB's decrease limit).
        {
            "ScheduledActionName": f"{short_name}-{r.dimension}-{w.name}-lower",
            "Schedule": w.cron(w.end_utc()),
            "ScalableTargetAction": {
                "MinCapacity": capacity.FLOOR,
                "MaxCapacity": capacity.DAY_MAX,
            },
        },
    ]


def resources(short_name: str, table_id: str) -> dict:
    """ScalableTargets, policies and scheduled actions of one provisioned table (else none)."""
    if short_name not in capacity.PROVISIONED:
        return {}
    raised = capacity.raises_of(short_name)
    out = {}
    for dim, (units_name, metric) in DIMENSIONS.items():
        target_id = f"{table_id}{units_name}Target"
        target = {
            "MinCapacity": capacity.FLOOR,
            "MaxCapacity": capacity.DAY_MAX,
            "ResourceId": {"Fn::Sub": "table/${" + table_id + "}"},
            "ScalableDimension": f"dynamodb:table:{units_name}",
            "ServiceNamespace": "dynamodb",
        }
        if dim in raised:
            target["ScheduledActions"] = _scheduled(short_name, raised[dim])
        out[target_id] = {
            "Type": "AWS::ApplicationAutoScaling::ScalableTarget",
            "Properties": target,
        }
        out[f"{table_id}{units_name}Policy"] = {
            "Type": "AWS::ApplicationAutoScaling::ScalingPolicy",
            "Properties": {
                "PolicyName": {"Fn::Sub": "${Prefix}-${Stage}-" + f"{short_name}-{dim}-target"},
                "PolicyType": "TargetTrackingScaling",
                "ScalingTargetId": {"Ref": target_id},
                "TargetTrackingScalingPolicyConfiguration": {
                    "TargetValue": capacity.TARGET_UTILISATION,
                    "PredefinedMetricSpecification": {"PredefinedMetricType": metric},
                },
            },
        }
    return out
