"""A citizen's rights over their data (PIPL art. 45, 47): a copy of everything held, and erasure.

Invariants:
- Erasure keeps the books: the ledger, the account and the settled days stay under the
  pseudonymous user id (a keyed hash, no longer linked to any WeChat id once the user item is
  gone); the remaining balance is forfeited by one entry `forfeit#account_deleted`, so
  `ledger check` and the books still balance.
- Order of erasure: cards are unbound first (a trip after deletion counts for nobody), coins
  forfeited, partner links and subscriptions removed, tokens revoked, the user item deleted
  last, so a retry after a crash half-way finishes the job (every step is idempotent).
"""
from __future__ import annotations

import logging

from core import localtime
from core.books import ledger
from core.carbon import cards
from core.citizens import appeals, consent, footprint, users
from core.logs import log, user_ref
from models import Account, LedgerEntry, User
from models.cards import Card, CardHistory
from models.orders import Order
from models.subscriptions import Subscription

FORFEIT_ID = "forfeit#account_deleted"


def export(user_id: str) -> dict:
    user = users.get_user(user_id)  # a deleted account's token: 401
    try:
        acc = Account.get(user_id, consistent_read=True)
        account = {k: int(getattr(acc, k) or 0) for k in ("balance", "earned_total", "spent_total", "grams_total")}
    except Account.DoesNotExist:
        account = None
    cards_now = list(Card.by_user.query(user_id))
    bindings = []
    for c in cards_now:  # the periods of the cards bound now (an unbound card's history is not indexed by user)
        for h in CardHistory.batch_get([c.card_hash]):
            bindings += [{"card_id": c.card_id, "masked_no": c.masked_no, "bound_at": localtime.local_iso(p.bound_at),
                          "unbound_at": localtime.local_iso(p.unbound_at)} for p in h.periods if p.user_id == user_id]
    return {
        "exported_at": localtime.now().isoformat(timespec="seconds"),
        "profile": {"id": user.user_id, "created_at": localtime.local_iso(user.created_at),
                    "phone": user.phone, "card_count": int(user.card_count or 0)},
        # The WeChat ids and session key are held (to sign in and send messages) but are
        # credentials, not shown: the export says they exist.
        "wechat": {"openid_held": bool(user.openid), "unionid_held": bool(user.unionid),
                   "session_key_held": bool(user.session_key)},
        "consents": consent.history(user),
        "cards": [{**cards.view(c), "bound_at": localtime.local_iso(c.bound_at)} for c in cards_now],
        "card_bindings": bindings,
        "partner_links": _partner_links(user_id),
        "subscriptions": [{"template": s.template, "status": s.status, "remaining": int(s.remaining or 0)}
                          for s in Subscription.query(user_id)],
        "account": account,
        "ledger": [_entry(e) for e in LedgerEntry.query(user_id)],
        "orders": [_order(o) for o in Order.by_user.query(user_id)],
        "appeals": appeals.mine(user_id)["items"],
        "footprints": footprint.years(user_id),
    }


def _entry(e) -> dict:
    return {"id": e.entry_id, "kind": e.kind, "amount": int(e.amount), "balance_after": int(e.balance_after),
            "created_at": localtime.local_iso(e.created_at), "ref": e.ref, "detail": e.detail}


def _order(o) -> dict:
    return {"id": o.order_id, "product_id": o.product_id, "product_name": o.product_name, "quantity": int(o.quantity),
            "coins": int(o.coins), "status": o.status, "created_at": localtime.local_iso(o.created_at),
            "expires_at": localtime.local_iso(o.expires_at), "redeemed_at": localtime.local_iso(o.redeemed_at)}


def _partner_links(user_id: str) -> list[dict]:
    try:  # partner links arrive with the partners/orgs work; absent, there are none to show
        from core.carbon import links
    except ImportError:
        return []
    return links.list_links(user_id)


def erase(user_id: str) -> dict:
    """Delete the account's personal data; returns what was done (no personal data in it)."""
    users.get_user(user_id)  # a deleted account cannot be deleted again: 401 like everywhere
    done = {"cards_unbound": 0, "coins_forfeited": 0, "partner_links_removed": 0}
    for c in list(Card.by_user.query(user_id, consistent_read=False)):
        try:
            cards.unbind(user_id, c.card_id)
            done["cards_unbound"] += 1
        except Exception:  # unbound meanwhile
            pass
    done["coins_forfeited"] = _forfeit(user_id)
    done["partner_links_removed"] = _remove_partner_links(user_id)
    for s in Subscription.query(user_id):
        s.delete()
    _revoke(user_id)
    User(user_id).delete()
    log("account_deleted", level=logging.INFO, user=user_ref(user_id), **done)
    return done


def _forfeit(user_id: str) -> int:
    for _ in range(5):  # a credit landing meanwhile changes the balance: read it again
        acc = ledger.read_account(user_id)
        if acc is None or int(acc.balance) <= 0:
            return 0
        m = ledger.Movement(user_id, FORFEIT_ID, -int(acc.balance), "forfeit", ref="account deleted",
                            detail={"reason": "account deleted (PIPL art. 47)"})
        try:
            posted = ledger.post(m, acc)
        except ledger.InsufficientCoins:
            continue
        return -int(posted.entry.amount)
    raise ledger.LedgerContention()


def _remove_partner_links(user_id: str) -> int:
    try:
        from core.carbon import links
    except ImportError:
        return 0
    return links.remove_all(user_id)


def _revoke(user_id: str) -> None:
    users.revoke_tokens(user_id)  # every token refused at once, on every container
