"""Opaque list cursors shared by list endpoints.

A cursor is a DynamoDB start key the client hands back. It is checked before use: exactly the
key attributes of the list it pages, each a string, with the values the list is fixed to (its
owner, its category). DynamoDB fails on a start key outside the query (a 500), and a cursor
must never page someone else's list: anything else is a 422.
"""
import base64
import json

from core import jsonbounds
from core.errors import Unprocessable


def encode(key: dict | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode() if key else None


def decode(cursor: str | None, keys: set[str], **fixed: str) -> dict | None:
    if not cursor:
        return None
    try:
        key = jsonbounds.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(key, dict) or set(key) != keys:
            raise ValueError
        if not all(isinstance(v, dict) and list(v) == ["S"] and isinstance(v["S"], str) for v in key.values()):
            raise ValueError
        if any(key[k]["S"] != v for k, v in fixed.items()):
            raise ValueError
        return key
    except (ValueError, TypeError):
        raise Unprocessable("The list cursor is not valid.", zh="翻页参数（cursor）无效，请从第一页重新加载。") from None
