"""Sharing a whole number of coins pro rata, losing none. Pure: no I/O.

Largest remainder (Hamilton): each share is floor(N x w / W); the coins left over go one each
to the largest fractional remainders, ties to the smaller key, so the shares sum to exactly N
and the same weights always give the same shares.
"""
from __future__ import annotations


def largest_remainder(total: int, weights: dict[str, int]) -> dict[str, int]:
    if total < 0 or any(w < 0 for w in weights.values()):
        raise ValueError("coins and weights must not be negative")
    whole = sum(weights.values())
    if whole == 0:
        return {k: 0 for k in weights}
    shares = {k: total * w // whole for k, w in weights.items()}
    # Remainders compared exactly as integers (total x w mod whole), never as floats.
    order = sorted(weights, key=lambda k: (-(total * weights[k] % whole), k))
    for k in order[:total - sum(shares.values())]:
        shares[k] += 1
    return shares
