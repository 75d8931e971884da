"""The log's storage: tiles, the checkpoint, signed heads, the latest head and the day totals.

Invariants: tiles are put whole and only grow (core.transparency.tiles), so writing a tile again
after a crash writes the same bytes; the checkpoint moves only by a conditional update from the
state it was read in, so two appends racing on one target never both advance it; a head is put
once per (day, tree size). Reads a proof needs: a handful of tiles in one BatchGetItem. While
an erasure holds the log (`hold`, a lease on the checkpoint), no append starts or advances.
"""

from __future__ import annotations

from pynamodb.exceptions import PutError, UpdateError

from core import localday
from core.transparency import tiles
from models.log_heads import LogHead
from models.log_state import LogState
from models.log_tiles import LogTile
from models.log_totals import LogTotals

CHECKPOINT, LATEST = "checkpoint", "latest"
HEAD_FIELDS = ("tree_size", "root_hash", "date", "timestamp", "key_id", "signature")


class Moved(Exception):
    """Another append moved the checkpoint first: this one stops (the other carries on)."""


class Backfilling(Exception):
    """`tanpuhui log backfill` is putting the written items of older entries: an empty log waits
    for it (core.transparency.backfill), or those entries would fall behind its first leaves."""


def backfilling() -> bool:
    try:
        LogState.get("backfill", consistent_read=True)
        return True
    except LogState.DoesNotExist:
        return False


def checkpoint() -> LogState:
    try:
        return LogState.get(CHECKPOINT, consistent_read=True)
    except LogState.DoesNotExist:
        return LogState(CHECKPOINT, tree_size=0, last_key="", cutoff="", target=None)


def advance(cp: LogState, **changes) -> LogState:
    """Update the checkpoint from `cp` as read (Moved if it is not that any more, or if an erasure
    holds the log: `hold`)."""
    actions = [
        getattr(LogState, k).set(v) if v is not None else getattr(LogState, k).remove()
        for k, v in changes.items()
    ]
    condition = _is(LogState.tree_size, int(cp.tree_size)) & _is(LogState.last_key, cp.last_key)
    condition &= _is(LogState.target, cp.target) & _not_held(localday.stamp())
    try:
        LogState(CHECKPOINT).update(actions=actions, condition=condition)
    except UpdateError as e:
        if "ConditionalCheckFailed" in str(e):
            raise Moved() from None
        raise
    return checkpoint()


def _not_held(now: str):
    return LogState.held_until.does_not_exist() | (LogState.held_until < now)


def hold(until: str, holder: str) -> LogState | None:
    """Keep appends off the written items until `until` (an erasure re-keys a legacy account's:
    core.citizens.rekey_log). Only while no append is under way (no target: every entry written
    before the cut-off is in the log, none after it) and nobody else holds it (the same holder
    takes it again: a retry after its crash); None otherwise."""
    try:
        LogState(CHECKPOINT).update(
            actions=[LogState.held_until.set(until), LogState.held_by.set(holder)],
            condition=LogState.target.does_not_exist()
            & (_not_held(localday.stamp()) | (LogState.held_by == holder)),
        )
    except UpdateError as e:
        if "ConditionalCheckFailed" in str(e):
            return None
        raise
    return checkpoint()


def holding(until: str):
    """The condition that the log is still held under `until` (checked in each re-key write)."""
    return LogState.held_until == until


def set_last_key(until: str, old: str, new: str) -> None:
    """While holding: the cursor of the last appended leaf moves to an equivalent key (one naming
    no account: every key of its microsecond is appended when no append is under way)."""
    LogState(CHECKPOINT).update(
        actions=[LogState.last_key.set(new)],
        condition=holding(until) & (LogState.last_key == old),
    )


def release(holder: str, until: str | None = None) -> None:
    """Appends go on: the hold this pass took (`until`), or any hold of this holder (a pass of
    it that crashed before its release)."""
    condition = LogState.held_by == holder
    try:
        LogState(CHECKPOINT).update(
            actions=[LogState.held_until.remove(), LogState.held_by.remove()],
            condition=condition & holding(until) if until else condition,
        )
    except UpdateError as e:
        if "ConditionalCheckFailed" not in str(e):
            raise  # released already, taken again by another pass, or another holder's now


def _is(attribute, value):
    # A checkpoint made by an update holds only what was set: a missing attribute means 0, "" or None.
    if value is None:
        return attribute.does_not_exist()
    return (attribute == value) if value else (attribute.does_not_exist() | (attribute == value))


def read_tile(level: int, index: int) -> LogTile | None:
    try:
        return LogTile.get(level, index, consistent_read=True)
    except LogTile.DoesNotExist:
        return None


def write_tiles(written: list[tuple[int, int, bytes]], first_keys: dict[int, str]) -> None:
    with LogTile.batch_write() as batch:
        for level, index, blob in written:
            key = first_keys.get(index) if level == 0 else None
            batch.save(
                LogTile(level, index, hashes=blob, starts="0" if key else None, first_key=key)
            )


def node_hashes(ids) -> list[bytes]:
    """The hashes of perfect subtrees (level, index), from one BatchGetItem of their tiles."""
    spans = [tiles.tile_span(level, index) for level, index in ids]
    blobs = {(t.level, t.index): t.hashes for t in LogTile.batch_get(sorted({s[0] for s in spans}))}
    return [tiles.node_hash(blobs.get(tile, b""), offset, count) for tile, offset, count in spans]


def tile_holding(key: str) -> int | None:
    """The level-0 tile whose first leaf is the last at or before written key `key`."""
    for t in LogTile.by_first_key.query(
        "0", LogTile.first_key <= key, scan_index_forward=False, limit=1
    ):
        return int(t.index)
    return None


def head_dict(h: LogHead) -> dict:
    return {
        "tree_size": int(h.tree_size),
        "root_hash": h.root_hash,
        "date": h.date,
        "timestamp": h.timestamp,
        "key_id": h.key_id,
        "signature": h.signature,
    }


def put_head(head: dict, cutoff: str) -> dict:
    """Store a signed head (once per day and size: a re-run keeps the first) and make it the latest."""
    try:
        LogHead(
            head["date"],
            head["tree_size"],
            root_hash=head["root_hash"],
            timestamp=head["timestamp"],
            key_id=head["key_id"],
            signature=head["signature"],
            cutoff=cutoff,
        ).save(condition=LogHead.date.does_not_exist())
    except PutError:
        head = head_dict(LogHead.get(head["date"], head["tree_size"], consistent_read=True))
    latest = latest_head()
    if latest is None or latest["tree_size"] <= head["tree_size"]:
        LogState(LATEST, head={**head, "cutoff": cutoff}).save()
    return head


def latest_head(with_cutoff: bool = False) -> dict | None:
    try:
        head = LogState.get(LATEST).head
    except LogState.DoesNotExist:
        return None
    return head if with_cutoff else {k: head[k] for k in HEAD_FIELDS}


def day_heads(date: str, newest_first: bool = True, limit: int | None = 1) -> list[LogHead]:
    return list(LogHead.query(date, scan_index_forward=not newest_first, limit=limit))


def put_totals(segment: int, by_date: dict[str, dict]) -> None:
    with LogTotals.batch_write() as batch:
        for date, totals in by_date.items():
            batch.save(LogTotals(date, segment, totals=totals))


def day_totals(date: str) -> list[dict]:
    return [t.totals for t in LogTotals.query(date)]
