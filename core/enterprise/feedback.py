"""Feeding a sold PHCER batch's proceeds back to the citizens whose reductions it holds, by rule.

Invariants:
- Nobody types a coin count: coins = floor(net yuan x share x coins per yuan) with the feedback
  policy (core.enterprise.policy) in force on the sale's trade date.
- The amount and the policy are fixed by the first run, in one transaction with the yuan they
  return (core.books.yuan: proceeds:kept -> proceeds:returned, coins / coins per yuan to the fen);
  every later or concurrent run reads the fixed amount and never re-computes it.
- The coins are shared among the batch's citizens (owners of its projects when the readings were
  taken) pro rata to their grams by largest remainder (core.books.shares): the shares sum to exactly
  the amount. Each share is one ledger entry with the deterministic id phcer#<batch id> whose
  `detail` names the batch_id, posted with the citizen's (user, batch) item's feedback_coins in the
  same transaction, so re-runs, a crash and re-run, or two runs at once credit each citizen once.
- The citizen's inbox item (kind phcer_feedback, notice id phcer#<batch id> in the citizen's own
  partition) is a write of that same transaction: it exists exactly when the share was posted, so
  each citizen gets one per batch whatever the re-runs, crashes or concurrent runs.
- When every share is posted the batch goes sold -> fed_back.
"""

from __future__ import annotations

from collections import defaultdict

from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

import models
from core.books import ledger, yuan
from core.books.shares import largest_remainder
from core.enterprise import policy as policies
from core.enterprise import sale as sales
from core.enterprise.phcer import BatchState, get_batch
from core.logs import log, user_ref
from core.notices import inbox
from models.phcer import PhcerBatch, PhcerCitizenBatch, PhcerLine

KIND = "phcer_feedback"
SOURCE_ACCOUNT = (
    "feedback:phcer"  # the platform account the coins come from (double entry, core.books.legs)
)


def citizen_grams(bid: str) -> dict[str, int]:
    """Grams of the batch per citizen who owned a project when the batch took its readings."""
    grams: dict[str, int] = defaultdict(int)
    for ln in PhcerLine.query(bid, consistent_read=True):
        if ln.owner_user_id:
            grams[ln.owner_user_id] += int(ln.grams)
    return dict(grams)


def _fix_amount(b: PhcerBatch) -> tuple[int, policies.Policy]:
    """The batch's feedback coins and policy: fixed now with the yuan they return, or as fixed before."""
    if b.feedback_coins is None:
        p = policies.in_force(b.sale["trade_date"])
        coins = policies.coins_for(sales.fen(b.sale["net_yuan"]), p)
        back = policies.returned_fen(coins, p)
        money = yuan.make(
            f"phcer_returned#{b.batch_id}",
            {"proceeds:kept": -back, "proceeds:returned": back},
            {"batch_id": b.batch_id, "coins": coins, "policy": p.to_dict()},
        )
        try:
            with TransactWrite(connection=models.connection()) as tx:
                tx.update(
                    PhcerBatch(b.org_id, b.batch_no),
                    actions=[
                        PhcerBatch.feedback_coins.set(coins),
                        PhcerBatch.feedback_policy.set(p.to_dict()),
                    ],
                    condition=PhcerBatch.feedback_coins.does_not_exist(),
                )  # the first run decides
                tx.save(money, condition=yuan.condition())
            return coins, p
        except TransactWriteError:
            b = get_batch(b.batch_id)  # another run fixed it meanwhile: take what it fixed
    return int(b.feedback_coins), policies.Policy(**b.feedback_policy)


def _post_share(
    b: PhcerBatch, user_id: str, coins: int, grams: int, batch_grams: int, total: int
) -> bool:
    """One citizen's share as a ledger credit from the platform's feedback account; False if posted before."""
    bid = b.batch_id
    m = ledger.Movement(
        user_id,
        f"phcer#{bid}",
        coins,
        KIND,
        ref=bid,
        detail={
            "batch_id": bid,
            "grams": grams,
            "batch_grams": batch_grams,
            "batch_coins": total,
            "trade_ref": b.sale["trade_ref"],
            "trade_date": b.sale["trade_date"],
            "from": SOURCE_ACCOUNT,
        },
        totals={"earned_total": coins},
        legs={SOURCE_ACCOUNT: -coins},
        cause=(
            ledger.update(
                PhcerCitizenBatch(user_id, bid),
                [
                    PhcerCitizenBatch.org_id.set(b.org_id),
                    PhcerCitizenBatch.batch_no.set(b.batch_no),
                    PhcerCitizenBatch.feedback_coins.set(coins),
                ],
            ),
            inbox.entry(user_id, KIND, f"phcer#{bid}", inbox.phcer_feedback_text(bid, coins)),
        ),
    )
    return not ledger.post(m).replayed


def feedback(bid: str, by: str) -> dict:
    b = get_batch(bid)
    if b.status not in ("sold", "fed_back"):
        raise BatchState("Feedback is for a sold batch.", zh="只有已售出的批次才能回馈。")
    grams = citizen_grams(bid)
    if not grams:
        raise BatchState(
            "No citizen owns a project in this batch.", zh="该批次没有属于市民的项目。"
        )
    coins, p = _fix_amount(b)
    split = largest_remainder(coins, grams)
    batch_grams = sum(grams.values())
    credited = posted = 0
    for user_id in sorted(split):
        if split[user_id] > 0 and _post_share(
            b, user_id, split[user_id], grams[user_id], batch_grams, coins
        ):
            credited += split[user_id]
            posted += 1
            log(
                "phcer_feedback_credit",
                batch_id=bid,
                user=user_ref(user_id),
                coins=split[user_id],
                by=by,
            )
    try:
        b.update(
            actions=[PhcerBatch.status.set("fed_back"), PhcerBatch.feedback_by.set(by)],
            condition=PhcerBatch.status == "sold",
        )
    except UpdateError:
        pass  # fed back already (a re-run, or a run at the same time finished first)
    log(
        "phcer_feedback",
        batch_id=bid,
        coins=coins,
        citizens=len(split),
        posted_now=posted,
        coins_now=credited,
        by=by,
    )
    return {
        "batch_id": bid,
        "coins": coins,
        "citizens": len(split),
        "posted_now": posted,
        "coins_now": credited,
        "shares": split,
        "policy": p.to_dict(),
        "returned_yuan": sales.yuan(policies.returned_fen(coins, p)),
    }
