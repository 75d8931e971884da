"""The tree's stored nodes, in tiles (after Go's sumdb tlog), and the streaming builder. Pure.

A tile (T, j) holds the hashes of up to 2^HEIGHT consecutive nodes of level T·HEIGHT, from
index j·2^HEIGHT: level-0 tiles hold leaf hashes, a level-1 tile the roots of 256-leaf subtrees,
and so on. Any perfect subtree's hash is its tile's hashes over its span folded upwards, so a
proof reads one tile per HEIGHT levels: O(log n / HEIGHT) items (4 for 2^32 leaves), not n.
Invariants:
- A tile only grows: the hashes a tile holds for a tree of n leaves are a prefix of what it holds
  for any larger tree, so rewriting the rightmost (partial) tiles after an append never changes
  a node any proof already named, and a re-run after a crash writes the same bytes again.
- The builder keeps one partial row per tile level (at most 2^HEIGHT hashes each): memory is
  independent of the number of leaves appended.
"""

from __future__ import annotations

from core.transparency.rfc6962 import hash_children, perfect_subtrees, root_of_perfect_subtrees

HEIGHT = 8
WIDTH = 1 << HEIGHT
HASH = 32


def tile_span(level: int, index: int) -> tuple[tuple[int, int], int, int]:
    """Where node (level, index) lives: ((tile level, tile index), offset in the tile, hashes folded)."""
    tile_level, up = divmod(level, HEIGHT)
    start = index << up
    return (tile_level, start >> HEIGHT), start & (WIDTH - 1), 1 << up


def fold(hashes: list[bytes]) -> bytes:
    """The root of a perfect subtree given its bottom row (a power of two of hashes)."""
    while len(hashes) > 1:
        hashes = [hash_children(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
    return hashes[0]


def split(blob: bytes) -> list[bytes]:
    return [blob[i : i + HASH] for i in range(0, len(blob), HASH)]


def node_hash(tile_blob: bytes, offset: int, count: int) -> bytes:
    row = split(tile_blob[offset * HASH : (offset + count) * HASH])
    if len(row) != count:
        raise LookupError("the tile does not hold that node yet")
    return fold(row)


def row_width(size: int, tile_level: int) -> int:
    return (size >> (tile_level * HEIGHT)) & (WIDTH - 1)


def tile_levels(size: int) -> int:
    levels = 0
    while size >> (levels * HEIGHT):
        levels += 1
    return levels


class Builder:
    """Appends leaf hashes to a tree of `size` leaves whose partial rows are `rows`."""

    def __init__(self, size: int = 0, rows: list[list[bytes]] | None = None):
        self.size = size
        self.rows = rows or [[]]

    @classmethod
    def resume(cls, size: int, read_tile) -> Builder:
        """The builder at `size` from stored tiles: read_tile(tile level, tile index) -> blob or None."""
        rows = []
        for t in range(max(1, tile_levels(size))):
            width = row_width(size, t)
            blob = read_tile(t, (size >> (t * HEIGHT)) >> HEIGHT) if width else b""
            row = split((blob or b"")[: width * HASH])
            if len(row) != width:
                raise LookupError(
                    f"tile level {t} holds {len(row)} of the {width} hashes of a tree of {size}"
                )
            rows.append(row)
        return cls(size, rows)

    def add(self, leaf_hash: bytes) -> list[tuple[int, int, bytes]]:
        """Append one leaf; returns the tiles it completed: (tile level, tile index, blob)."""
        done, h, t = [], leaf_hash, 0
        self.size += 1
        while True:
            if t == len(self.rows):
                self.rows.append([])
            self.rows[t].append(h)
            if len(self.rows[t]) < WIDTH:
                return done
            index = ((self.size >> (t * HEIGHT)) >> HEIGHT) - 1
            done.append((t, index, b"".join(self.rows[t])))
            h, self.rows[t], t = fold(self.rows[t]), [], t + 1

    def partial_tiles(self) -> list[tuple[int, int, bytes]]:
        """The rightmost, not yet full tile of each level (what a resume or a proof needs)."""
        return [
            (t, (self.size >> (t * HEIGHT)) >> HEIGHT, b"".join(row))
            for t, row in enumerate(self.rows)
            if row
        ]

    def root(self) -> bytes:
        subtrees = []
        for row in reversed(self.rows):  # higher tile levels cover the leftmost leaves
            subtrees += perfect_subtrees(row)
        return root_of_perfect_subtrees(subtrees)
