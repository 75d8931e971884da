"""`tanpuhui log verify`: rebuild a day of the log from the ledger and compare it with the signed
heads. Read-only (it never makes a salt or writes a tile).

Invariants: the day's leaves are exactly the entries written between the previous head's
cut-off and the day's last head's cut-off (core.books.written), rebuilt with the same leaf code
as the append; the tree before them is resumed from the stored tiles and must have the previous
head's root; the rebuilt tree must have the day head's size and root. A leaf that differs from
the stored one is reported with its index and entry id. An account erased since its entry was
logged has no salt: that leaf cannot be recomputed, so the stored hash is taken and counted
(`unverifiable`), never silently passed as checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    stored, items = _Stored(), written.since(previous_cutoff, cutoff)
    while batch := [w for _, w in zip(range(100), items)]:
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
        for w in batch:
            index, salt, entry = (
                builder.size,
                salts.get(w.user_id),
                entries.get((w.user_id, w.entry_id)),
            )
            have = stored.at(index)
            if entry is None:  # its written item is there, the entry is not: the ledger lost it
                audit.problems.append(
                    f"leaf {index} (entry {w.entry_id}) is missing from the ledger"
                )
                builder.add(have or b"\0" * 32)
                continue
            leaf_hash = rfc6962.hash_leaf(
                leaves.canonical(
                    leaves.leaf_of(entry, leaves.commitment(salt.salt if salt else None, w.user_id))
                )
            )
            if salt is not None and salt.salt is None and have is not None and have != leaf_hash:
                audit.unverifiable += 1  # erased after it was logged: its salt is gone
                leaf_hash = have
            elif have != leaf_hash:
                audit.problems.append(f"leaf {index} (entry {w.entry_id}) differs from the ledger")
            builder.add(leaf_hash)
    audit.rebuilt_size, audit.rebuilt_root = builder.size, builder.root().hex()
    if audit.rebuilt_size != audit.head["tree_size"]:
        audit.problems.append(
            f"the ledger gives {audit.rebuilt_size} leaves, the head says {audit.head['tree_size']}"
        )
    elif audit.rebuilt_root != audit.head["root_hash"]:
        audit.problems.append("the rebuilt root differs from the signed head's root")
    return audit
