"""Filling the user item's `card_hashes` from card_history (`tanpuhui cards backfill`).

Cards bound before the user item kept the hash of every card it bound are in no `card_hashes`:
without this, a citizen's export leaves out the periods of cards they unbound before (it reads
card_history by those hashes, core.carbon.cards.bindings_of), and a legacy account's erasure
(core.citizens.rekey) would leave those periods under the legacy id.

Invariants:
- Adds only: each period's card hash is ADDed to its user's set (a set: a re-run or a bind
  meanwhile adds nothing twice) on condition the user item exists (an erased account's periods
  name an id no user item has any more: nothing is recreated for it).
- A Scan of card_history in segments on threads: an ops command on deploy day, never a request path.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from pynamodb.exceptions import UpdateError

from models import User
from models.cards import CardHistory

COUNTS = ("cards", "periods", "users_updated", "users_gone")


def _add(user_id: str, hashes: set[str]) -> bool:
    try:
        User(user_id).update(
            actions=[User.card_hashes.add(hashes)], condition=User.user_id.exists()
        )
        return True
    except UpdateError as e:
        if e.cause_response_code != "ConditionalCheckFailedException":
            raise
        return False  # erased: the periods stay, nobody's


def _segment(segment: int, total: int) -> dict:
    counts = dict.fromkeys(COUNTS, 0)
    for h in CardHistory.scan(segment=segment, total_segments=total, consistent_read=True):
        counts["cards"] += 1
        users = {p.user_id for p in h.periods}
        counts["periods"] += len(h.periods)
        for user_id in sorted(users):
            counts["users_updated" if _add(user_id, {h.card_hash}) else "users_gone"] += 1
    return counts


def backfill(segments: int = 4, progress=None) -> dict:
    """Add every card's hash to each of its holders' `card_hashes`; returns the COUNTS
    (users_updated / users_gone count user-card pairs)."""
    totals = dict.fromkeys(COUNTS, 0)
    with ThreadPoolExecutor(max_workers=segments) as pool:
        for counts in pool.map(lambda s: _segment(s, segments), range(segments)):
            for k in COUNTS:
                totals[k] += counts[k]
            if progress is not None:
                progress(1)
    return totals
