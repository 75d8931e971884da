"""Make moto's costs per request independent of table size, as DynamoDB's are.

1. Query reads one partition.

moto answers a Query on a table's own key by listing and sorting every item of the table,
then filtering by the partition key: O(n log n) per Query instead of O(partition). Measured
with py-spy on the local endpoint: trip ingestion (one card-binding Query per new card) fell
from 516 to 160 rows/s between 1,000- and 5,000-row files, all of it in `Table.all_items`.
The local stack and the benchmarks should show the app's costs, not moto's, so while a
base-table Query runs, `all_items` returns only the queried partition. The endpoint holds one
lock per request (infra/aws_endpoint.py); the partition is thread-local anyway.

2. A failed transaction restores only the items it touched.
moto deep-copies every table a TransactWriteItems names before running it, to restore on
failure: each transaction costs O(table), so settling a day costs O(users^2) on the endpoint.
Here the items the transaction names are saved first, the whole-table copy is skipped, and on
failure exactly those items are put back: the same outcome, since a transaction writes
nothing but the items it names (and the endpoint runs one request at a time).

3. A projection picks its attributes.
moto projects an item by converting the whole item to plain JSON once per projected name, then
serialising the result back: O(names x attributes) a read. GET /api/v1/coins projects the account
to its four figures; measured on the endpoint (cProfile, 1,000 reads), moto's `Item.project` was
most of the gap between its BatchGetItem and a bare GetItem. A projection of top-level names now
takes those attributes as they are (the same answer); a nested path or a list element still goes
through moto's own.

Each patch leans on moto's private code (`Table.query`'s parameters, `Table.items`' layout, the
backend module's `copy`, `Item.project`), so they are applied only to the moto they were written
and tested for (WRITTEN_FOR): on any other version `apply` warns and patches nothing, and the
endpoint runs plain moto (the same answers, each Query and transaction O(table)). After a moto
upgrade, re-read the three patches against its source, run tests/integration/test_moto_speedups.py
and move WRITTEN_FOR.
"""

from __future__ import annotations

import inspect
import threading
import warnings
from importlib import metadata

WRITTEN_FOR = "5.2.5"

_state = threading.local()
_applied = False


def apply() -> bool:
    """Patch moto in this process, once; False (with a warning) when moto is not WRITTEN_FOR."""
    global _applied
    if _applied:
        return True
    installed = metadata.version("moto")
    if installed != WRITTEN_FOR:
        warnings.warn(
            f"infra/moto_speedups.py was written for moto {WRITTEN_FOR}, this is moto {installed}: "
            "moto is left unpatched (same answers, but each Query and transaction costs O(table) "
            "on the local endpoint). Check the patches against this moto, then move WRITTEN_FOR.",
            RuntimeWarning,
            stacklevel=2,
        )
        return False
    from moto.dynamodb.models.table import Table

    original_query, original_all_items = Table.query, Table.all_items
    signature = inspect.signature(original_query)

    def query(self, hash_key, *args, **kwargs):
        index_name = signature.bind(self, hash_key, *args, **kwargs).arguments.get("index_name")
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
    _transactions_restore_items()
    _projection_reads_each_attribute_once()
    _applied = True
    return True


def _transactions_restore_items() -> None:
    import copy

    import moto.dynamodb.models as backend_module
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    class TablesAsIs:
        """`copy` for moto's backend module: tables are not copied (see the module docstring)."""

        def __getattr__(self, name):
            return getattr(copy, name)

        @staticmethod
        def deepcopy(x, memo=None):
            return x if isinstance(x, Table) else copy.deepcopy(x, memo)

    backend_module.copy = TablesAsIs()
    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        saved = []
        for entry in transact_items:
            _, op = next(iter(entry.items()))
            table = self.tables.get(op.get("TableName"))
            if table is None:
                continue
            key = op.get("Key") or op.get("Item") or {}
            if table.hash_key_attr not in key or (
                table.range_key_attr and table.range_key_attr not in key
            ):
                continue  # moto refuses it with its own error; nothing was written
            h = DynamoType(key[table.hash_key_attr])
            r = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            saved.append((table, h, r, copy.deepcopy(table.get_item(h, r))))
        try:
            return original(self, transact_items)
        except BaseException:
            for table, h, r, item in reversed(saved):
                if r is None:
                    if item is None:
                        table.items.pop(h, None)
                    else:
                        table.items[h] = item
                else:
                    part = table.items[h]
                    if item is None:
                        part.pop(r, None)
                        if not part:
                            table.items.pop(h, None)
                    else:
                        part[r] = item
            raise

    DynamoDBBackend.transact_write_items = transact_write_items


def _projection_reads_each_attribute_once() -> None:
    from moto.dynamodb.models.dynamo_type import Item

    original = Item.project

    def project(self, projection_expressions):
        if any(len(path) != 1 or "[" in path[0] for path in projection_expressions):
            return original(self, projection_expressions)  # nested paths and list items: moto's own
        names = [path[0] for path in projection_expressions]
        return Item(
            hash_key=self.hash_key,
            range_key=self.range_key,
            attrs={n: self.attrs[n] for n in names if n in self.attrs},
        )

    Item.project = project
