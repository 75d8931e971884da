"""Save the local endpoint's tables and objects to a file on exit and load them
on start, so `make run` keeps its data across restarts (until `make reset`)."""
from __future__ import annotations

import base64
import json
import os

from gateways import aws_client


def _path(settings) -> str:
    return os.path.join(settings.local_state_dir, "aws.json")


def save(settings) -> str:
    ddb, s3 = aws_client("dynamodb", settings), aws_client("s3", settings)
    state = {"tables": {}, "objects": {}}
    prefix = settings.table_name("")
    for name in ddb.list_tables()["TableNames"]:
        # Access tokens die with the simulator that issued them; everything else is kept.
        if not name.startswith(prefix) or name == settings.table_name("wechat_tokens"):
            continue
        items = []
        for page in ddb.get_paginator("scan").paginate(TableName=name):
            items.extend(page["Items"])
        state["tables"][name] = items
    for bucket in s3.list_buckets().get("Buckets", []):
        objs = state["objects"].setdefault(bucket["Name"], {})
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket["Name"]):
            for obj in page.get("Contents", []):
                body = s3.get_object(Bucket=bucket["Name"], Key=obj["Key"])["Body"].read()
                objs[obj["Key"]] = base64.b64encode(body).decode()
    os.makedirs(settings.local_state_dir, exist_ok=True)
    tmp = _path(settings) + ".tmp"
    with open(tmp, "w") as f:
        json.dump(state, f)
    os.replace(tmp, _path(settings))  # never leave a half-written snapshot
    return _path(settings)


def load(settings) -> bool:
    """Load a saved snapshot into already-created tables; False if there is none."""
    if not os.path.exists(_path(settings)):
        return False
    with open(_path(settings)) as f:
        state = json.load(f)
    ddb, s3 = aws_client("dynamodb", settings), aws_client("s3", settings)
    existing = set(ddb.list_tables()["TableNames"])
    for name, items in state["tables"].items():
        if name not in existing:
            continue
        for i in range(0, len(items), 25):
            batch = [{"PutRequest": {"Item": it}} for it in items[i:i + 25]]
            resp = ddb.batch_write_item(RequestItems={name: batch})
            while resp.get("UnprocessedItems"):
                resp = ddb.batch_write_item(RequestItems=resp["UnprocessedItems"])
    buckets = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    for bucket, objs in state["objects"].items():
        if bucket not in buckets:
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": settings.region})
        for key, body in objs.items():
            s3.put_object(Bucket=bucket, Key=key, Body=base64.b64decode(body))
    return True
