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


def _thread_session():
    """One botocore session per thread for every model's connection.

    PynamoDB gives each model's connection its own botocore session, and each session loads and
    parses the DynamoDB service description again: with ~40 models that was ~7 s of CPU to create
    the tables once (0.16 s a model) and a slower first request in every cold container. One session
    per thread keeps PynamoDB's own rule (botocore sessions are not thread-safe) and loads it once."""
    session = getattr(_sessions, "session", None)
    if session is None:
        session = _sessions.session = _botocore_session()
    return session


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
    global _connection, _settings
    _settings = settings
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
