"""The PHCER feedback policy: which share of a sale's net proceeds goes back to citizens, and how
many coins a yuan is worth. Versioned and published like the coin rate.

Invariants:
- A version is put once (attribute_not_exists on its effective date) and never changed; it needs
  a source, 0 < share <= 1, coins per yuan > 0, and an effective date after today (Asia/Shanghai),
  so a sale already made is never re-priced (never retroactive).
- Until a version is published the policy in force is DEFAULT (share 0.5, 10 coins a yuan).
- The coins of a sale: floor(net fen x share x coins per yuan / 100), exact in Decimal, never a float;
  the yuan they return: coins / coins per yuan, to the fen (half up).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from pynamodb.exceptions import PutError

from core import localday
from core.errors import Conflict, Unprocessable
from core.logs import log
from models.feedback_policies import FeedbackPolicy

NAME = "feedback"


@dataclass(frozen=True)
class Policy:
    share: str
    coins_per_yuan: str
    effective_from: str
    source: str

    def to_dict(self) -> dict:
        return asdict(self)


DEFAULT = Policy(
    "0.5",
    "10",
    "0001-01-01",
    "默认回馈政策（未发布任何版本前）/ the default until a version is published",
)


class PolicyRefused(Unprocessable):
    code, message, message_zh = (
        "policy_refused",
        "This feedback policy cannot be published.",
        "该回馈政策不能发布。",
    )


class PolicyExists(Conflict):
    code = "policy_exists"
    message = "A feedback policy taking effect on that date is published already."
    message_zh = "该生效日期的回馈政策已发布。"


def coins_for(net_fen: int, p: Policy) -> int:
    return int(
        (Decimal(net_fen) * Decimal(p.share) * Decimal(p.coins_per_yuan) / 100).to_integral_value(
            ROUND_FLOOR
        )
    )


def returned_fen(coins: int, p: Policy) -> int:
    """What `coins` are worth in fen at the policy's coin value."""
    return int((Decimal(coins) * 100 / Decimal(p.coins_per_yuan)).to_integral_value(ROUND_HALF_UP))


def problems(
    share: str, coins_per_yuan: str, source: str, effective_from: str, today: str
) -> list[str]:
    out = []
    try:
        if not Decimal(0) < Decimal(share) <= Decimal(1):
            out.append("share must be > 0 and <= 1 / 份额须大于 0 且不超过 1")
    except InvalidOperation:
        out.append("share must be a decimal / 份额须为小数")
    try:
        if not Decimal(coins_per_yuan) > 0 or not Decimal(coins_per_yuan).is_finite():
            out.append("coins per yuan must be > 0 / 每元碳币数须大于 0")
    except InvalidOperation:
        out.append("coins per yuan must be a decimal / 每元碳币数须为数字")
    if not (source or "").strip():
        out.append("a source is required / 须注明依据")
    try:
        localday.parse_date(effective_from)
        if effective_from <= today:
            out.append("the effective date must be after today / 生效日期须晚于今天")
    except localday.InvalidDate:
        out.append("the effective date is YYYY-MM-DD / 生效日期格式为 YYYY-MM-DD")
    return out


def versions() -> list[Policy]:
    return [
        Policy(v.share, v.coins_per_yuan, v.effective_from, v.source)
        for v in FeedbackPolicy.query(NAME, consistent_read=True)
    ]


def in_force(day: str) -> Policy:
    """The latest version effective on or before `day`, else DEFAULT."""
    found = [p for p in versions() if p.effective_from <= day]
    return found[-1] if found else DEFAULT  # the query returns them by effective date


def publish(share: str, coins_per_yuan: str, source: str, effective_from: str, by: str) -> Policy:
    wrong = problems(share, coins_per_yuan, source, effective_from, localday.today())
    if not (by or "").strip():
        wrong.append("who publishes it is required / 须注明发布人")
    if wrong:
        raise PolicyRefused("; ".join(wrong), zh="该回馈政策不能发布：" + "；".join(wrong))
    p = Policy(str(Decimal(share)), str(Decimal(coins_per_yuan)), effective_from, source.strip())
    try:
        FeedbackPolicy(
            NAME,
            effective_from,
            share=p.share,
            coins_per_yuan=p.coins_per_yuan,
            source=p.source,
            published_at=localday.stamp(),
            published_by=by,
        ).save(
            condition=FeedbackPolicy.effective_from.does_not_exist()
        )  # published once, never changed
    except PutError:
        raise PolicyExists() from None
    log(
        "feedback_policy_published",
        effective_from=effective_from,
        share=p.share,
        coins_per_yuan=p.coins_per_yuan,
        by=by,
    )
    return p
