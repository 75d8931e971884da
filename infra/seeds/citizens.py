"""A demo citizen with an account, so `make run` shows a non-empty profile at once."""
from datetime import datetime, timezone

from pynamodb.exceptions import PutError


def seed(settings) -> str:
    from core.users import user_id_for
    from infra.sim_wechat import openid_for
    from models import Account, User

    openid = openid_for("demo")  # the user behind the simulator's `test-demo` login codes
    user_id = user_id_for(openid, settings.hash_key)
    try:
        User(user_id, openid=openid, created_at=datetime.now(timezone.utc)).save(
            condition=User.user_id.does_not_exist())  # re-seeding never overwrites
        Account(user_id).save(condition=Account.user_id.does_not_exist())
        return "demo citizen created"
    except PutError:
        return "demo citizen exists"
