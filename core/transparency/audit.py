"""`tanpuhui log verify`: rebuild a day of the log from the ledger and compare it with the signed
heads. Read-only (it never makes a salt or writes a tile).

Invariants: the day's leaves are exactly the entries written between the previous head's
cut-off and the day's last head's cut-off (core.books.written), rebuilt with the same leaf code
as the append; the tree before them is resumed from the stored tiles and must have the previous
head's root; the rebuilt tree must have the day head's size and root. A leaf that differs from
the stored one is reported with its index and entry id. An account erased since its entry was
logged has no salt: that leaf cannot be recomputed, so the stored hash is taken and counted
(`unverifiable`), never silently passed as checked. The entries of one microsecond are compared
with their places' stored leaves as a set (their keys order them by account id, which a legacy
account's erasure changes: core.citizens.rekey_log); each must still match a stored leaf.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from core import localday
from core.books import written
from core.transparency import leaves, rfc6962, store, tiles
from models import LedgerEntry
from models.log_salts import LogSalt

LOOK_BACK_DAYS = 400


@dataclass
class Audit:
    date: str
    head: dict | None = None
    previous: dict | None = None
    rebuilt_size: int = 0
    rebuilt_root: str = ""
    unverifiable: int = 0
    problems: list[str] = field(default_factory=list)


def _previous(date: str) -> tuple[dict, str]:
    day = date
    for _ in range(LOOK_BACK_DAYS):
        day = localday.add_days(day, -1)
        found = store.day_heads(day)
        if found:
            return store.head_dict(found[0]), found[0].cutoff
    return {"tree_size": 0, "root_hash": rfc6962.empty_root().hex()}, ""


class _Stored:
    """The stored leaf hashes, one level-0 tile at a time."""

    def __init__(self):
        self.index, self.row = None, []

    def at(self, i: int) -> bytes | None:
        if self.index != i // tiles.WIDTH:
            self.index = i // tiles.WIDTH
            tile = store.read_tile(0, self.index)
            self.row = tiles.split(tile.hashes) if tile is not None else []
        offset = i % tiles.WIDTH
        return self.row[offset] if offset < len(self.row) else None


def _batches(items, size: int = 100):
    """Batches of about `size` written items; the items of one microsecond stay in one batch."""
    batch: list = []
    for w in items:
        if len(batch) >= size and w.key[:32] != batch[-1].key[:32]:
            yield batch
            batch = []
        batch.append(w)
    if batch:
        yield batch


def _rebuilt(w, entries: dict, salts: dict) -> tuple:
    """(written item, its leaf's hash from the ledger or None if the entry is gone, erased?)."""
    entry, salt = entries.get((w.user_id, w.entry_id)), salts.get(w.user_id)
    if entry is None:
        return w, None, False
    commitment = leaves.commitment(salt.salt if salt else None, w.user_id)
    leaf_hash = rfc6962.hash_leaf(leaves.canonical(leaves.leaf_of(entry, commitment)))
    return w, leaf_hash, salt is not None and salt.salt is None


def _one(audit: Audit, builder, stored: _Stored, w, leaf_hash: bytes | None, erased: bool) -> None:
    index = builder.size
    have = stored.at(index)
    if leaf_hash is None:  # its written item is there, the entry is not: the ledger lost it
        audit.problems.append(f"leaf {index} (entry {w.entry_id}) is missing from the ledger")
        builder.add(have or b"\0" * 32)
        return
    if erased and have is not None and have != leaf_hash:
        audit.unverifiable += 1  # erased after it was logged: its salt is gone
        leaf_hash = have
    elif have != leaf_hash:
        audit.problems.append(f"leaf {index} (entry {w.entry_id}) differs from the ledger")
    builder.add(leaf_hash)


def _as_a_set(audit: Audit, builder, stored: _Stored, rebuilt: list) -> bool:
    """Entries of one microsecond (of several accounts) against the stored leaves of their places,
    in any order: their written keys order them by account id, and a legacy account's erasure gives
    its entries a new random id (core.citizens.rekey_log). True when each verifiable one's leaf is
    among them and the erased ones take the rest; False leaves them to be checked one by one."""
    have = [stored.at(builder.size + i) for i in range(len(rebuilt))]
    left = list(have)
    if None in left or any(h is None for _, h, _ in rebuilt):
        return False
    unmatched = 0
    for _, leaf_hash, erased in rebuilt:
        if leaf_hash in left:
            left.remove(leaf_hash)
        elif erased:
            unmatched += 1
        else:
            return False
    if unmatched != len(left):
        return False
    for h in have:
        builder.add(h)
    audit.unverifiable += unmatched
    return True


def rebuild(date: str) -> Audit:
    audit = Audit(date)
    found = store.day_heads(date)
    if not found:
        audit.problems.append(f"no signed head on {date}")
        return audit
    audit.head, cutoff = store.head_dict(found[0]), found[0].cutoff
    audit.previous, previous_cutoff = _previous(date)
    builder = tiles.Builder.resume(
        audit.previous["tree_size"], lambda t, j: getattr(store.read_tile(t, j), "hashes", None)
    )
    if builder.root().hex() != audit.previous["root_hash"]:
        audit.problems.append("the stored tree does not have the previous head's root")
    stored = _Stored()
    for batch in _batches(written.since(previous_cutoff, cutoff)):
        entries = {
            (e.user_id, e.entry_id): e
            for e in LedgerEntry.batch_get(
                [(w.user_id, w.entry_id) for w in batch], consistent_read=True
            )
        }
        salts = {
            s.user_id: s
            for s in LogSalt.batch_get(sorted({w.user_id for w in batch}), consistent_read=True)
        }
        for _, same in groupby(batch, key=lambda w: w.key[:32]):
            rebuilt = [_rebuilt(w, entries, salts) for w in same]
            if len(rebuilt) == 1 or not _as_a_set(audit, builder, stored, rebuilt):
                for w, leaf_hash, erased in rebuilt:
                    _one(audit, builder, stored, w, leaf_hash, erased)
    audit.rebuilt_size, audit.rebuilt_root = builder.size, builder.root().hex()
    if audit.rebuilt_size != audit.head["tree_size"]:
        audit.problems.append(
            f"the ledger gives {audit.rebuilt_size} leaves, the head says {audit.head['tree_size']}"
        )
    elif audit.rebuilt_root != audit.head["root_hash"]:
        audit.problems.append("the rebuilt root differs from the signed head's root")
    return audit
