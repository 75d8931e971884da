"""Appending the ledger to the log: what the schedule and `tanpuhui log append` run.

Invariants:
- An append takes every ledger entry written before its cut-off (the clock minus
  LOG_MERGE_DELAY_SECONDS, never before the last cut-off) and after the last leaf, in written
  order, one leaf each, made from the entry as its written item recorded it (core.books.written): exactly once, since the cut-off a run works to is
  recorded first (`target`) and a run after a crash finishes that target before starting another.
- Resumable: every CHECKPOINT_LEAVES leaves the full tiles, the partial tiles and the stretch's
  day totals are written, then the checkpoint moves (conditionally) to that leaf; a run after a
  crash resumes from the checkpoint's tiles and rewrites the same bytes, so it ends with the root
  one clean run would give.
- Streams: memory is the builder's partial rows, a few batches of entries read ahead (on a
  thread, so DynamoDB's round trips overlap the hashing) and the salt cache, whatever the number
  of entries.
- After the target is reached the head is signed and stored, then the checkpoint's cut-off moves.
"""

from __future__ import annotations

import queue
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from core import localday
from core.books import written
from core.transparency import heads, leaves, rfc6962, store, tiles
from core.transparency.salts import Salts

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
        self.first_keys = {
            i: k for i, k in self.first_keys.items() if i >= self.builder.size // tiles.WIDTH
        }
        self.full, self.segment, self.totals = [], self.builder.size, {}


def _leaves(items):
    """Batches of (written key, leaf) from the written items (their copy of the entry, as committed)
    and the salts of their accounts (one BatchGetItem per 100)."""
    salts, it = Salts(), iter(items)
    while batch := list(islice(it, BATCH)):
        accounts = salts.commitments([w.user_id for w in batch])
        yield [(w.key, leaves.leaf_of(written.entry_of(w), accounts[w.user_id])) for w in batch]


@contextmanager
def _prefetched(batches, depth: int = 4):
    """Read ahead on a thread (at most `depth` batches held), so DynamoDB's round trips overlap
    the hashing and writing here; an error there is raised here."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce():
        try:
            for b in batches:
                while not stop.is_set():
                    try:
                        q.put(b, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(None)
        except BaseException as e:  # handed to the consumer
            q.put(e)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()

    def consume():
        while (b := q.get()) is not None:
            if isinstance(b, BaseException):
                raise b
            yield b

    try:
        yield consume()
    finally:
        stop.set()
        thread.join()


def append(now: datetime, merge_delay_s: int, time_left=None) -> Appended:
    """Append what is due at `now`; raises store.Moved if another append moved the checkpoint, and
    store.Backfilling if the log is empty and `tanpuhui log backfill` is running."""
    cp = store.checkpoint()
    if int(cp.tree_size) == 0 and not cp.target and store.backfilling():
        raise store.Backfilling()
    if not cp.target:
        target = max(
            (now - timedelta(seconds=merge_delay_s)).isoformat(timespec="microseconds"), cp.cutoff
        )
        cp = store.advance(cp, target=target)
    run, start = _Run(cp), int(cp.tree_size)
    with _prefetched(_leaves(written.since(cp.last_key, cp.target))) as batches:
        for batch in batches:
            for key, leaf in batch:
                run.add(key, leaf)
                if run.builder.size - run.segment >= CHECKPOINT_LEAVES:
                    run.checkpoint()
                    if time_left is not None and time_left() < LOW_TIME_MS:
                        return Appended(
                            run.builder.size,
                            run.builder.root().hex(),
                            run.builder.size - start,
                            None,
                        )
    run.checkpoint()
    head = store.put_head(
        heads.sign(heads.signer(), run.builder.size, run.builder.root(), localday.now()),
        run.cp.target,
    )
    store.advance(run.cp, cutoff=run.cp.target, target=None)
    return Appended(run.builder.size, head["root_hash"], run.builder.size - start, head)
