"""A demo partner (shared bikes) with a fixed local-only secret, for trying partner pushes."""
from pynamodb.exceptions import PutError

DEMO_ID, DEMO_SECRET = "p_demo_bikes", "local-demo-partner-secret"


def seed(settings) -> str:
    from core.carbon.partners import add_partner

    if settings.stage in ("dev", "prod"):
        return "skipped outside local stages"
    try:
        add_partner(settings, "演示共享单车", DEMO_ID, DEMO_SECRET)
        return f"partner {DEMO_ID} created"
    except PutError:
        return f"partner {DEMO_ID} exists"
