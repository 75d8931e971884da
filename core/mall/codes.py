"""Redemption codes: 80 random bits as 16 Crockford base32 characters in groups of four,
easy to read aloud and type at a counter (no I, L, O, U), stored only as SHA-256. Pure."""

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPOS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalize(typed: str) -> str | None:
    """What a cashier typed or a scanner read -> canonical code, or None if it cannot be one."""
    raw = "".join(ch for ch in typed.upper() if ch not in " -").translate(_TYPOS)
    if len(raw) != 16 or any(ch not in ALPHABET for ch in raw):
        return None
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
