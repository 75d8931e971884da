"""What views need from the app's services (bootstrap.Services): settings, gateways, the
methodology registry, the signed-in user."""

from functools import wraps

from flask import current_app, g, request


def settings():
    return current_app.extensions["tanpuhui"].settings


def gateways():
    return current_app.extensions["tanpuhui"].gateways


def registry():
    return current_app.extensions["tanpuhui"].registry()


def citizen_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        from core.citizens import users

        g.user_id = users.authenticate(settings(), request.headers.get("Authorization"))
        return view(*args, **kwargs)

    return wrapper


def citizen_token(view):
    """The token's signature and expiry only (no read): g.user_id and g.token_gen. For a view that
    reads the user in its own single request and checks the generation there
    (core.citizens.users.check_generation), as GET /api/v1/coins does: a revoked token or a
    deleted user is still refused, by that check."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        from core.citizens import users

        g.user_id, g.token_gen = users.verify_token(
            settings(), request.headers.get("Authorization")
        )
        return view(*args, **kwargs)

    return wrapper
