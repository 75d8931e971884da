"""The citizen's rights over their data: a copy of it, erasure, and consent to the privacy policy."""

from flask import Blueprint, g, jsonify

from miniprogram_api.deps import citizen_required, settings
from miniprogram_api.idempotent import idempotent
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("privacy", __name__, url_prefix="/api/v1")


class ConsentIn(Model):
    policy_version: str = Field(min_length=1, max_length=64)


class ExportOut(Model):
    """Everything held about the caller (PIPL art. 45). WeChat ids are reported as held, never shown."""

    exported_at: str
    profile: dict = Field(description='{"id", "created_at", "phone", "card_count"}')
    wechat: dict = Field(
        description='{"openid_held", "unionid_held", "session_key_held"}: booleans'
    )
    consents: list[dict] = Field(description='[{"policy_version", "accepted_at"}], oldest first')
    cards: list[dict] = Field(description="cards bound now, masked (51****3456)")
    card_bindings: list[dict] = Field(
        description='every binding period, of cards since unbound too, oldest first: [{"card_id", '
        '"masked_no", "bound_at", "unbound_at"}]'
    )
    partner_links: list[dict]
    subscriptions: list[dict]
    account: dict | None
    ledger: list[dict]
    orders: list[dict]
    appeals: list[dict]
    footprints: list[dict]
    trips: list[dict] = Field(
        description='Yangchengtong trips recorded for the caller\'s cards and still held: [{"id", "date", '
        '"scenario", "occurred_at", "received_at", "masked_no", "line", "from_station", "to_station", '
        '"distance_km"}], oldest first',
    )
    steps: list[dict] = Field(
        description='WeRun step days still held: [{"date", "scenario", "occurred_at", "received_at", '
        '"steps"}], oldest first',
    )
    partner_records: list[dict] = Field(
        description='records partners pushed for the caller, still held: [{"partner_id", "partner_name", '
        '"record_id", "date", "scenario", "occurred_at", "received_at", "quantity", "facts"}], oldest first',
    )


class ConsentEntry(Model):
    policy_version: str
    accepted_at: str


class ConsentOut(Model):
    current_version: str
    accepted_version: str | None
    needs_acceptance: bool
    history: list[ConsentEntry]


@bp.get("/me/export")
@citizen_required
@spec.validate(
    resp=Response(HTTP_200=ExportOut, HTTP_401=Error), tags=["privacy"], security=CITIZEN
)
def export():
    """A copy of every piece of personal data held about the caller (PIPL art. 45).

    Profile and phone, whether WeChat ids are held, consents, cards (masked) and every binding
    period (cards since unbound too), partner links, subscriptions, account, ledger, orders,
    appeals, footprints, and the behaviour records still held: trips, steps, partner records."""
    from core.citizens import privacy

    return jsonify(privacy.export(settings(), g.user_id))


@bp.delete("/me")
@citizen_required
@spec.validate(resp=Response("HTTP_204", HTTP_401=Error), tags=["privacy"], security=CITIZEN)
def delete_me():
    """Delete the account (PIPL art. 47): 204, then every token of the user gets 401.

    Cards unbound, unshown coin-only vouchers refunded, the balance forfeited by one ledger entry of
    kind `forfeit`, partner links and subscriptions removed, open appeals rejected and notes erased,
    the user item (WeChat ids, phone, consents) deleted and the phone released. The ledger stays
    under the pseudonymous id, so the books still balance."""
    from core.citizens import erasure

    erasure.erase(settings(), g.user_id)
    return "", 204


@bp.get("/me/consents")
@citizen_required
@spec.validate(
    resp=Response(HTTP_200=ConsentOut, HTTP_401=Error), tags=["privacy"], security=CITIZEN
)
def get_consents():
    """The privacy-policy version in force, the one the caller accepted, and every acceptance."""
    from core.citizens import consent, users

    return jsonify(consent.view(settings(), users.get_user(g.user_id)))


@bp.post("/me/consents")
@citizen_required
@idempotent("me/consents")  # accepting again records nothing and answers the same
@spec.validate(
    json=ConsentIn,
    resp=Response(HTTP_201=ConsentOut, HTTP_401=Error, HTTP_422=Error),
    tags=["privacy"],
    security=CITIZEN,
)
def post_consent(json: ConsentIn):
    """Accept the privacy policy in force (another version: 422 `policy_version_unknown`).

    Until the caller accepts the version in force, partners' records earn them nothing
    (rejected at the push with reason `consent_required`). Accepting twice records once."""
    from core.citizens import consent

    return jsonify(consent.accept(settings(), g.user_id, json.policy_version)), 201
