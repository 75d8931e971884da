"""Which tree nodes a proof is made of (RFC 9162 sections 2.1.3 and 2.1.4), after
transparency-dev/merkle's proof package. Pure: node ids only, no hashes read.

A node id is (level, index): level 0 holds the leaves, node (l, k) covers leaves
[k·2^l, (k+1)·2^l). Every id a proof names is a perfect subtree of the tree of the proof's size,
so the log stores only perfect subtrees (core.transparency.tiles) and never a node that a later
append could change. Where the RFC's proof holds a node over an imperfect right edge (the
"ephemeral" node), `Nodes` names the perfect subtrees it is hashed from, and `rehash` folds them.
Invariants: `inclusion(i, n)` and `consistency(m, n)` after `rehash` equal PATH(i, D[n]) and
PROOF(m, D[n]) of the RFC (tests/unit/test_merkle_vectors.py checks both against the RFC vectors).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Nodes:
    ids: tuple[tuple[int, int], ...]
    begin: int = 0  # ids[begin:end] are hashed into one ephemeral node
    end: int = 0

    def rehash(self, hashes: list[bytes], hash_children) -> list[bytes]:
        """The proof's hashes from the hashes of `ids` (in order)."""
        if len(hashes) != len(self.ids):
            raise ValueError(f"got {len(hashes)} hashes for {len(self.ids)} nodes")
        out, i = [], 0
        while i < len(hashes):
            h = hashes[i]
            if self.begin <= i < self.end:
                for j in range(i + 1, self.end):
                    h = hash_children(hashes[j], h)
                i = self.end - 1
            out.append(h)
            i += 1
        return out

    def skip_first(self) -> Nodes:
        shift = 1 if self.begin < self.end else 0
        return Nodes(self.ids[1:], self.begin - shift, self.end - shift)


def decompose(begin: int, end: int) -> tuple[int, int]:
    """The compact range [begin, end): bit masks of its left and right perfect subtrees' sizes."""
    if begin == 0:
        return 0, end
    xbegin = begin - 1
    mask = (1 << ((xbegin ^ end).bit_length() - 1)) - 1
    return ~xbegin & mask, end & mask


def range_nodes(begin: int, end: int) -> list[tuple[int, int]]:
    """The perfect subtrees covering [begin, end), left to right."""
    left, right = decompose(begin, end)
    ids, pos = [], begin
    while left:
        level = (left & -left).bit_length() - 1
        ids.append((level, pos >> level))
        pos, left = pos + (1 << level), left ^ (1 << level)
    while right:
        level = right.bit_length() - 1
        ids.append((level, pos >> level))
        pos, right = pos + (1 << level), right ^ (1 << level)
    return ids


def _nodes(index: int, level: int, size: int) -> Nodes:
    # The fork: where the path from (level, index) to the root leaves the path to leaf `size`;
    # its sibling is the ephemeral node, covered by the perfect subtrees of [end, size).
    inner = (index ^ (size >> level)).bit_length() - 1
    fork_level, fork_index = level + inner, index >> inner
    begin, end = fork_index << fork_level, (fork_index + 1) << fork_level
    ids, node = [(level, index)], (level, index)
    while node[0] < fork_level:
        ids.append((node[0], node[1] ^ 1))
        node = (node[0] + 1, node[1] >> 1)
    first = len(ids)
    ids += reversed(range_nodes(end, size))  # lowest level first: rehash folds them upwards
    last = len(ids)
    ids += reversed(range_nodes(0, begin))
    if first >= last:
        first = last = 0
    return Nodes(tuple(ids), first, last)


def inclusion(index: int, size: int) -> Nodes:
    """The nodes of the inclusion proof of leaf `index` in the tree of `size` leaves (PATH)."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} out of bounds for tree size {size}")
    return _nodes(index, 0, size).skip_first()


def consistency(size1: int, size2: int) -> Nodes:
    """The nodes of the consistency proof between trees of size1 and size2 leaves (PROOF)."""
    if not 0 <= size1 <= size2:
        raise ValueError(f"tree size {size1} > {size2}")
    if size1 == 0 or size1 == size2:
        return Nodes(())
    level = (size1 & -size1).bit_length() - 1  # the biggest perfect subtree ending at size1
    index = (size1 - 1) >> level
    p = _nodes(index, level, size2)
    return p.skip_first() if index == 0 else p  # size1 a power of two: the verifier has that root
