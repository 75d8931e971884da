"""Splitting a whole number of coins by weights, losing none: the one splitter of the books. Pure: no I/O.

Invariants:
- The parts sum to exactly the total, for any non-negative weights, zeros included.
- Each part is within one coin of its exact share (total x w / W).
- Largest remainder (Hamilton): each part is floor(total x w / W); the coins left over go one each
  to the largest fractional remainders (compared exactly as integers), ties to the smaller key, so
  the same weights always give the same parts.
- Weights that sum to zero (every weight 0) say nothing about who should have the coins: the
  total is split equally, as if every weight were 1. Giving it all to one key, or to none, would
  either favour a key for no reason or lose the coins; an equal split is the only rule that
  treats the keys alike and keeps the sum.
- No keys at all and a total to give: nothing can hold it, so it is an error, never a silent loss.
"""

from __future__ import annotations


def largest_remainder(total: int, weights: dict[str, int]) -> dict[str, int]:
    if total < 0 or any(w < 0 for w in weights.values()):
        raise ValueError("coins and weights must not be negative")
    if not weights:
        if total:
            raise ValueError(f"{total} coins to split over no keys")
        return {}
    whole = sum(weights.values())
    if whole == 0:
        weights, whole = dict.fromkeys(weights, 1), len(weights)
    shares = {k: total * w // whole for k, w in weights.items()}
    # Remainders compared exactly as integers (total x w mod whole), never as floats.
    order = sorted(weights, key=lambda k: (-(total * weights[k] % whole), k))
    for k in order[: total - sum(shares.values())]:
        shares[k] += 1
    return shares
