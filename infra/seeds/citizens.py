"""A demo citizen with an account and a demo grant of coins, so `make run` shows a non-empty
profile at once and `make demo` can buy something before any settlement has run."""

from pynamodb.exceptions import PutError

DEMO_GRANT = 300  # coins: enough for a few vouchers in the demo mall


def seed(settings) -> str:
    from core.citizens.users import ensure_user
    from infra.sim_wechat import openid_for
    from models import Account

    # The user behind the simulator's `test-demo` login codes; re-seeding finds it again.
    user_id, made = ensure_user(settings, openid_for("demo"))
    try:
        Account(user_id).save(condition=Account.user_id.does_not_exist())
    except PutError:
        pass
    state = "demo citizen created" if made else "demo citizen exists"
    # An ordinary ledger adjustment with a fixed id: visible in the citizen's ledger, posted once.
    from core.books import ledger

    ledger.post(
        ledger.Movement(
            user_id,
            "adjust#demo-welcome",
            DEMO_GRANT,
            "adjustment",
            ref="demo grant",
            detail={"reason": "演示账户初始碳币 (demo grant)"},
            totals={"earned_total": DEMO_GRANT},
        )
    )
    return state
