"""Consent to the privacy policy: which version a citizen accepted, and when.

Invariants:
- Every acceptance is kept (`consents`, oldest first) and exported; `policy_version` is the
  latest accepted. Accepting is idempotent per version (a double tap records one acceptance).
- Only the version in force (settings.privacy_policy_version) can be accepted; after a new
  version is published, `needs_acceptance` is true until the citizen accepts it, and partners'
  records earn them nothing meanwhile (checked at the push: core.carbon.partners).
"""

from __future__ import annotations

from pynamodb.exceptions import UpdateError

from core import localday
from core.errors import Unauthorized, Unprocessable
from models import User


class PolicyVersionUnknown(Unprocessable):
    code = "policy_version_unknown"
    message = "This is not the privacy policy in force; reload it and accept the current version."
    message_zh = "隐私政策版本不是当前版本，请刷新后阅读并同意最新版本。"


def history(user: User) -> list[dict]:
    return [
        {"policy_version": c["policy_version"], "accepted_at": localday.local_iso(c["accepted_at"])}
        for c in (user.consents or [])
    ]


def view(settings, user: User) -> dict:
    return {
        "current_version": settings.privacy_policy_version,
        "accepted_version": user.policy_version,
        "needs_acceptance": user.policy_version != settings.privacy_policy_version,
        "history": history(user),
    }


def accept(settings, user_id: str, version: str) -> dict:
    if version != settings.privacy_policy_version:
        raise PolicyVersionUnknown()
    entry = {"policy_version": version, "accepted_at": localday.stamp()}
    try:
        # Not accepted yet (a repeat is a no-op), and the user still exists (a deleted one is not revived).
        User(user_id).update(
            actions=[
                User.policy_version.set(version),
                User.consents.set((User.consents | []).append([entry])),
            ],
            condition=User.user_id.exists()
            & (User.policy_version.does_not_exist() | (User.policy_version != version)),
        )
    except UpdateError as e:
        if e.cause_response_code != "ConditionalCheckFailedException":
            raise
    try:
        return view(settings, User.get(user_id, consistent_read=True))
    except User.DoesNotExist:
        raise Unauthorized() from None
