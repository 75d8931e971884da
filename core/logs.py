"""Structured logs: one JSON object per line, safe to read.

Never log an openid, unionid, phone number, card number, session key or token.
Call sites pass ids that are safe (internal user ids are hashed here: `user_ref`). As a
second line of defence the formatter treats each field by its name:
- a SENSITIVE_KEYS field is dropped, at any depth;
- an AS_IS field (our own ids, enums, dates, routes: merchant m_4544679774, order ids) and any
  number, bool or null is written as it is;
- any other text is free text (a message, a reason, an S3 key): `scrub` masks runs of 10+
  digits (card and phone numbers) and openids in it.
Metric lines are not log lines: core/metrics.py writes them, whatever LOG_LEVEL says.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import time

SENSITIVE_KEYS = frozenset(
    {
        "openid",
        "unionid",
        "session_key",
        "phone",
        "phone_number",
        "card_no",
        "card_number",
        "token",
        "access_token",
        "authorization",
        "secret",
        "code",
        "encrypted_data",
        "iv",
        "key",
    }
)
# Fields whose values this code made (ids, enums, dates, routes, counts' names): written unmasked.
AS_IS = frozenset(
    {
        "ts",
        "level",
        "event",
        "request_id",
        "method",
        "route",
        "status",
        "user",
        "error_code",
        "error_type",
        "merchant_id",
        "order_id",
        "product_id",
        "entry_id",
        "batch_id",
        "org_id",
        "project_id",
        "partner_id",
        "key_id",
        "date",
        "shard",
        "scenario",
        "scenarios",
        "source",
        "template",
        "type",
        "types",
        "event_type",
        "outcome",
        "state",
        "unit_status",
        "fulfilment",
    }
)
# Standalone runs of 10+ digits (card, phone numbers); hex ids have letters around their digits.
_DIGITS = re.compile(r"(?<![0-9A-Za-z])\d{10,}(?![0-9A-Za-z])")
_WX_ID = re.compile(r"\bo[A-Za-z0-9_-]{27}\b")  # WeChat openids: 28 chars starting with 'o'

logger = logging.getLogger("tanpuhui")


def user_ref(user_id: str | None) -> str | None:
    """A short stable hash of an internal user id, to join log lines without naming the user."""
    if not user_id:
        return None
    return hashlib.sha256(user_id.encode()).hexdigest()[:12]


def scrub(value):
    """Free text with digit runs and openids masked; a dict loses its sensitive keys."""
    if isinstance(value, str):
        return _WX_ID.sub("o***", _DIGITS.sub(lambda m: m.group()[:2] + "***", value))
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if k.lower() not in SENSITIVE_KEYS}
    if isinstance(value, (list, tuple)):
        return [scrub(v) for v in value]
    return value


def clean(fields: dict) -> dict:
    """A log line's fields as written: sensitive ones dropped, AS_IS ones and numbers kept, text scrubbed."""
    return {
        k: v if _as_is(k, v) else scrub(v)
        for k, v in fields.items()
        if k.lower() not in SENSITIVE_KEYS
    }


def _as_is(name: str, value) -> bool:
    if value is None or isinstance(value, (bool, int, float)):
        return True
    texts = value if isinstance(value, list) else [value]
    return name in AS_IS and all(
        isinstance(t, str) for t in texts
    )  # a dict is never taken on trust


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"ts": round(record.created, 3), "level": record.levelname.lower()}
        fields = getattr(record, "fields", None)
        if fields:
            line.update(fields)
        else:
            line["event"] = "message"
            line["message"] = record.getMessage()
        if record.exc_info and record.exc_info[0] is not None:
            line["error_type"] = record.exc_info[0].__name__
        return json.dumps(clean(line), ensure_ascii=False, default=str, separators=(",", ":"))


class _Stdout:
    """Whatever sys.stdout is at write time (Lambda, a redirected CLI, pytest's capture)."""

    def write(self, text):
        return sys.stdout.write(text)

    def flush(self):
        sys.stdout.flush()


def setup(level: str = "INFO", stream=None) -> None:
    """Install the JSON formatter on the 'tanpuhui' logger (idempotent)."""
    logger.setLevel(level.upper())
    logger.propagate = False
    for h in list(logger.handlers):
        if getattr(h, "_tanpuhui", False):
            logger.removeHandler(h)
    handler = logging.StreamHandler(stream or _Stdout())
    handler._tanpuhui = True
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)


def log(event: str, level: int = logging.INFO, exc_info=None, **fields) -> None:
    logger.log(level, event, extra={"fields": {"event": event, **fields}}, exc_info=exc_info)


class Timer:
    """Milliseconds since construction, for latency and duration fields."""

    def __init__(self):
        self.start = time.perf_counter()

    @property
    def ms(self) -> float:
        return round((time.perf_counter() - self.start) * 1000, 1)
