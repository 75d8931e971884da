"""Login and the signed-in citizen's profile."""

from flask import Blueprint, g, jsonify, request

from miniprogram_api.deps import citizen_required, gateways, settings
from miniprogram_api.idempotent import idempotent
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("auth", __name__, url_prefix="/api/v1")


class LoginIn(Model):
    code: str = Field(min_length=1, max_length=128, description="wx.login code")


class LoginUser(Model):
    id: str
    phone_bound: bool
    cards: int


class LoginOut(Model):
    token: str
    expires_in: int
    user: LoginUser


class MeOut(Model):
    id: str
    phone: str | None
    cards: int
    balance: int
    created_at: str


class PhoneIn(Model):
    code: str = Field(min_length=1, max_length=128, description="getPhoneNumber code")


class PhoneOut(Model):
    phone: str


@bp.post("/auth/login")
@spec.validate(
    json=LoginIn,
    resp=Response(HTTP_200=LoginOut, HTTP_401=Error, HTTP_422=Error, HTTP_429=Error),
    tags=["auth"],
)
def login(json: LoginIn):
    from core import ratelimit
    from core.citizens import users

    s = settings()
    ratelimit.hit("login", request.remote_addr or "-", s.login_limit_per_minute, 60)
    result = users.login(s, gateways().wechat, json.code)
    g.user_id = result["user"]["id"]
    return jsonify(result)


@bp.post("/auth/logout_all")
@citizen_required
@spec.validate(resp=Response("HTTP_204", HTTP_401=Error), tags=["auth"], security=CITIZEN)
def logout_all():
    """Sign out on every device: every token issued to the caller so far is refused (401) from
    now on, on every container. A new login issues a token that works."""
    from core.citizens import users

    users.revoke_tokens(g.user_id)
    return "", 204


@bp.get("/me")
@citizen_required
@spec.validate(resp=Response(HTTP_200=MeOut, HTTP_401=Error), tags=["auth"], security=CITIZEN)
def me():
    from core.citizens import users

    return jsonify(users.profile(g.user_id))


def _phone(_ref) -> dict:
    from core.citizens import phone

    return phone.bound_answer(g.user_id)


@bp.post("/me/phone")
@citizen_required
@idempotent("me/phone", replay=_phone)
@spec.validate(
    json=PhoneIn,
    resp=Response(HTTP_200=PhoneOut, HTTP_401=Error, HTTP_409=Error, HTTP_422=Error),
    tags=["auth"],
    security=CITIZEN,
)
def bind_phone(json: PhoneIn):
    """A code WeChat rejects → 422 `phone_code_invalid` (the citizen stays signed in);
    a number bound to another account → 409 `phone_taken`."""
    from core.citizens import phone

    return jsonify(phone.bind(settings(), gateways().wechat, g.user_id, json.code))
