"""The citizen's rights over their data: a copy of it, erasure, and consent to the privacy policy."""
from flask import Blueprint, g, jsonify
from pydantic import BaseModel, Field
from spectree import Response

from core.citizens import consent, privacy, users
from miniprogram_api.deps import citizen_required, settings
from miniprogram_api.openapi import CITIZEN, spec
from miniprogram_api.schemas import Error

bp = Blueprint("privacy", __name__, url_prefix="/api/v1")


class ConsentIn(BaseModel):
    policy_version: str = Field(min_length=1, max_length=64)


class ConsentEntry(BaseModel):
    policy_version: str
    accepted_at: str


class ConsentOut(BaseModel):
    current_version: str
    accepted_version: str | None
    needs_acceptance: bool
    history: list[ConsentEntry]


@bp.get("/me/export")
@citizen_required
@spec.validate(resp=Response(HTTP_200=None, HTTP_401=Error), tags=["privacy"], security=CITIZEN)
def export():
    return jsonify(privacy.export(g.user_id))


@bp.delete("/me")
@citizen_required
@spec.validate(resp=Response(HTTP_204=None, HTTP_401=Error), tags=["privacy"], security=CITIZEN)
def delete_me():
    privacy.erase(g.user_id)
    return "", 204


@bp.get("/me/consents")
@citizen_required
@spec.validate(resp=Response(HTTP_200=ConsentOut, HTTP_401=Error), tags=["privacy"], security=CITIZEN)
def get_consents():
    return jsonify(consent.view(settings(), users.get_user(g.user_id)))


@bp.post("/me/consents")
@citizen_required
@spec.validate(json=ConsentIn, resp=Response(HTTP_201=ConsentOut, HTTP_401=Error, HTTP_422=Error),
               tags=["privacy"], security=CITIZEN)
def post_consent(json: ConsentIn):
    return jsonify(consent.accept(settings(), g.user_id, json.policy_version)), 201
