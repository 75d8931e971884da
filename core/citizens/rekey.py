"""Erasing a LEGACY account (id = `u_` + keyed hash of the openid, core.citizens.openids): what is
kept for the books moves to a fresh random id, so nothing kept is under an id that HASH_KEY
recomputes from an openid (core.citizens.erasure calls this; new accounts have random ids already).

Invariants:
- The target id is recorded first, on the user item (`rekey_to`, with the cards it bound:
  `rekey_cards`, read before erasure unbinds them), with attribute_not_exists: every retry after a crash moves to the same id. The
  user item, and with it this last link between the two ids, goes last (erasure's final step).
- Kept and moved: the account (its roll-ups and `closed_at` with it), the ledger with its written
  items and log salt (core.citizens.rekey_log), settled days, footprints, purchase counts, PHCER
  citizen batches (and their lines' owner), orders, appeals, the cards' binding periods, source
  claims and quarantined records of the erased days (`records`, called as erasure deletes them);
  the ranking's top parts of the periods it was credited in drop it (core.carbon.rankings.forget),
  and a settlement unit's resume cursor naming it gets an equivalent one
  (core.carbon.settlement_runs.forget_position); notices kept for ops (failed, unknown) move.
  What is not moved, and why (short-lived, or found only by a Scan): README "Their data".
  A keyed item moves by one transaction (put the copy with attribute_not_exists, delete the old
  with attribute_exists); an attribute that names the user is changed with a condition that it
  still names the legacy id. So each step is exact and idempotent and a retry finishes the job.
- Order: the account is copied (closed, balance 0) before orders and card periods name the new id,
  so anything credited to it afterwards (a late trip, an order's expiry) is forfeited like on the
  legacy account; the legacy account goes last, when no entry is left under the legacy id.
- Bounded: every read is a Query on the legacy id (or its index) or a get by key, never a Scan. A
  request stops after BUDGET_S with nothing half-moved (False: erasure answers 503 and DELETE again
  goes on from there).
"""

from __future__ import annotations

import time

from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

import models
from core import localday
from core.books import ledger
from core.carbon import rankings, settlement_runs
from core.citizens import openids, rekey_log
from core.notices import outbox
from models import Account, User
from models.appeals import Appeal
from models.behaviours import partition, shard_of, sort_key
from models.cards import Card, CardHistory
from models.claims import SourceClaim, claim_key
from models.footprints import Footprint
from models.mall import PurchaseCount
from models.orders import Order
from models.outbox import Notice
from models.phcer import PhcerCitizenBatch, PhcerLine
from models.quarantine import QuarantinedRecord
from models.settlement import SettledDay

SETTLE_REACH_DAYS = 7  # settle_daily re-settles the last 7 days (core.citizens.erasure's too)
BUDGET_S = 20  # a request's share for the moves (API Gateway ends a request at 29 s)
PAIRS_PER_TX = 50  # put + delete each: DynamoDB's 100 writes a transaction


def target(settings, user: User) -> str | None:
    """The id a legacy account's kept records move to (recorded on its first call), None for an
    account whose id is random already."""
    if user.rekey_to:
        return user.rekey_to
    if user.user_id != openids.legacy_user_id(user.openid, settings.hash_key):
        return None
    # The cards bound now and every card it bound since the user item kept them (core.carbon.cards).
    cards = sorted(
        {c.card_hash for c in Card.by_user.query(user.user_id)} | set(user.card_hashes or ())
    )
    try:
        User(user.user_id).update(
            actions=[User.rekey_to.set(openids.new_user_id()), User.rekey_cards.set(cards)],
            condition=User.rekey_to.does_not_exist() & User.user_id.exists(),
        )
    except UpdateError as e:
        if e.cause_response_code != "ConditionalCheckFailedException":
            raise
    return User.get(user.user_id, consistent_read=True).rekey_to


def moving(new: str | None) -> bool:
    """Whether the moves have begun (the account is under the new id): the steps before them, which
    would make legacy items again (a closed account, an erased salt), are done and skipped."""
    return new is not None and ledger.read_account(new) is not None


def run(legacy: str, new: str, shards: int) -> bool:
    """Move everything kept; True when nothing is left under `legacy` but the user item."""
    deadline = time.monotonic() + BUDGET_S
    _copy_account(legacy, new)
    _repoint(Order, Order.by_user.query(legacy), Order.order_id, legacy, new)
    _card_periods(User.get(legacy, consistent_read=True).rekey_cards or [], legacy, new)
    for b in PhcerCitizenBatch.query(legacy):
        for ln in PhcerLine.query(b.batch_id, filter_condition=PhcerLine.owner_user_id == legacy):
            _set(ln, PhcerLine.owner_user_id, legacy, new)
    if not rekey_log.move(legacy, new, deadline):
        return False
    days = [d.date for d in SettledDay.query(legacy, attributes_to_get=["date"])]
    rankings.forget(legacy, days)
    today = localday.today()
    days += [localday.add_days(today, -n) for n in range(SETTLE_REACH_DAYS + 1)]
    settlement_runs.forget_position(legacy, days, shards)
    for model in (SettledDay, Footprint, PurchaseCount, PhcerCitizenBatch):
        if not _move_keyed(model, model.query(legacy, consistent_read=True), new, deadline):
            return False
    _repoint(Appeal, Appeal.by_user.query(legacy), Appeal.appeal_id, legacy, new)
    _notices_kept(legacy, new)
    Account(legacy).delete()
    return True


def records(behaviours, date: str, legacy: str, new: str, shards: int) -> None:
    """Erasure deletes a day's behaviour records: first their source claims name the new id, and
    the day's quarantined records of the account move (their key names the behaviour's)."""
    for b in behaviours:
        try:
            SourceClaim(claim_key(b.source, b.source_id)).update(
                actions=[SourceClaim.user_id.set(new)], condition=SourceClaim.user_id == legacy
            )
        except UpdateError as e:
            if e.cause_response_code != "ConditionalCheckFailedException":
                raise
    prefix = f"{partition(date, shard_of(legacy, shards))}|{legacy}#"
    new_part = partition(date, shard_of(new, shards))
    _pairs(
        [
            (q, _copy(q, record=f"{new_part}|{sort_key(new, q.source, q.source_id)}", user_id=new))
            for q in QuarantinedRecord.query(date, QuarantinedRecord.record.startswith(prefix))
        ]
    )


def _notices_kept(legacy: str, new: str) -> None:
    """Notices kept for ops (failed: until their TTL; unknown: until resent) move to the new id's
    bucket; pending ones are dropped at their next send (no user item, no accept left)."""
    for state in ("failed#", "unknown#"):
        kept = Notice.query(
            outbox.bucket_of(legacy),
            Notice.due.startswith(state),
            filter_condition=Notice.user_id == legacy,
        )
        _pairs(
            [
                (
                    n,
                    _copy(
                        n,
                        bucket=outbox.bucket_of(new),
                        due=n.due.replace(legacy, new),
                        notice_id=n.notice_id.replace(legacy, new),
                        user_id=new,
                    ),
                )
                for n in kept
            ]
        )


def _copy_account(legacy: str, new: str) -> None:
    """The closed account (with its roll-ups) under the new id, once."""
    raw = Account._get_connection().get_item(legacy, consistent_read=True).get("Item")
    if raw is None:
        return
    rollups = {k: int(v["N"]) for k, v in raw.items() if models.accounts.is_rollup(k)}
    copy = Account.from_raw_data({**raw, "user_id": {"S": new}}).with_rollups(rollups)
    try:
        copy.save(condition=Account.user_id.does_not_exist())
    except PutError as e:  # copied by an earlier pass
        if "ConditionalCheckFailed" not in str(e):
            raise


def _card_periods(cards: list[str], legacy: str, new: str) -> None:
    for h in CardHistory.batch_get(cards, consistent_read=True):
        for i, p in enumerate(h.periods):
            if p.user_id == legacy:
                _set(CardHistory(h.card_hash), CardHistory.periods[i]["user_id"], legacy, new)


def _repoint(model, items, key_attr, legacy: str, new: str) -> None:
    for item in items:  # an index Query: what it lists late is checked by the condition
        _set(model(getattr(item, key_attr.attr_name)), model.user_id, legacy, new)


def _set(item, attr, legacy: str, new: str) -> None:
    try:
        item.update(actions=[attr.set(new)], condition=attr == legacy)
    except UpdateError as e:
        if e.cause_response_code != "ConditionalCheckFailedException":
            raise  # changed already by an earlier pass


def _move_keyed(model, items, new: str, deadline: float) -> bool:
    key = model._hash_key_attribute().attr_name
    batch = []
    for item in items:
        if time.monotonic() > deadline:
            return False
        batch.append((item, _copy(item, **{key: new})))
        if len(batch) == PAIRS_PER_TX:
            _pairs(batch)
            batch = []
    _pairs(batch)
    return True


def _copy(item, **changes):
    """The item with some string attributes changed (keys included), every other one as it is."""
    return type(item).from_raw_data(
        {**item.serialize(), **{k: {"S": v} for k, v in changes.items()}}
    )


def _pairs(pairs: list) -> None:
    """Each (item, copy): the copy put where nothing is, the item deleted, in one transaction."""
    if not pairs:
        return
    try:
        with TransactWrite(connection=models.connection()) as tx:
            for item, copy in pairs:
                model = type(item)
                keys = [model._hash_key_attribute(), model._range_key_attribute()]
                key = keys[1] or keys[0]
                tx.save(copy, condition=key.does_not_exist())
                tx.delete(item, condition=key.exists())
    except TransactWriteError as e:
        if e.cause_response_code != "TransactionCanceledException":
            raise
        # One moved meanwhile (a racing retry): the rest one by one; a lone one is moved already.
        for pair in pairs if len(pairs) > 1 else []:
            _pairs([pair])
