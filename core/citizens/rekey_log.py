"""Re-keying an erased legacy account's ledger: its entries, their written items (the transparency
log's order, core.books.written) and its log salt, from the legacy id to the new random one.

Invariants:
- Each entry moves with its written item in ONE transaction: the copy under the new id is put
  with attribute_not_exists, the old one deleted with attribute_exists. At every moment each entry
  exists exactly once with exactly one written item, so a crash anywhere loses and duplicates no
  coin and no leaf; a retry moves what is left (a Query of the legacy id).
- The leaves do not change, so the public tiles, heads and every proof stay valid: a leaf holds no
  user id (core.transparency.leaves) and the account's commitment is "erased" since its salt went.
  The new id's LogSalt (salt gone, `erased_at` kept) is put before any written item names it, and
  the legacy one is deleted only when no entry is left under it: appends and `log verify` always
  see the account as erased, never make it a salt.
- A written key keeps its created_at and entry id; only the account part changes, so the entry
  stays at its place in the written order (except against another account's entry of the very same
  microsecond, whose relative order the random ids decide: README "Transparency log").
- Appends are held off while written items move (core.transparency.store.hold, a lease checked in
  every move's transaction): an append reading the shards while an item moved between two of them
  could read it twice or not at all. Held only when no append is under way, so every entry before
  the last cut-off is in the log and none after; the cursor of the last leaf is set to the end of
  its microsecond (naming no account), and a level-0 tile whose first leaf moves gets the new key
  in the move's transaction. The holder is the new id, so a retry takes the hold of a pass that
  crashed at once; each pass checks and releases only its own `until`, so of two passes at once
  (DELETE sent twice) the later one's hold stands, the earlier one's moves are refused (503 for
  it) and its release leaves the other's hold alone.
"""

from __future__ import annotations

import time
from datetime import timedelta

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core import localday
from core.books import written
from core.transparency import store
from models import LedgerEntry
from models.ledger_written import LedgerWritten
from models.log_salts import LogSalt
from models.log_state import LogState
from models.log_tiles import LogTile

LEASE_S = 90  # how long one hold keeps appends off (a crashed holder blocks them this long at most)
MARGIN_S = 30  # no move starts with less than this left of the lease
HOLD_WAIT_S = 5  # an append under way usually ends within this: wait for it, then give up (503)
PER_TX = 19  # entries per transaction: 4 writes each, a tile update each at most, the hold check


def move(legacy: str, new: str, deadline: float) -> bool:
    """Move every entry of `legacy` to `new` (before time.monotonic() `deadline`); True when none is
    left under `legacy` and its salt has moved, False when the log could not be held or time ran out
    (nothing half-moved: a retry goes on)."""
    _salt_first(legacy, new)
    entries = list(LedgerEntry.query(legacy, consistent_read=True))
    if entries:
        until = _hold(new, deadline)
        if until is None:
            return False
        try:
            cp = store.checkpoint()
            if cp.last_key and not cp.last_key.endswith("#~"):
                store.set_last_key(until, cp.last_key, cp.last_key[:32] + "#~")
            stop = min(deadline, time.monotonic() + LEASE_S - MARGIN_S)
            for i in range(0, len(entries), PER_TX):
                if time.monotonic() > stop:
                    return False
                _move_some(entries[i : i + PER_TX], new, until, cp.cutoff)
        finally:
            store.release(new, until)  # not a hold another pass of this erasure took meanwhile
        if LedgerEntry.count(legacy, consistent_read=True):
            return False  # one was posted meanwhile (an order's expiry): the next pass moves it
    elif store.checkpoint().held_by == new:  # a pass that crashed before its release
        store.release(new)
    LogSalt(legacy).delete()
    return True


def _salt_first(legacy: str, new: str) -> None:
    """The new id is erased in the log's eyes before any written item names it."""
    try:
        erased_at = LogSalt.get(legacy, consistent_read=True).erased_at
    except LogSalt.DoesNotExist:
        erased_at = None
    LogSalt(new, erased_at=erased_at or localday.stamp()).save()


def _hold(holder: str, deadline: float) -> str | None:
    give_up = min(deadline, time.monotonic() + HOLD_WAIT_S)
    while True:
        until = (localday.now() + timedelta(seconds=LEASE_S)).isoformat()
        if store.hold(until, holder) is not None:
            return until
        if time.monotonic() > give_up:
            return None
        time.sleep(0.5)


def _move_some(entries: list, new: str, until: str, cutoff: str) -> None:
    olds = {
        (w.bucket, w.key): w
        for w in LedgerWritten.batch_get([_written_key(e) for e in entries], consistent_read=True)
    }
    try:
        with TransactWrite(connection=models.connection()) as tx:
            tx.condition_check(LogState, store.CHECKPOINT, condition=store.holding(until))
            for e in entries:
                _move_one(tx, e, olds.get(_written_key(e)), new, cutoff)
    except TransactWriteError as e:
        if e.cause_response_code != "TransactionCanceledException":
            raise
        # One of them moved meanwhile (a racing retry), or the hold ran out: the caller's Query at
        # the end (or the next pass) sees what is left; nothing of this transaction was written.


def _move_one(tx, e, old_written, new: str, cutoff: str) -> None:
    copy = LedgerEntry.from_raw_data({**e.serialize(), "user_id": {"S": new}})
    tx.save(copy, condition=LedgerEntry.user_id.does_not_exist())
    tx.delete(e, condition=LedgerEntry.user_id.exists())
    if old_written is None:  # no leaf ever (an entry from before the written order): none made now
        return
    moved = written.item(copy)
    moved.entry = old_written.entry  # what the leaf was made of, as committed
    tx.save(moved, condition=LedgerWritten.key.does_not_exist())
    tx.delete(old_written, condition=LedgerWritten.key.exists())
    if e.created_at < cutoff:  # in the log: its tile may start with it
        for t in LogTile.by_first_key.query("0", LogTile.first_key == old_written.key):
            tx.update(
                LogTile(t.level, t.index),
                actions=[LogTile.first_key.set(moved.key)],
                condition=LogTile.first_key == old_written.key,
            )


def _written_key(e) -> tuple[str, str]:
    return written.bucket_of(e.created_at, e.user_id), written.key_of(
        e.created_at, e.user_id, e.entry_id
    )
