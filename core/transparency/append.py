"""Appending the ledger to the log: what the schedule and `tanpuhui log append` run.

Invariants:
- An append takes every ledger entry written before its cut-off (the clock minus
  LOG_MERGE_DELAY_SECONDS, never before the last cut-off) and after the last leaf, in written
  order (core.books.written), one leaf each: exactly once, since the cut-off a run works to is
  recorded first (`target`) and a run after a crash finishes that target before starting another.
- Resumable: every CHECKPOINT_LEAVES leaves the full tiles, the partial tiles and the stretch's
  day totals are written, then the checkpoint moves (conditionally) to that leaf; a run after a
  crash resumes from the checkpoint's tiles and rewrites the same bytes, so it ends with the root
  one clean run would give.
- Streams: memory is the builder's partial rows, one batch of entries and the salt cache,
  whatever the number of entries.
- After the target is reached the head is signed and stored, then the checkpoint's cut-off moves.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from core import localday
from core.books import written
from core.transparency import heads, leaves, rfc6962, store, tiles
from core.transparency.salts import Salts
from models import LedgerEntry

CHECKPOINT_LEAVES = 4096
BATCH = 100  # BatchGetItem's most keys
LOW_TIME_MS = 60_000  # stop at a checkpoint when the Lambda has less than this left


@dataclass(frozen=True)
class Appended:
    tree_size: int
    root_hash: str
    appended: int
    head: dict | None  # None: stopped at a checkpoint (time ran low); the next run goes on


class _Run:
    def __init__(self, cp):
        self.cp = cp
        self.first_keys: dict[int, str] = {}
        self.builder = tiles.Builder.resume(int(cp.tree_size), self._read_tile)
        self.full: list = []
        self.segment, self.totals = int(cp.tree_size), {}
        self.last_key = cp.last_key

    def _read_tile(self, level, index):
        tile = store.read_tile(level, index)
        if tile is not None and level == 0 and tile.first_key:
            self.first_keys[index] = tile.first_key
        return tile.hashes if tile is not None else None

    def add(self, key: str, leaf: dict) -> None:
        if self.builder.size % tiles.WIDTH == 0:
            self.first_keys[self.builder.size // tiles.WIDTH] = key
        self.full += self.builder.add(rfc6962.hash_leaf(leaves.canonical(leaf)))
        leaves.add_to_totals(self.totals.setdefault(leaf["date"], {}), leaf)
        self.last_key = key

    def checkpoint(self) -> None:
        if self.builder.size == int(self.cp.tree_size):
            return
        store.write_tiles(self.full + self.builder.partial_tiles(), self.first_keys)
        store.put_totals(self.segment, self.totals)
        self.cp = store.advance(self.cp, tree_size=self.builder.size, last_key=self.last_key)
        self.first_keys = {i: k for i, k in self.first_keys.items() if i >= self.builder.size // tiles.WIDTH}
        self.full, self.segment, self.totals = [], self.builder.size, {}


def _batches(items, n):
    it = iter(items)
    while chunk := list(islice(it, n)):
        yield chunk


def append(now: datetime, merge_delay_s: int, time_left=None) -> Appended:
    """Append what is due at `now`; raises store.Moved if another append moved the checkpoint."""
    cp = store.checkpoint()
    if not cp.target:
        target = max((now - timedelta(seconds=merge_delay_s)).isoformat(timespec="microseconds"), cp.cutoff)
        cp = store.advance(cp, target=target)
    run, salts, start = _Run(cp), Salts(), int(cp.tree_size)
    for batch in _batches(written.since(cp.last_key, cp.target), BATCH):
        entries = {(e.user_id, e.entry_id): e for e in
                   LedgerEntry.batch_get([(w.user_id, w.entry_id) for w in batch], consistent_read=True)}
        accounts = salts.commitments([w.user_id for w in batch])
        for w in batch:
            run.add(w.key, leaves.leaf_of(entries[(w.user_id, w.entry_id)], accounts[w.user_id]))
            if run.builder.size - run.segment >= CHECKPOINT_LEAVES:
                run.checkpoint()
                if time_left is not None and time_left() < LOW_TIME_MS:
                    return Appended(run.builder.size, run.builder.root().hex(), run.builder.size - start, None)
    run.checkpoint()
    head = store.put_head(heads.sign(heads.signer(), run.builder.size, run.builder.root(), localday.now()),
                          run.cp.target)
    store.advance(run.cp, cutoff=run.cp.target, target=None)
    return Appended(run.builder.size, head["root_hash"], run.builder.size - start, head)
