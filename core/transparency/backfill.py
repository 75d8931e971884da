"""Putting the log's written items of ledger entries that predate the log (`tanpuhui log backfill`).

A ledger that existed before the transparency log has entries with no `ledger_written` item
(core.books.written), and an append lists only those: without this the log would leave out
every coin issued before it was deployed, and its day totals would disagree with the books.

Invariants:
- Only into an empty log: an append takes the written items after its last leaf, so an item put
  behind a leaf is never logged. `begin` puts the `backfill` marker on log_state in one
  transaction with a check that the checkpoint holds no leaf and no cut-off being appended to;
  while the marker is there an append does not start a log (core.transparency.append). `finish`
  removes the marker with the same check; if it fails (an append raced past the marker) the run
  reports it instead of claiming a complete log.
- Idempotent: an entry's item is the one post_once writes (written.item: a function of the entry),
  so a re-run, or an entry live traffic writes meanwhile, puts the same bytes.
- A Scan of the ledger, in segments on threads: an ops command on deploy day, never a request path.
  Memory is one page per segment and one batch of writes.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core.books import written
from core.transparency import store
from models.ledger import LedgerEntry
from models.ledger_written import LedgerWritten
from models.log_state import LogState

MARKER = "backfill"


class LogNotEmpty(Exception):
    """The log already holds leaves (or an append is under way): nothing can go behind them."""


def _empty_log():
    cp = LogState.name
    no_leaves = LogState.tree_size.does_not_exist() | (LogState.tree_size == 0)
    return cp.does_not_exist() | (no_leaves & LogState.target.does_not_exist())


def begin(started_at: str) -> None:
    try:
        with TransactWrite(connection=models.connection()) as tx:
            tx.condition_check(LogState, store.CHECKPOINT, condition=_empty_log())
            tx.save(LogState(MARKER, cutoff=started_at))
    except TransactWriteError as e:
        if e.cause_response_code != "TransactionCanceledException":
            raise
        raise LogNotEmpty() from None


def finish() -> None:
    try:
        with TransactWrite(connection=models.connection()) as tx:
            tx.condition_check(LogState, store.CHECKPOINT, condition=_empty_log())
            tx.delete(LogState(MARKER))
    except TransactWriteError as e:
        if e.cause_response_code != "TransactionCanceledException":
            raise
        raise LogNotEmpty() from None


def _segment(segment: int, total: int) -> int:
    count = 0
    with LedgerWritten.batch_write() as batch:
        for entry in LedgerEntry.scan(segment=segment, total_segments=total, consistent_read=True):
            batch.save(written.item(entry))
            count += 1
    return count


def backfill(started_at: str, segments: int = 4, progress=None) -> int:
    """Put the written item of every ledger entry; returns the number of entries. LogNotEmpty if
    the log has leaves (before anything is written, or at the end if an append raced)."""
    begin(started_at)
    with ThreadPoolExecutor(max_workers=segments) as pool:
        counts = []
        for n in pool.map(lambda s: _segment(s, segments), range(segments)):
            counts.append(n)
            if progress is not None:
                progress(1)
    finish()
    return sum(counts)
