"""A citizen's copy of everything held about them (PIPL art. 45); erasure is core.citizens.erasure.

The export names every kind of personal data the platform holds about the caller; credentials
(openid, unionid, session key) are held to sign in and send messages and are reported as held,
never shown; card numbers only masked, never a card hash. It includes the stored behaviour records
(trips, WeRun step days, partners' records: core.carbon.records_held) and every card-binding period,
of cards since unbound too (core.carbon.cards.bindings_of). Everything is read by key or index,
never a Scan; every time is at +08:00.
"""

from __future__ import annotations

from core import localday
from core.carbon import cards, estimate, footprint, links, records_held
from core.citizens import appeals, consent, ranking_choice, users
from core.notices import inbox
from models import Account, LedgerEntry
from models.cards import Card
from models.orders import Order
from models.subscriptions import Subscription


def export(settings, user_id: str) -> dict:
    user = users.get_user(user_id)  # a deleted account's token: 401
    try:
        acc = Account.get(user_id, consistent_read=True)
        account = {
            k: int(getattr(acc, k) or 0)
            for k in ("balance", "earned_total", "spent_total", "grams_total")
        }
    except Account.DoesNotExist:
        account = None
    cards_now = list(Card.by_user.query(user_id))
    return {
        "exported_at": localday.local_iso(localday.now()),
        "profile": {
            "id": user.user_id,
            "created_at": localday.local_iso(user.created_at),
            "phone": user.phone,
            "card_count": int(user.card_count or 0),
        },
        # The WeChat ids and session key are held (to sign in and send messages) but are
        # credentials, not shown: the export says they exist.
        "wechat": {
            "openid_held": bool(user.openid),
            "unionid_held": bool(user.unionid),
            "session_key_held": bool(user.session_key),
        },
        "consents": consent.history(user),
        "cards": [{**cards.view(c), "bound_at": localday.local_iso(c.bound_at)} for c in cards_now],
        "card_bindings": cards.bindings_of(user_id, user.card_hashes, cards_now),
        "partner_links": links.list_links(user_id),
        "subscriptions": [
            {"template": s.template, "status": s.status, "remaining": int(s.remaining or 0)}
            for s in Subscription.query(user_id)
        ],
        "account": account,
        "ledger": [_entry(e) for e in LedgerEntry.query(user_id)],
        "orders": [_order(o) for o in Order.by_user.query(user_id)],
        "appeals": appeals.all_of(user_id),
        "footprints": footprint.years(user_id),
        "footprint_estimate": estimate.for_export(user_id),  # the last saved one, or null
        "ranking": ranking_choice.for_export(user_id),  # listed and the nickname chosen, or null
        "inbox": inbox.every_item(user_id),
        **records_held.records_held(settings, user_id),  # trips, steps, partner_records
    }


def _entry(e) -> dict:
    return {
        "id": e.entry_id,
        "kind": e.kind,
        "amount": int(e.amount),
        "balance_after": int(e.balance_after),
        "created_at": localday.local_iso(e.created_at),
        "ref": e.ref,
        "detail": localday.local_times(e.detail),
    }


def _order(o) -> dict:
    return {
        "id": o.order_id,
        "product_id": o.product_id,
        "product_name": o.product_name,
        "quantity": int(o.quantity),
        "coins": int(o.coins),
        "status": o.status,
        "created_at": localday.local_iso(o.created_at),
        "expires_at": localday.local_iso(o.expires_at),
        "redeemed_at": localday.local_iso(o.redeemed_at),
    }
