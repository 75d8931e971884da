"""A demo citizen with an account and a demo grant of coins, so `make run` shows a non-empty
profile at once and `make demo` can buy something before any settlement has run."""
from datetime import datetime, timezone

from pynamodb.exceptions import PutError

DEMO_GRANT = 300  # coins: enough for a few vouchers in the demo mall


def seed(settings) -> str:
    from core.citizens.users import user_id_for
    from infra.sim_wechat import openid_for
    from models import Account, User

    openid = openid_for("demo")  # the user behind the simulator's `test-demo` login codes
    user_id = user_id_for(openid, settings.hash_key)
    try:
        User(user_id, openid=openid, created_at=datetime.now(timezone.utc)).save(
            condition=User.user_id.does_not_exist())  # re-seeding never overwrites
        Account(user_id).save(condition=Account.user_id.does_not_exist())
        state = "demo citizen created"
    except PutError:
        state = "demo citizen exists"
    # An ordinary ledger adjustment with a fixed id: visible in the citizen's ledger, posted once.
    from core.books import ledger

    ledger.post(ledger.Movement(user_id, "adjust#demo-welcome", DEMO_GRANT, "adjustment", ref="demo grant",
                                detail={"reason": "演示账户初始碳币 (demo grant)"},
                                totals={"earned_total": DEMO_GRANT}))
    return state
