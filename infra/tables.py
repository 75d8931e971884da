"""Create every registered table from its model, idempotently."""

import models


def create_all(settings, wait: bool = True) -> list[str]:
    """Create missing tables (with TTL where the model has one); return the names created."""
    models.bind(settings)
    created = []
    for model in models.REGISTRY:
        if not model.exists():
            # PynamoDB turns TTL on after creating a table whose model has a TTLAttribute.
            model.create_table(wait=wait, billing_mode="PAY_PER_REQUEST")
            created.append(model.Meta.table_name)
    return created


def ttl_attribute(model) -> str | None:
    from pynamodb.attributes import TTLAttribute

    for attr in model.get_attributes().values():
        if isinstance(attr, TTLAttribute):
            return attr.attr_name
    return None


def ensure_bucket(settings, s3) -> None:
    names = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if settings.trip_bucket not in names:
        s3.create_bucket(
            Bucket=settings.trip_bucket,
            CreateBucketConfiguration={"LocationConstraint": settings.region},
        )
