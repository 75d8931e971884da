"""Binding PynamoDB models to the configured tables and endpoint.

Models are declared once; `bind(settings)` points every registered model at
`{prefix}-{stage}-{name}` on the configured endpoint. Re-binding (tests switch
prefixes) drops PynamoDB's cached connection so no model keeps an old endpoint.
"""

from __future__ import annotations

import threading

import pynamodb.connection.base as _pynamodb_base
from botocore.session import get_session as _botocore_session
from pynamodb.connection import Connection
from pynamodb.models import Model

_sessions = threading.local()
_generation = 0  # bumped by bind(): a session made before it is not reused after it


def _thread_session():
    """One botocore session per thread for every model's connection.

    PynamoDB gives each model's connection its own botocore session, and each session loads and
    parses the DynamoDB service description again: with ~40 models that was ~7 s of CPU to create
    the tables once (0.16 s a model) and a slower first request in every cold container. One session
    per thread keeps PynamoDB's own rule (botocore sessions are not thread-safe) and loads it once.
    bind() starts a new one: a session copies botocore's handlers when it is made (an in-process
    AWS mock registers one), and the endpoint and credentials may have changed."""
    held = getattr(_sessions, "held", None)
    if held is None or held[0] != _generation:
        held = _sessions.held = (_generation, _botocore_session())
    return held[1]


_pynamodb_base.get_session = _thread_session

REGISTRY: list[type[Model]] = []
_connection: Connection | None = None
_settings = None


def table(name: str):
    """Class decorator: register a model under its short table name."""

    def register(cls):
        cls.Meta.short_name = name
        if cls not in REGISTRY:
            REGISTRY.append(cls)
        if _settings is not None:
            _bind_one(cls, _settings)
        return cls

    return register


def _bind_one(cls, settings) -> None:
    cls.Meta.table_name = settings.table_name(cls.Meta.short_name)
    cls.Meta.host = settings.aws_endpoint
    cls.Meta.region = settings.region
    cls.Meta.billing_mode = "PAY_PER_REQUEST"
    if settings.aws_endpoint:
        # A local endpoint takes any credentials; never fall back to a developer's real ones.
        cls.Meta.aws_access_key_id = cls.Meta.aws_secret_access_key = "local"
    cls._connection = None


def bind(settings) -> None:
    global _connection, _settings, _generation
    _settings = settings
    _generation += 1
    _connection = None
    for cls in REGISTRY:
        _bind_one(cls, settings)


def connection() -> Connection:
    """A connection for TransactWrite/TransactGet, which ignore Meta.host."""
    global _connection
    if _connection is None:
        if _settings is None:
            raise RuntimeError("models.bind(settings) was not called")
        creds = {}
        if _settings.aws_endpoint:
            creds = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
        _connection = Connection(region=_settings.region, host=_settings.aws_endpoint, **creds)
    return _connection


def get_items(
    requests: list[tuple[type[Model], dict[str, str], list[str] | None]],
) -> list[dict | None]:
    """Strongly consistent reads of items of several tables in one BatchGetItem (at most 100):
    (model, string key attributes, attributes to get or None) -> each item as the low-level client
    returns it (typed attributes; Model.from_raw_data makes a model of it), or None when missing.
    Keys DynamoDB leaves unprocessed (throttling, size) are asked for again (core.retry's curve)."""
    from core.errors import ServiceUnavailable
    from core.retry import THROTTLED

    tables: dict[str, dict] = {}
    for model, key, attributes in requests:
        spec = tables.setdefault(model.Meta.table_name, {"Keys": [], "ConsistentRead": True})
        spec["Keys"].append({k: {"S": v} for k, v in key.items()})
        if attributes:  # one projection per table; the key is always in it (it finds the item)
            names = {f"#a{i}": a for i, a in enumerate(dict.fromkeys([*key, *attributes]))}
            spec["ProjectionExpression"] = ", ".join(names)
            spec["ExpressionAttributeNames"] = names
    found: dict[tuple, dict] = {}
    client = connection().client
    for _ in THROTTLED.tries() if tables else ():
        answer = client.batch_get_item(RequestItems=tables)
        for table_name, items in answer.get("Responses", {}).items():
            for item in items:
                found[_key_of(table_name, item, requests)] = item
        tables = answer.get("UnprocessedKeys") or {}
        if not tables:
            break
    if tables:
        raise ServiceUnavailable()
    return [found.get((m.Meta.table_name, tuple(sorted(key.items())))) for m, key, _ in requests]


def _key_of(table_name: str, item: dict, requests) -> tuple:
    for model, key, _ in requests:
        if model.Meta.table_name == table_name:
            return table_name, tuple(sorted((k, item[k]["S"]) for k in key))
    raise KeyError(table_name)
