"""Structured logs: one JSON object per line, safe to read.

Never log an openid, unionid, phone number, card number, session key or token.
Call sites pass ids that are safe (internal user ids are hashed here); as a
second line of defence the formatter drops sensitive keys and masks long digit
runs (card and phone numbers) in every string it writes.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import time

SENSITIVE_KEYS = frozenset({
    "openid", "unionid", "session_key", "phone", "phone_number", "card_no", "card_number",
    "token", "access_token", "authorization", "secret", "code", "encrypted_data", "iv", "key",
})
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
    if isinstance(value, str):
        return _WX_ID.sub("o***", _DIGITS.sub(lambda m: m.group()[:2] + "***", value))
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if k.lower() not in SENSITIVE_KEYS}
    if isinstance(value, (list, tuple)):
        return [scrub(v) for v in value]
    return value


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
        return json.dumps(scrub(line), ensure_ascii=False, default=str, separators=(",", ":"))


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
