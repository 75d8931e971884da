"""Opaque list cursors shared by list endpoints."""
import base64
import json

from core.errors import Unprocessable


def encode(key: dict | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode() if key else None


def decode(cursor: str | None) -> dict | None:
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(key, dict):
            raise ValueError
        return key
    except (ValueError, TypeError):
        raise Unprocessable("cursor is not valid") from None
