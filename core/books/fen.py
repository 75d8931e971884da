"""Yuan as text and as integer fen. Pure: no I/O.

Money is counted in integer fen, never a float; it is shown and exchanged as yuan with exactly
two places ("69.00", "-3.00").
"""

from __future__ import annotations


def text(fen: int) -> str:
    """Fen as yuan, a 2-place decimal string (how yuan are shown and exchanged)."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def fen_of(yuan: str) -> int:
    """A 2-place yuan string (already checked) as fen."""
    negative = yuan.startswith("-")
    whole, _, cents = yuan.lstrip("-").partition(".")
    n = int(whole) * 100 + int(cents or 0)
    return -n if negative else n
