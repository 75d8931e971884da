"""A demo partner (shared bikes, onboarded for `bike` only) with a fixed local-only secret, and
the demo citizen linked to it as `demo-rider`, for trying partner pushes."""

from datetime import UTC, datetime

from pynamodb.exceptions import PutError

DEMO_ID, DEMO_SECRET, DEMO_REF = "p_demo_bikes", "local-demo-partner-secret", "demo-rider"


def seed(settings) -> str:
    from core.carbon.partner_admin import add_partner
    from core.citizens.users import ensure_user
    from infra.sim_wechat import openid_for
    from models.links import PartnerLink

    if settings.stage in ("dev", "prod"):
        return "skipped outside local stages"
    try:
        add_partner(
            settings,
            "演示共享单车",
            scenarios={"bike"},
            daily_cap=10_000,
            by="seed",
            fixed=(DEMO_ID, DEMO_SECRET),
        )
        state = f"partner {DEMO_ID} created"
    except PutError:
        state = f"partner {DEMO_ID} exists"
    # The demo citizen's consent, as if they had exchanged a link code in the bike app.
    demo_user, _ = ensure_user(settings, openid_for("demo"))
    try:
        PartnerLink(
            DEMO_ID, DEMO_REF, user_id=demo_user, linked_at=datetime.now(UTC).isoformat()
        ).save(condition=PartnerLink.partner_id.does_not_exist())
    except PutError:
        pass
    # ... and accepted the privacy policy in force, as the mini-program asks before a link: without
    # it every push for demo-rider would be `consent_required` (core.carbon.partners).
    from core.citizens import consent

    consent.accept(settings, demo_user, settings.privacy_policy_version)
    return state
