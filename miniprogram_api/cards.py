"""Yangchengtong cards of the signed-in citizen."""

from flask import Blueprint, g, jsonify

from miniprogram_api.deps import citizen_required, gateways, settings
from miniprogram_api.idempotent import idempotent
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("cards", __name__, url_prefix="/api/v1")


class CardIn(Model):
    card_no: str = Field(
        min_length=1, max_length=32, description="the 10 digits printed on the card"
    )


class CardOut(Model):
    id: str
    masked_no: str
    bound_at: str


class CardList(Model):
    items: list[CardOut]


@bp.get("/cards")
@citizen_required
@spec.validate(resp=Response(HTTP_200=CardList, HTTP_401=Error), tags=["cards"], security=CITIZEN)
def list_cards():
    from core.carbon import cards

    return jsonify(items=cards.list_cards(g.user_id))


def _bound(card_id: str) -> dict:
    from core.carbon import cards

    return cards.bound_answer(g.user_id, card_id)


@bp.post("/cards")
@citizen_required
@idempotent("cards/bind", replay=_bound, ref=lambda answer: answer["id"])
@spec.validate(
    json=CardIn,
    resp=Response(HTTP_201=CardOut, HTTP_401=Error, HTTP_409=Error, HTTP_422=Error),
    tags=["cards"],
    security=CITIZEN,
)
def bind_card(json: CardIn):
    from core.carbon import cards

    return jsonify(cards.bind(settings(), gateways().yct, g.user_id, json.card_no)), 201


@bp.delete("/cards/<string:card_id>")
@citizen_required
@idempotent("cards/unbind")
@spec.validate(
    resp=Response("HTTP_204", HTTP_401=Error, HTTP_404=Error), tags=["cards"], security=CITIZEN
)
def unbind_card(card_id: str):
    from core.carbon import cards

    cards.unbind(g.user_id, card_id)
    return "", 204
