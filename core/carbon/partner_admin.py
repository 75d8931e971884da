"""Onboarding data partners: the scenarios each may push, its daily cap, its signing secrets.

Invariants:
- A partner pushes only the scenarios it was onboarded for (behaviour scenarios of the registry).
- At most two secrets are valid at once: the current one and, after a rotation, the previous
  one until it is retired, so a partner swaps secrets without a moment of refused pushes.
  Secrets are stored sealed (core.secretbox), never in clear; each is shown once.
- The daily cap counts records accepted per partner and local day of behaviour with one
  conditional ADD (never more than the cap, whatever runs at once); duplicates give room back.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import UpdateError

from core import secretbox
from core.carbon import partner_directory
from core.localday import stamp as _now  # UTC storage time, one home
from core.logs import log
from models.partners import Partner
from models.rate_limits import RateWindow

DEFAULT_DAILY_CAP = 100_000


def check_scenarios(scenarios, registry) -> set[str]:
    chosen = {s.strip() for s in scenarios if s.strip()}
    behaviours = {
        m.code for m in registry.versions if getattr(m, "scope", "behaviour") == "behaviour"
    }
    unknown = sorted(chosen - behaviours)
    if not chosen or unknown:
        raise ValueError(
            f"scenarios must be behaviour scenarios of the registry; unknown: {unknown or 'none given'}"
        )
    return chosen


def add_partner(
    settings,
    name: str,
    scenarios=("bike",),
    daily_cap: int = DEFAULT_DAILY_CAP,
    by: str = "-",
    fixed: tuple[str, str] | None = None,
) -> tuple[str, str]:
    """A new partner: (its id, its secret), both random unless `fixed` gives them (the demo seed)."""
    partner_id, secret = fixed or ("p_" + secrets.token_hex(6), secrets.token_urlsafe(32))
    Partner(
        partner_id,
        name=name,
        secret_enc=secretbox.seal(settings, "partner", secret),
        scenarios=set(scenarios),
        daily_cap=int(daily_cap),
        created_at=_now(),
    ).save(condition=Partner.partner_id.does_not_exist())
    partner_directory.list_row(partner_id, name, scenarios)
    log(
        "partner_added",
        partner_id=partner_id,
        scenarios=sorted(scenarios),
        daily_cap=int(daily_cap),
        by=by,
    )
    return partner_id, secret


def rotate_secret(settings, partner_id: str, by: str = "-") -> str:
    """A new current secret; the old current one stays valid (as previous) until retired."""
    p = Partner.get(partner_id)
    secret = secrets.token_urlsafe(32)
    p.update(
        actions=[
            Partner.previous_secret_enc.set(p.secret_enc),
            Partner.secret_enc.set(secretbox.seal(settings, "partner", secret)),
        ],
        condition=Partner.secret_enc == p.secret_enc,
    )  # two rotations at once: one wins, none is lost
    log("partner_secret_rotated", partner_id=partner_id, by=by)
    return secret


def retire_previous_secret(partner_id: str, by: str = "-") -> None:
    Partner(partner_id).update(
        actions=[Partner.previous_secret_enc.remove()], condition=Partner.partner_id.exists()
    )
    log("partner_secret_retired", partner_id=partner_id, by=by)


def set_scope(
    partner_id: str, scenarios: set[str] | None, daily_cap: int | None, by: str = "-"
) -> None:
    actions = []
    if scenarios:
        actions.append(Partner.scenarios.set(scenarios))
    if daily_cap is not None:
        actions.append(Partner.daily_cap.set(int(daily_cap)))
    p = Partner(partner_id)
    p.update(
        actions=actions, condition=Partner.partner_id.exists()
    )  # the update returns the whole item
    partner_directory.list_row(partner_id, p.name, p.scenarios)
    log(
        "partner_scope_changed",
        partner_id=partner_id,
        scenarios=sorted(scenarios or []),
        daily_cap=daily_cap,
        by=by,
    )


def _counter(partner_id: str, day: str) -> RateWindow:
    return RateWindow(f"partner_day#{partner_id}#{day}")


def reserve(partner: Partner, day: str, wanted: int) -> int:
    """Take up to `wanted` units of the partner's cap for `day`; returns how many were granted."""
    cap = int(partner.daily_cap if partner.daily_cap is not None else DEFAULT_DAILY_CAP)
    expires = datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(days=10)
    item = _counter(partner.partner_id, day)
    n = wanted
    while n > 0:
        try:
            # hits + n <= cap, written as hits <= cap - n: the cap holds under concurrent pushes.
            item.update(
                actions=[RateWindow.hits.add(n), RateWindow.ttl.set(expires)],
                condition=RateWindow.hits.does_not_exist() | (RateWindow.hits <= cap - n),
            )
            return n
        except UpdateError:
            try:
                used = int(RateWindow.get(item.key, consistent_read=True).hits)
            except RateWindow.DoesNotExist:
                used = 0
            n = min(n - 1, cap - used)
    return 0


def release(partner: Partner, day: str, n: int) -> None:
    if n > 0:
        _counter(partner.partner_id, day).update(actions=[RateWindow.hits.add(-n)])
