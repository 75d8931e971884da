"""Opaque list cursors: the one codec every paged list uses (ledger, orders, products, appeals).

A cursor is the DynamoDB start key of the next page, handed to the client and back. It is never
trusted: decoding checks its kind (exactly the key attributes of the list it pages), its shape
(each value a DynamoDB string) and its owner and other fixed values (a citizen's user_id, the
category of a category list). DynamoDB fails on a start key outside the query (a 500), and a
cursor must never page someone else's list: anything else is a 422 invalid_request. Pure: no I/O.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from core import jsonbounds
from core.errors import Unprocessable


@dataclass(frozen=True)
class Kind:
    name: str
    keys: frozenset[str]  # the start key's attributes: table key + index key
    owner: str | None = None  # the attribute that must be the asking user's id
    numbers: frozenset[str] = frozenset()  # attributes that are DynamoDB numbers (a range key)


LEDGER = Kind(
    "ledger", frozenset({"user_id", "entry_id", "seq"}), owner="user_id"
)  # ledger by_time index
ORDERS = Kind(
    "orders", frozenset({"order_id", "user_id", "created_at"}), owner="user_id"
)  # orders by_user
APPEALS = Kind(
    "appeals", frozenset({"appeal_id", "user_id", "created_at"}), owner="user_id"
)  # appeals by_user
PRODUCTS_ON_SALE = Kind("products", frozenset({"product_id", "listed"}))  # products on_sale index
PRODUCTS_IN_CATEGORY = Kind(
    "category products", frozenset({"product_id", "category"})
)  # by_category
INBOX = Kind("inbox", frozenset({"user_id", "at"}), owner="user_id")  # models.inbox
DIRECTORY = Kind(
    "directory", frozenset({"section", "key"})
)  # models.directory (the key's prefix checked by its lister)


class InvalidCursor(Unprocessable):
    message = "The list cursor is not valid."
    message_zh = "翻页参数（cursor）无效，请从第一页重新加载。"


def encode(key: dict | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode() if key else None


def decode(cursor: str | None, kind: Kind, owner: str | None = None, **fixed: str) -> dict | None:
    """The start key, or None for the first page; InvalidCursor for anything not of `kind`,
    not owned by `owner` or not matching `fixed`."""
    if not cursor:
        return None
    if kind.owner is not None:
        if not owner:
            raise ValueError(f"a {kind.name} cursor is checked against its owner")
        fixed = {**fixed, kind.owner: owner}
    try:
        key = jsonbounds.loads(
            base64.urlsafe_b64decode(cursor.encode())
        )  # depth-bounded: no RecursionError
    except (ValueError, TypeError, binascii.Error):
        raise InvalidCursor() from None
    if not isinstance(key, dict) or set(key) != kind.keys:
        raise InvalidCursor()
    if not all(_typed(v, "N" if k in kind.numbers else "S") for k, v in key.items()):
        raise InvalidCursor()
    if any(key[k]["S"] != v for k, v in fixed.items()):
        raise InvalidCursor()
    return key


def _typed(value, kind: str) -> bool:
    """A DynamoDB value of one type: a string, or a number as whole digits (what our keys hold)."""
    if not (isinstance(value, dict) and list(value) == [kind] and isinstance(value[kind], str)):
        return False
    return kind == "S" or (value["N"].isascii() and value["N"].isdigit() and len(value["N"]) <= 15)
