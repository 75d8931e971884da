"""Account deletion (PIPL art. 47): the citizen's personal data goes, the books stay.

Invariants:
- Kept, under the user id only (random: once the user item and the openid's login lookup item are
  gone nothing links it to a WeChat id or a phone, not even HASH_KEY; a returning WeChat user gets
  a new random id, a new empty account): the ledger, the account (with its footprint roll-ups),
  settled days, footprint items, orders and card-binding periods (keyed by card hash; the card's
  mask, kept on a period for the export, removed), so
  `ledger check` and the books balance.
- The remaining balance leaves by one entry `forfeit#account_deleted` of kind `forfeit`. Coin-only
  orders still issued whose code was never shown are refunded first (stock back), so their coins
  are forfeited too; an order with a cash part stays valid until redeemed or expired (coins an
  expiry gives back to the closed account are forfeited in that entry: core.books.legs.on_account).
- The account is closed (`closed_at`) before the forfeit: settlement credits a closed account
  nothing (core.carbon.settlement), so a late record of an earlier day leaves no coins on it.
- Order: cards unbound (a trip after this counts for nobody) and their periods' masks removed, orders released, the account closed,
  coins forfeited, partner links, behaviour records (lines, stations), subscriptions, the saved
  footprint estimate, the ranking choice, the inbox, open appeals (rejected) and appeal notes
  removed; then ONE transaction deletes the user item (openid, unionid, session key, phone, consents)
  and the openid's login lookup item, and releases the phone claim. The transparency log's salt of the account
  is deleted (its leaves become unlinkable). Every step is idempotent, so a retry
  after a crash half-way finishes the job; the user item goes last, and with it every token
  (authentication reads it: 401 everywhere).
- Legacy ids: an account made before user ids were random has `u_` + a keyed hash of the openid
  (core.citizens.openids.legacy_user_id), which HASH_KEY recomputes from an openid. Its erasure
  records a fresh random id on the user item first (core.citizens.rekey.target), then moves every
  kept record there (core.citizens.rekey: account, ledger with its written items and log salt,
  settled days, footprints, orders, card-binding periods, purchase counts, PHCER batches and lines,
  appeals, source claims and quarantined records; the ranking's tops and a settlement unit's
  cursor stop naming it), each move one conditional transaction; the user
  item, holding the last link between the two ids, still goes last. A retry after a crash finds the
  recorded id and finishes (the steps before the moves are skipped once the account has moved: they
  would make a closed account and an erased salt under the legacy id again). If the moves do not
  fit the request (the log's append under way, or past core.citizens.rekey.BUDGET_S), 503: what
  moved is whole and DELETE again goes on. No login or seed makes a legacy id any more.
"""

from __future__ import annotations

import logging

from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

import models
from core import localday
from core.books import ledger
from core.carbon import behaviours, cards, day_index, estimate, links
from core.citizens import appeals, openids, phone, ranking_choice, rekey, users
from core.errors import Conflict, NotFound, ServiceUnavailable
from core.logs import log, user_ref
from core.mall import orders
from core.notices import inbox
from core.transparency import salts as log_salts
from models import Account, User
from models.cards import Card
from models.settlement import SettledDay
from models.subscriptions import Subscription
from models.users import PhoneClaim

FORFEIT_ID = "forfeit#account_deleted"
SYSTEM = "system:account_deleted"
SETTLE_REACH_DAYS = 7  # settle_daily re-settles the last 7 days (API.md, "Files and schedules")


def erase(settings, user_id: str) -> dict:
    """Delete the account's personal data; returns counts (no personal data in them)."""
    user = users.get_user(user_id)  # a deleted account cannot be deleted again: 401 like everywhere
    new_id = rekey.target(settings, user)  # a legacy account's kept records move there (or None)
    moving = rekey.moving(new_id)  # a retry after the moves began: the steps before them are done
    done = {
        "cards_unbound": 0,
        "orders_released": 0,
        "coins_forfeited": 0,
        "partner_links_removed": 0,
        "records_erased": 0,
        "appeals_closed": 0,
        "inbox_items_erased": 0,
    }
    for c in list(Card.by_user.query(user_id)):
        try:
            cards.unbind(user_id, c.card_id)
            done["cards_unbound"] += 1
        except NotFound:  # unbound meanwhile
            pass
    cards.forget_masks(user_id, user.card_hashes)  # the periods stay, without the card's mask
    done["orders_released"] = orders.release_unshown(user_id)
    if not moving:
        _close_account(user_id)
        done["coins_forfeited"] = forfeit(user_id)
        log_salts.forget(user_id)  # the public log's leaves of this account cannot be tied to it
    done["partner_links_removed"] = links.remove_all(user_id)
    done["records_erased"] = _erase_records(settings, user_id, new_id)
    for s in Subscription.query(user_id):
        s.delete()
    estimate.erase(user_id)  # the saved footprint estimate
    ranking_choice.erase(user_id)  # the ranking choice: the ranking shows them to nobody from now
    done["inbox_items_erased"] = inbox.erase(user_id)
    done["appeals_closed"] = _close_appeals(user_id)
    if new_id is not None and not rekey.run(user_id, new_id, settings.settle_shards):
        # Time ran out or the log is busy: what moved is whole, the user item is still there, so
        # DELETE again (the same token works) goes on from here.
        raise ServiceUnavailable()
    users.revoke_tokens(user_id)  # refused at once, even before the user item goes
    _delete_user(settings, user, user.phone)
    log("account_deleted", level=logging.INFO, user=user_ref(user_id), **done)
    return done


def _close_account(user_id: str) -> None:
    """Mark the account closed before the forfeit: settlement credits a closed account nothing, so a
    late record of a day before deletion never leaves coins on it. An account that does not exist
    yet is created closed and empty (balance 0, no entries: `ledger check` agrees)."""
    now = localday.stamp()
    try:
        Account(user_id, balance=0, version=0, closed_at=now).save(
            condition=Account.user_id.does_not_exist()
        )
    except PutError:
        try:
            Account(user_id).update(
                actions=[Account.closed_at.set(now)], condition=Account.closed_at.does_not_exist()
            )
        except UpdateError:
            pass  # closed already: a retried deletion


def forfeit(user_id: str) -> int:
    """The balance leaves by one `forfeit` entry (at most one per account: its id is fixed). A credit
    landing meanwhile changes the balance: the movement is computed again from the fresh account."""

    def movement_for(acc):
        if acc is None or int(acc.balance) <= 0:
            return None
        return ledger.Movement(
            user_id,
            FORFEIT_ID,
            -int(acc.balance),
            "forfeit",
            ref="account deleted",
            detail={"reason": "account deleted (PIPL art. 47)"},
        )

    posted = ledger.post_from(ledger.read_account(user_id), movement_for)
    return 0 if posted is None or posted.replayed else -int(posted.entry.amount)


def _erase_records(settings, user_id: str, new_id: str | None) -> int:
    """The behaviour records (trip lines and stations, step counts, partner facts) of every day the
    citizen was credited and of the days settlement may still reach (the last week): after the
    account is closed they can earn nothing, and they are personal data."""
    days = [d.date for d in SettledDay.query(user_id, attributes_to_get=["date"])]
    today = localday.today()
    days += [localday.add_days(today, -n) for n in range(SETTLE_REACH_DAYS + 1)]
    day_index.erase_user(user_id)  # every day of the index: one Query on the citizen's own key
    if new_id is not None:  # legacy: the claims and quarantined records of these days move first
        for day in sorted(set(days)):
            items = behaviours.user_day_items(user_id, day, settings.settle_shards)
            rekey.records(items, day, user_id, new_id, settings.settle_shards)
    return behaviours.erase_user(user_id, days, settings.settle_shards)


def _close_appeals(user_id: str) -> int:
    """Open appeals are rejected (nobody to credit); every note, the citizen's own words, is erased."""
    closed = 0
    for a in appeals.all_items(user_id):
        if a.status == "open":
            try:
                appeals.reject(a.appeal_id, "账户已注销 (account deleted)", SYSTEM)
                closed += 1
            except appeals.AppealClosed:  # answered meanwhile
                pass
        appeals.erase_note(a.appeal_id)
    return closed


def _delete_user(settings, user: User, phone_no: str | None) -> None:
    """The user item, the openid's login lookup and the claim on their number go together: the
    number is free for another account, and the WeChat user is nobody the platform knows."""
    user_id = user.user_id
    try:
        holds = (
            bool(phone_no)
            and PhoneClaim.get(phone.phone_hash(settings, phone_no), consistent_read=True).user_id
            == user_id
        )
    except PhoneClaim.DoesNotExist:
        holds = False
    try:
        with TransactWrite(connection=models.connection()) as tx:
            tx.delete(User(user_id), condition=User.user_id.exists())
            openids.lookup_delete_action(settings, tx, user_id, user.openid)
            if holds:
                phone.release_action(settings, tx, user_id, phone_no)
    except TransactWriteError as e:
        if e.cause_response_code != "TransactionCanceledException":
            raise
        if User.count(user_id, consistent_read=True):  # still there: the number changed meanwhile
            raise Conflict(
                "Your account changed meanwhile. Please try again.",
                zh="账户信息刚刚发生了变化，请重试。",
            ) from None
