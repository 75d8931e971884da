"""JSON from outside, bounded: the one parser every request body and every cursor goes through.

Python's json recurses once per nesting level, so 256 KiB of "[" ends in RecursionError (a
500) deep inside the parser. The nesting depth is counted on the raw text first, strings
skipped, and anything deeper than MAX_DEPTH is refused as a ValueError like any other bad
JSON. Pure: no I/O.
"""
from __future__ import annotations

import json
import re

MAX_DEPTH = 32
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


class TooDeep(ValueError):
    pass


def too_deep(text: str, max_depth: int) -> bool:
    """Whether arrays and objects in `text` nest deeper than max_depth (brackets in strings don't count)."""
    level = 0
    for m in _BRACKET.finditer(_STRING.sub("", text)):
        level += 1 if m.group() in "[{" else -1
        if level > max_depth:
            return True
    return False


def loads(data: str | bytes, max_depth: int = MAX_DEPTH):
    """json.loads that raises ValueError (never RecursionError) for input nested too deep."""
    text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
    # Cheap first: fewer brackets than the limit cannot be too deep.
    if text.count("[") + text.count("{") > max_depth and too_deep(text, max_depth):
        raise TooDeep(f"JSON nested deeper than {max_depth} levels")
    return json.loads(text)
