"""Redemption at the counter, and each merchant's record of what it redeemed.

Invariants:
- A code is redeemed at most once: the code and its order move issued -> redeemed in one
  transaction conditioned on status = issued, the merchant matching and expiry in the future.
- An Idempotency-Key's record (core.idempotency, the staff key's key space) commits in that same
  transaction, naming the code's hash: a retry whose answer was lost is answered from the code
  (`answer_of`), 200 with the same body, never 409 code_redeemed.
- Without a key too, a redemption whose transaction committed but whose answer was lost (the SDK
  retries it and the retry finds the code redeemed) answers 200: the code carries the attempt's
  random token (`redeemed_attempt`), so only the attempt that redeemed it is answered so; any
  other scan of a redeemed code is 409 code_redeemed.
- Only an authenticated staff key redeems (core.mall.merchants).
- A key that keeps presenting unknown (or other merchants') codes is stopped (429) before codes
  can be guessed; re-scanning a redeemed or expired coupon does not count:
  failures are counted per key in DynamoDB windows (core.ratelimit), shared by all containers,
  and the redeeming transaction checks the window, so a blocked key redeems nothing.
"""

from __future__ import annotations

import logging
import secrets

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core import idempotency, localday, ratelimit
from core.errors import ApiError, Conflict, Forbidden, NotFound, RateLimited
from core.localday import stamp as _now  # UTC storage time, one home
from core.logs import log
from core.mall import codes
from core.metrics import metric
from models.orders import MerchantKey, Order, RedemptionCode
from models.rate_limits import RateWindow

FAILURES_PER_WINDOW, WINDOW_S = 10, 600


class CodeUnknown(NotFound):
    code = "code_unknown"
    message = "This code does not exist. Check it and try again."
    message_zh = "券码不存在，请核对后重试。"


class CodeRedeemed(Conflict):
    code = "code_redeemed"
    message = "This voucher was already redeemed and cannot be used again."
    message_zh = "该券已核销，不能重复使用。"


class CodeExpired(ApiError):
    code, http_status = "code_expired", 410
    message = "This voucher has expired."
    message_zh = "该券已过期，无法核销。"


class CodeNotYours(Forbidden):
    code = "code_not_yours"
    message = "This voucher belongs to another merchant; the customer should use it there."
    message_zh = "这不是本店的券，请顾客到对应商户使用。"


class KeyBlocked(Exception):
    """The key's failure window is full: the redemption transaction refused to run."""


def redeem(key: MerchantKey, typed: str, keyed=None) -> dict:
    """Two DynamoDB requests either way: GetItem of the code, then the redeeming transaction
    (which itself checks the key's failure window) or, for a failing code, the counter's ADD."""
    import time

    now = time.time()
    blocked = RateLimited(
        "Too many failed codes from this key. Wait a while and try again.",
        zh="核销失败次数过多，请稍后再试。",
        retry_after=WINDOW_S,
    )
    try:
        result = _redeem(key, typed, now, keyed)
    except KeyBlocked:
        raise blocked from None
    except (CodeUnknown, CodeRedeemed, CodeExpired, CodeNotYours) as e:
        # Only the answers a guesser gets count toward the lockout: a cashier scanning a coupon
        # that was redeemed or has expired is not guessing, and must not lock the shop's key.
        if isinstance(e, (CodeUnknown, CodeNotYours)) and e.details.get("counts", True):
            failures = ratelimit.count("redeem_fail", key.key_id, WINDOW_S, now)
            if failures > FAILURES_PER_WINDOW:
                raise blocked from None  # past the limit the answer says nothing about the code
        # Never the typed code: a valid one would be redeemable by whoever reads the logs.
        log(
            "redemption_failed",
            level=logging.WARNING,
            merchant_id=key.merchant_id,
            key_id=key.key_id,
            error_code=e.code,
        )
        metric("RedemptionsFailed", 1, error_code=e.code)
        metric("Errors", 1, source="redemption")
        raise
    metric("Redemptions", 1)
    return result


def _redeem(key: MerchantKey, typed: str, at: float, keyed) -> dict:
    code = codes.normalize(typed)
    if code is None:
        raise CodeUnknown()
    h, now = codes.code_hash(code), _now()
    try:
        c = RedemptionCode.get(h, consistent_read=True)
    except RedemptionCode.DoesNotExist:
        raise CodeUnknown() from None
    window = ratelimit.window_key("redeem_fail", key.key_id, WINDOW_S, at)
    attempt = secrets.token_hex(16)
    try:
        with TransactWrite(connection=models.connection()) as tx:
            # The key has not used up its failures: a key guessing codes cannot redeem a lucky guess.
            tx.condition_check(
                RateWindow,
                window,
                condition=RateWindow.hits.does_not_exist()
                | (RateWindow.hits < FAILURES_PER_WINDOW),
            )
            # Issued, this merchant's, not expired: of any number of attempts exactly one passes.
            cond = (
                (RedemptionCode.status == "issued")
                & (RedemptionCode.merchant_id == key.merchant_id)
                & (RedemptionCode.expires_at > now)
            )
            tx.update(
                RedemptionCode(h),
                actions=[
                    RedemptionCode.status.set("redeemed"),
                    RedemptionCode.redeemed_at.set(now),
                    RedemptionCode.redeemed_attempt.set(attempt),
                ],
                condition=cond,
            )
            tx.update(
                Order(c.order_id),
                actions=[Order.status.set("redeemed"), Order.redeemed_at.set(now)],
                condition=Order.status == "issued",
            )
            idempotency.put_in(tx, keyed, 200, ref=h)  # the key names this redemption, or nothing
    except TransactWriteError as e:
        reasons = e.cancellation_reasons or [None]
        if reasons[0] is not None and reasons[0].code == "ConditionalCheckFailed":
            raise KeyBlocked() from None  # condition checks come first in PynamoDB's request
        why = _why(h, key.merchant_id, now, attempt)
        if isinstance(why, RedemptionCode):
            return _answer(why, why.redeemed_at)  # this attempt's own commit, its answer lost
        raise why from None
    return _answer(c, now)


def _answer(c: RedemptionCode, redeemed_at: str) -> dict:
    return {
        "order_id": c.order_id,
        "product": {"id": c.product_id, "name": c.product_name},
        "quantity": int(c.quantity),
        "redeemed_at": localday.local_iso(redeemed_at, timespec="auto"),
    }


def answer_of(key: MerchantKey, code_hash: str) -> dict:
    """What redeeming the code answered (an Idempotency-Key's retry): read from the code its
    record names, which that key's merchant redeemed in the record's own transaction."""
    c = RedemptionCode.get(code_hash, consistent_read=True)
    if c.merchant_id != key.merchant_id or c.redeemed_at is None:
        raise CodeUnknown(counts=False)  # not this key's redemption: no record names one so
    return _answer(c, c.redeemed_at)


def _why(h: str, merchant_id: str, now: str, attempt: str) -> ApiError | RedemptionCode:
    """Why the redeeming transaction was refused; the code itself when this attempt redeemed it."""
    try:
        c = RedemptionCode.get(h, consistent_read=True)
    except RedemptionCode.DoesNotExist:
        return CodeUnknown()
    # A guesser produces unknown codes, or live codes of other shops; a customer's cancelled or
    # expired codes (any shop's) and re-scans are no guess and never count toward the lockout.
    live = c.status == "issued" and c.expires_at > now
    if c.merchant_id != merchant_id:
        return CodeNotYours(counts=live)
    if c.status == "redeemed":
        return c if c.redeemed_attempt == attempt else CodeRedeemed()
    if c.status == "expired" or c.expires_at <= now:
        return CodeExpired()
    return CodeUnknown(counts=False)  # cancelled: nothing to redeem, and not a guess


def redemptions(merchant_id: str, day: str) -> list[dict]:
    """One merchant's redemptions of one UTC+8 day, for reconciliation (Query on by_merchant), with
    the coins and cash of each (read from the orders in batches)."""
    items = _redeemed_codes(merchant_id, day)
    paid = {
        o.order_id: o
        for o in Order.batch_get(
            {i["order_id"] for i in items}, attributes_to_get=["order_id", "coins", "cash_fen"]
        )
    }
    for i in items:
        o = paid.get(i["order_id"])
        i["coins"] = int(o.coins) if o else 0
        i["cash_fen"] = int(o.cash_fen or 0) if o else 0
    return items


def totals(items: list[dict]) -> dict:
    return {
        "count": len(items),
        "quantity": sum(i["quantity"] for i in items),
        "coins": sum(i["coins"] for i in items),
        "cash_fen": sum(i["cash_fen"] for i in items),
    }


def _redeemed_codes(merchant_id: str, day: str) -> list[dict]:
    start, end = localday.utc_bounds(day)
    return [
        {
            "order_id": c.order_id,
            "product": {"id": c.product_id, "name": c.product_name},
            "quantity": int(c.quantity),
            "redeemed_at": localday.local_iso(c.redeemed_at, timespec="auto"),
        }
        for c in RedemptionCode.by_merchant.query(
            merchant_id, RedemptionCode.redeemed_at.between(start, end)
        )
    ]
