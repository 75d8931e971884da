"""Feeding a sold PHCER batch's proceeds back to the citizens whose reductions it holds.

Invariants:
- The coin amount of a batch's feedback is fixed by its first run (conditional write); a run
  with another amount is refused, a run with the same amount posts only what is missing.
- The N coins are shared among the batch's citizens (owners of its projects) pro rata to their
  grams by largest remainder (core.books.shares): the shares sum to exactly N.
- Each citizen's share is one ledger entry with the deterministic id phcer#<batch id>, so a
  re-run, a crash and re-run, or two runs at once credit each citizen exactly once.
"""
from __future__ import annotations

from collections import defaultdict

from pynamodb.exceptions import UpdateError

from core.books import ledger
from core.enterprise.phcer import BatchState, get_batch
from core.books.shares import largest_remainder
from core.errors import Unprocessable
from core.logs import log, user_ref
from models.phcer import PhcerBatch, PhcerLine

KIND = "phcer_feedback"
SOURCE_ACCOUNT = "feedback:phcer"  # the platform account the coins come from (double entry, core.books.legs)


def citizen_grams(bid: str) -> dict[str, int]:
    """Grams of the batch per citizen who owned a project when the batch took its readings."""
    grams: dict[str, int] = defaultdict(int)
    for ln in PhcerLine.query(bid, consistent_read=True):
        if ln.owner_user_id:
            grams[ln.owner_user_id] += int(ln.grams)
    return dict(grams)


def _fix_amount(b: PhcerBatch, coins: int, by: str) -> None:
    try:
        # The first run decides the amount: a second run with another N must not re-share.
        b.update(actions=[PhcerBatch.feedback_coins.set(coins), PhcerBatch.feedback_by.set(by)],
                 condition=PhcerBatch.feedback_coins.does_not_exist() | (PhcerBatch.feedback_coins == coins))
    except UpdateError:
        fixed = int(get_batch(b.batch_id).feedback_coins)
        raise BatchState(f"Feedback for this batch was fixed at {fixed} coins.",
                         zh=f"该批次的回馈已确定为 {fixed} 碳币。") from None


def _post_share(bid: str, user_id: str, coins: int, grams: int, batch_grams: int, total: int, by: str) -> bool:
    """One citizen's share as a ledger credit from the platform's feedback account; False if posted before."""
    m = ledger.Movement(user_id, f"phcer#{bid}", coins, KIND, ref=bid,
                        detail={"batch_id": bid, "grams": grams, "batch_grams": batch_grams, "batch_coins": total,
                                "from": SOURCE_ACCOUNT, "by": by},
                        totals={"earned_total": coins}, legs={SOURCE_ACCOUNT: -coins})
    return not ledger.post(m).replayed


def feedback(bid: str, coins: int, by: str) -> dict:
    if coins <= 0:
        raise Unprocessable("Coins must be a positive whole number.", zh="碳币数须为正整数。")
    b = get_batch(bid)
    if b.status != "sold":
        raise BatchState("Feedback is for a sold batch.", zh="只有已售出的批次才能回馈。")
    grams = citizen_grams(bid)
    if not grams:
        raise BatchState("No citizen owns a project in this batch.", zh="该批次没有属于市民的项目。")
    _fix_amount(b, coins, by)
    split = largest_remainder(coins, grams)
    batch_grams = sum(grams.values())
    credited = posted = 0
    for user_id in sorted(split):
        if split[user_id] > 0 and _post_share(bid, user_id, split[user_id], grams[user_id], batch_grams, coins, by):
            credited += split[user_id]
            posted += 1
            log("phcer_feedback_credit", batch_id=bid, user=user_ref(user_id), coins=split[user_id], by=by)
    log("phcer_feedback", batch_id=bid, coins=coins, citizens=len(split), posted_now=posted,
        coins_now=credited, by=by)
    return {"batch_id": bid, "coins": coins, "citizens": len(split), "posted_now": posted, "coins_now": credited,
            "shares": split}
