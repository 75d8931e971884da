"""Count the DynamoDB requests made inside a block (botocore before-call hooks on every client the
models and transactions use)."""

import itertools
from collections import Counter
from contextlib import contextmanager

_ids = itertools.count()


@contextmanager
def count_requests():
    import models

    calls, uid = Counter(), f"count-requests-{next(_ids)}"

    def count(model=None, **_):
        calls[model.name] += 1

    clients = {
        id(c): c
        for c in [models.connection().client]
        + [m._get_connection().connection.client for m in models.REGISTRY]
    }
    for c in clients.values():
        c.meta.events.register("before-call.dynamodb", count, unique_id=uid)
    try:
        yield calls
    finally:
        for c in clients.values():
            c.meta.events.unregister("before-call.dynamodb", unique_id=uid)
