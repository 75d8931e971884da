"""RFC 6962 hashing (section 2.1), named after the RFC: leaf hash, node hash and MTH. Pure.

Invariants: a leaf is hashed as SHA-256(0x00 || leaf bytes) and an inner node as
SHA-256(0x01 || left || right), so no leaf can pass for a node (second-preimage). MTH of an
empty list is SHA-256 of nothing. `mth` is the RFC's recursive definition computed bottom-up; it
holds every leaf hash in memory, so only tests and small rebuilds call it (the log streams
through core.transparency.tiles).
"""

from __future__ import annotations

import hashlib

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"


def hash_leaf(leaf: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + leaf).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def empty_root() -> bytes:
    return hashlib.sha256(b"").digest()


def mth(leaf_hashes: list[bytes]) -> bytes:
    """MTH(D[n]) from the leaves' hashes: the largest power of two smaller than n splits the
    tree, which is the same as folding the perfect subtrees of [0, n) from the right."""
    if not leaf_hashes:
        return empty_root()
    return root_of_perfect_subtrees(perfect_subtrees(leaf_hashes))


def perfect_subtrees(leaf_hashes: list[bytes]) -> list[bytes]:
    """Hashes of the perfect subtrees covering [0, n), largest (leftmost) first."""
    out, start, n = [], 0, len(leaf_hashes)
    while start < n:
        size = 1 << ((n - start).bit_length() - 1)
        level = leaf_hashes[start : start + size]
        while len(level) > 1:
            level = [hash_children(level[i], level[i + 1]) for i in range(0, len(level), 2)]
        out.append(level[0])
        start += size
    return out


def root_of_perfect_subtrees(hashes: list[bytes]) -> bytes:
    """The root over perfect subtrees given left to right (each smaller than the one before)."""
    if not hashes:
        return empty_root()
    root = hashes[-1]
    for h in reversed(hashes[:-1]):
        root = hash_children(h, root)
    return root
