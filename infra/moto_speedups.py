"""Make moto's Query read one partition, as DynamoDB does.

moto answers a Query on a table's own key by listing and sorting every item of the table,
then filtering by the partition key: O(n log n) per Query instead of O(partition). Measured
with py-spy on the local endpoint: trip ingestion (one card-binding Query per new card) fell
from 516 to 160 rows/s between 1,000- and 5,000-row files, all of it in `Table.all_items`.
The local stack and the benchmarks should show the app's costs, not moto's, so while a
base-table Query runs, `all_items` returns only the queried partition. The endpoint holds one
lock per request (infra/aws_endpoint.py); the partition is thread-local anyway.
"""
from __future__ import annotations

import threading

_state = threading.local()
_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    from moto.dynamodb.models.table import Table

    original_query, original_all_items = Table.query, Table.all_items

    def query(self, hash_key, *args, **kwargs):
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        if index_name or hash_key is None:
            return original_query(self, hash_key, *args, **kwargs)
        _state.partition = hash_key
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            _state.partition = None

    def all_items(self):
        key = getattr(_state, "partition", None)
        if key is None:
            return original_all_items(self)
        part = self.items.get(key)
        if part is None:
            return []
        return sorted(part.values(), key=lambda x: x.range_key) if self.range_key_attr else [part]

    Table.query, Table.all_items = query, all_items
    _applied = True
