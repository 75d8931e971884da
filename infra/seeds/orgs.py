"""A demo organisation (household PV installer) with a fixed local-only key, for trying the org API."""

import hashlib
from datetime import UTC, datetime

from pynamodb.exceptions import PutError

DEMO_ORG, DEMO_ORG_KEY = "o_demo_solar", "ok_local-demo-org-key"


def seed(settings) -> str:
    from models.orgs import Org, OrgKey

    if settings.stage in ("dev", "prod"):
        return "skipped outside local stages"
    now = datetime.now(UTC).isoformat()
    try:
        Org(
            DEMO_ORG,
            name="演示光伏安装公司",
            types={"pv", "heat_pump"},
            created_at=now,
            created_by="seed",
        ).save(condition=Org.org_id.does_not_exist())
        OrgKey(
            hashlib.sha256(DEMO_ORG_KEY.encode()).hexdigest(),
            key_id="k_demo",
            org_id=DEMO_ORG,
            created_at=now,
        ).save(condition=OrgKey.key_hash.does_not_exist())
        return f"organisation {DEMO_ORG} created"
    except PutError:
        return f"organisation {DEMO_ORG} exists"
