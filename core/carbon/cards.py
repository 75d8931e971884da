"""Yangchengtong cards: bind, list, unbind.

Invariants:
- One card, one user: the card item is created with attribute_not_exists(card_hash).
- At most MAX_CARDS per user: the user's card_count is raised in the same transaction,
  on condition it is below the limit.
- Only a keyed hash and a mask of the number are stored; every binding period is kept
  (card_history, one item per card, with the card's mask) so trips map to whoever held the card
  at the trip's time.
- The user item keeps the hash of every card it ever bound (`card_hashes`, added in the bind's
  transaction), so `bindings_of` finds a citizen's periods of cards since unbound with one
  BatchGetItem, never a Scan; it shows masks and periods, never a number or a hash. Account
  deletion removes the periods' masks (`forget_masks`) before the user item goes.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core import localday
from core.errors import Conflict, NotFound, Unprocessable
from core.hashing import keyed_hash
from models import User
from models.cards import BindingPeriod, Card, CardHistory

MAX_CARDS = 3
_PRINTED = re.compile(r"[0-9]{10}")  # ASCII digits only: a full-width ２ would hash as another card


class CardInvalid(Unprocessable):
    code = "card_invalid"
    message = "Not a Yangchengtong card number: enter the 10 digits printed on the card."
    message_zh = "不是有效的羊城通卡号，请输入卡面上印的 10 位数字。"


class CardTaken(Conflict):
    code = "card_taken"
    message = "This card is bound to another account."
    message_zh = "这张卡已被其他账号绑定。"


class CardLimit(Conflict):
    code = "card_limit"
    message = f"At most {MAX_CARDS} cards can be bound to one account."
    message_zh = f"每个账号最多绑定 {MAX_CARDS} 张卡，请先解绑一张。"


def is_card_number(text: str) -> bool:
    """Exactly the 10 ASCII digits printed on the card (\\d would also take full-width and
    other scripts' digits, which hash differently: one physical card bound twice)."""
    return _PRINTED.fullmatch(text) is not None


def card_hash(settings, printed_no: str) -> str:
    return keyed_hash(settings.hash_key, printed_no, "card")


def card_id_of(card_hash_: str) -> str:
    """What the API calls the card (GET /api/v1/cards `id`, the export's `card_id`)."""
    return "c_" + card_hash_[:20]


def mask(printed_no: str) -> str:
    """The card's own first two and last four digits, the rest hidden (API.md: "51****3456")."""
    return printed_no[:2] + "****" + printed_no[-4:]


def view(card: Card) -> dict:
    return {
        "id": card.card_id,
        "masked_no": card.masked_no,
        "bound_at": localday.local_iso(card.bound_at),
    }


def list_cards(user_id: str) -> list[dict]:
    return sorted((view(c) for c in Card.by_user.query(user_id)), key=lambda c: c["bound_at"])


def bind(settings, yct, user_id: str, printed_no: str) -> dict:
    printed_no = printed_no.strip().replace(" ", "")
    if not is_card_number(printed_no):
        raise CardInvalid()
    h = card_hash(settings, printed_no)
    try:
        existing = Card.get(h, consistent_read=True)
        if existing.user_id == user_id:
            return view(existing)  # binding the same card again is a no-op
        raise CardTaken()
    except Card.DoesNotExist:
        pass
    if not yct.card_exists(printed_no):
        raise CardInvalid(
            "Yangchengtong does not know this card.", zh="羊城通查不到这张卡，请核对卡号。"
        )
    now = datetime.now(UTC).isoformat()
    card = Card(h, card_id=card_id_of(h), user_id=user_id, masked_no=mask(printed_no), bound_at=now)
    try:
        with TransactWrite(connection=models.connection()) as tx:
            tx.save(card, condition=Card.card_hash.does_not_exist())  # one card, one user
            tx.update(
                CardHistory(h),
                actions=[
                    CardHistory.periods.set(
                        (CardHistory.periods | []).append(
                            [BindingPeriod(user_id=user_id, bound_at=now, masked_no=card.masked_no)]
                        )
                    )
                ],
            )
            # Below the limit, counted in the same transaction so parallel binds cannot exceed it.
            tx.update(
                User(user_id),
                actions=[User.card_count.add(1), User.card_hashes.add({h})],
                condition=User.user_id.exists()
                & ((User.card_count < MAX_CARDS) | User.card_count.does_not_exist()),
            )
    except TransactWriteError as e:
        try:
            holder = Card.get(h, consistent_read=True)
            if holder.user_id == user_id:
                return view(holder)
            raise CardTaken() from e
        except Card.DoesNotExist:
            raise CardLimit() from e
    return view(card)


def bound_answer(user_id: str, card_id: str) -> dict:
    """What binding the card answered (an Idempotency-Key's retry): the card bound now, or, unbound
    since, the latest period this user held it (its mask and bound_at as the binding answered)."""
    for c in Card.by_user.query(user_id):
        if c.card_id == card_id:
            return view(c)
    user = User.get(user_id, consistent_read=True, attributes_to_get=["card_hashes"])
    held = [b for b in bindings_of(user_id, user.card_hashes, []) if b["card_id"] == card_id]
    if not held:
        raise NotFound("No such card on this account.", zh="当前账号没有绑定这张卡。")
    return {"id": card_id, "masked_no": held[-1]["masked_no"], "bound_at": held[-1]["bound_at"]}


def unbind(user_id: str, card_id: str) -> None:
    card = next((c for c in Card.by_user.query(user_id) if c.card_id == card_id), None)
    if card is None:
        raise NotFound("No such card on this account.", zh="当前账号没有绑定这张卡。")
    now = datetime.now(UTC).isoformat()
    i = _period_index(card)
    try:
        with TransactWrite(connection=models.connection()) as tx:
            tx.delete(card, condition=Card.user_id == user_id)  # still this user's card
            # The period this binding opened; the condition proves the index still names it.
            tx.update(
                CardHistory(card.card_hash),
                actions=[CardHistory.periods[i]["unbound_at"].set(now)],
                condition=CardHistory.periods[i]["bound_at"] == card.bound_at,
            )
            tx.update(User(user_id), actions=[User.card_count.add(-1)])
    except TransactWriteError as e:
        raise NotFound("No such card on this account.", zh="当前账号没有绑定这张卡。") from e


def bindings_of(user_id: str, card_hashes, cards_now: list[Card]) -> list[dict]:
    """Every period in which this user held a card, bound now or since unbound, oldest first:
    `card_hashes` (the user item's) and the cards bound now name the card_history items to read
    (BatchGetItem: 100 keys a request). A period from before masks were kept takes the mask of the
    card bound now, or None."""
    now = {c.card_hash: c for c in cards_now}
    hashes = sorted(set(card_hashes or ()) | set(now))
    out = []
    for i in range(0, len(hashes), 100):
        for h in CardHistory.batch_get(hashes[i : i + 100]):
            current = now.get(h.card_hash)
            out += [
                (
                    p.bound_at,  # as stored (UTC, microseconds): orders periods of the same second
                    {
                        "card_id": card_id_of(h.card_hash),  # the id GET /api/v1/cards gave it
                        "masked_no": p.masked_no or (current.masked_no if current else None),
                        "bound_at": localday.local_iso(p.bound_at),
                        "unbound_at": localday.local_iso(p.unbound_at),
                    },
                )
                for p in h.periods
                if p.user_id == user_id
            ]
    return [b for _, b in sorted(out, key=lambda x: x[0])]


def forget_masks(user_id: str, card_hashes) -> int:
    """Account deletion: the masks this user's periods keep (only for their export) are removed;
    the periods stay (who held a card when decides a late trip: nobody, after deletion). Periods are
    only ever appended, so an index read names the same period at the update; re-running removes
    nothing more."""
    removed, hashes = 0, sorted(set(card_hashes or ()))
    for i in range(0, len(hashes), 100):
        for h in CardHistory.batch_get(hashes[i : i + 100]):
            for j, p in enumerate(h.periods):
                if p.user_id == user_id and p.masked_no is not None:
                    CardHistory(h.card_hash).update(
                        actions=[CardHistory.periods[j]["masked_no"].remove()],
                        condition=CardHistory.periods[j]["user_id"] == user_id,
                    )
                    removed += 1
    return removed


def _period_index(card: Card) -> int:
    try:
        periods = CardHistory.get(card.card_hash, consistent_read=True).periods
    except CardHistory.DoesNotExist:
        periods = []
    for i in range(len(periods) - 1, -1, -1):
        if periods[i].bound_at == card.bound_at:
            return i
    raise NotFound(
        "No such card on this account.", zh="当前账号没有绑定这张卡。"
    )  # a card without its period: nothing to close


def holder_at(periods, at_iso_utc: str) -> str | None:
    """The user who held the card at that instant, or None (not bound then). `periods` are
    (bound_at, unbound_at, user_id) tuples."""
    for bound_at, unbound_at, user_id in periods:
        if bound_at <= at_iso_utc and (unbound_at is None or at_iso_utc < unbound_at):
            return user_id
    return None
