"""The signed-in citizen's links with partners and organisations (consent to be named by them)."""

import secrets

from flask import Blueprint, g, jsonify

from miniprogram_api.deps import citizen_required, settings
from miniprogram_api.idempotent import idempotent, keyed, made
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("partner_links", __name__, url_prefix="/api/v1")


class LinkCodeIn(Model):
    partner_id: str = Field(
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="a partner's id, or an organisation's id (for a project you own)",
    )


class LinkCodeOut(Model):
    link_code: str = Field(description="one-time code to give the partner app; valid 10 minutes")
    expires_at: str


class PartnerLinkOut(Model):
    partner_id: str
    partner_name: str
    linked_at: str


class PartnerLinkList(Model):
    items: list[PartnerLinkOut]


def _seed(nonce: str) -> str:
    from core.hashing import keyed_hash

    return keyed_hash(settings().hash_key, nonce, "link_code_seed")


def _made(nonce: str) -> dict:
    from core.carbon import links

    return links.code_answer(g.user_id, _seed(nonce))


@bp.post("/partner-links")
@citizen_required
@idempotent("partner-links", replay=_made)
@spec.validate(
    json=LinkCodeIn,
    resp=Response(HTTP_201=LinkCodeOut, HTTP_401=Error, HTTP_404=Error, HTTP_422=Error),
    tags=["partner-links"],
    security=CITIZEN,
)
def make_code(json: LinkCodeIn):
    from core.carbon import links

    seed = None
    if keyed() is not None:  # under a key the code comes from a seed its record can remake
        nonce = secrets.token_hex(16)
        made(nonce)
        seed = _seed(nonce)
    return jsonify(links.make_code(g.user_id, json.partner_id, seed)), 201


@bp.get("/partner-links")
@citizen_required
@spec.validate(
    resp=Response(HTTP_200=PartnerLinkList, HTTP_401=Error),
    tags=["partner-links"],
    security=CITIZEN,
)
def list_links():
    from core.carbon import links

    return jsonify(items=links.list_links(g.user_id))


@bp.delete("/partner-links/<string:partner_id>")
@citizen_required
@idempotent("partner-links/remove")
@spec.validate(
    resp=Response("HTTP_204", HTTP_401=Error, HTTP_404=Error),
    tags=["partner-links"],
    security=CITIZEN,
)
def remove_link(partner_id: str):
    from core.carbon import links

    links.remove(g.user_id, partner_id)
    return "", 204
