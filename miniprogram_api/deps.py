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
