"""Scan log lines for personal data and secrets: openids, phone numbers, card numbers,
session keys, tokens, merchant keys. Every line must be JSON; string values (and keys) are scanned."""

from __future__ import annotations

import json
import re

PATTERNS = {
    "openid": re.compile(r"(?<![A-Za-z0-9_-])o[A-Za-z0-9_-]{27}(?![A-Za-z0-9_-])"),
    "phone": re.compile(r"(?<![\w.])1[3-9]\d{9}(?![\w.])"),
    "card number": re.compile(r"(?<![\w.])(510000\d{10}|\d{10})(?![\w.])"),
    "session key": re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{22}==(?![A-Za-z0-9+/=])"),
    # Merchant staff keys (mk_ + random, or the seeded mk_demo_<id>_local); the bare prefix is not one.
    "merchant key": re.compile(r"(?<![A-Za-z0-9_-])mk_[A-Za-z0-9_-]{8,}"),
    "token": re.compile(r"v1\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}|Bearer\s+\S+"),
}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def find_leaks(lines: list[str]) -> list[str]:
    """One problem per offending line: not JSON, or which kind of secret it holds."""
    problems = []
    for n, line in enumerate(lines, 1):
        try:
            parsed = json.loads(line)
        except ValueError:
            problems.append(f"line {n} is not JSON: {line[:80]!r}")
            continue
        for text in _strings(parsed):
            for kind, pattern in PATTERNS.items():
                if pattern.search(text):
                    problems.append(f"line {n} holds a {kind}: event={parsed.get('event')!r}")
    return problems
