"""Save the local endpoint's tables and objects to a file, and load them on start, so `make run`
keeps its data across restarts (until `make reset`).

save() copies moto's state in memory while holding the endpoint's lock, the lock every request
to the endpoint holds for its whole length: the copy is one moment of every table and object
together (no request half-applied, no table newer than another), and the lock is held only for
the copy, not for the file. The file is written beside the last good one and renamed over it,
so a kill during a write leaves the previous snapshot whole."""

from __future__ import annotations

import base64
import json
import os
import tempfile
import threading

from gateways import aws_client

_writing = threading.Lock()  # the periodic and the final snapshot never write at once


def _path(settings) -> str:
    return os.path.join(settings.local_state_dir, "aws.json")


def capture(settings) -> dict:
    """This stage's tables (DynamoDB JSON items) and every object (base64), read from moto's
    backends in this process. The caller holds the endpoint's lock."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    state = {"tables": {}, "objects": {}}
    prefix = settings.table_name("")
    for name, table in dynamodb_backends[DEFAULT_ACCOUNT_ID][settings.region].tables.items():
        # Access tokens die with the simulator that issued them; everything else is kept.
        if name.startswith(prefix) and name != settings.table_name("wechat_tokens"):
            state["tables"][name] = [item.to_json()["Attributes"] for item in table.all_items()]
    for bucket_name, bucket in s3_backends[DEFAULT_ACCOUNT_ID][
        get_partition(settings.region)
    ].buckets.items():
        objs = state["objects"].setdefault(bucket_name, {})
        for key, obj in bucket.keys.items():
            if getattr(obj, "value", None) is not None:  # not a delete marker
                objs[key] = base64.b64encode(obj.value).decode()
    return state


def save(settings, endpoint) -> str:
    """Snapshot the in-process `endpoint` (infra.aws_endpoint.AwsEndpoint) to the state file."""
    with endpoint.lock:
        state = capture(settings)
    return write(settings, state)


def write(settings, state: dict) -> str:
    path = _path(settings)
    os.makedirs(settings.local_state_dir, exist_ok=True)
    with _writing:
        fd, tmp = tempfile.mkstemp(prefix=".aws.", suffix=".tmp", dir=settings.local_state_dir)
        try:
            with os.fdopen(fd, "w") as f:
                json.dump(state, f, default=_b64)  # a binary value moto keeps as bytes
                f.flush()
                os.fsync(f.fileno())  # on disk before the rename makes it the snapshot
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        folder = os.open(settings.local_state_dir, os.O_RDONLY)
        try:
            os.fsync(folder)  # the rename itself survives a crash of the machine
        finally:
            os.close(folder)
    return path


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def _from_wire(value):
    """A DynamoDB JSON value as boto3 takes it: binary values back from base64 to bytes."""
    ((kind, inner),) = value.items()
    if kind == "B":
        return {"B": base64.b64decode(inner)}
    if kind == "BS":
        return {"BS": [base64.b64decode(v) for v in inner]}
    if kind == "M":
        return {"M": {k: _from_wire(v) for k, v in inner.items()}}
    if kind == "L":
        return {"L": [_from_wire(v) for v in inner]}
    return value


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
            batch = [
                {"PutRequest": {"Item": {k: _from_wire(v) for k, v in it.items()}}}
                for it in items[i : i + 25]
            ]
            resp = ddb.batch_write_item(RequestItems={name: batch})
            while resp.get("UnprocessedItems"):
                resp = ddb.batch_write_item(RequestItems=resp["UnprocessedItems"])
    buckets = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    for bucket, objs in state["objects"].items():
        if bucket not in buckets:
            s3.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": settings.region}
            )
        for key, body in objs.items():
            s3.put_object(Bucket=bucket, Key=key, Body=base64.b64decode(body))
    return True
