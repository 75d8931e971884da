"""Organisations (small and micro enterprises) and their projects.

Invariants:
- An organisation is onboarded by ops for a set of project types; its key is stored as SHA-256
  only, shown once, and refused once revoked.
- A project belongs to one organisation (conditional create: a project id is registered once)
  and has one of the organisation's types. Its owner, if any, is a citizen who made a link code
  for this organisation: the code links the project id to the citizen (core.carbon.links), so
  the owner's share of feedback reaches them, and the citizen can see and remove the link.
"""

from __future__ import annotations

import hashlib
import secrets

from pynamodb.exceptions import PutError

from core.carbon import links
from core.enterprise.certify import TYPES
from core.errors import Conflict, Forbidden, Unauthorized, Unprocessable
from core.localday import stamp as _now  # UTC storage time, one home
from core.logs import log
from models.orgs import Org, OrgKey, Project


class ProjectExists(Conflict):
    code, message = "project_exists", "A project with this id is registered already."
    message_zh = "该项目编号已登记过。"


class TypeNotAllowed(Forbidden):
    code, message = "type_not_allowed", "This organisation was not onboarded for this project type."
    message_zh = "该机构未获准登记此类项目。"


def add_org(name: str, types: list[str], by: str) -> tuple[str, str]:
    """Onboard an organisation; returns (org_id, key). The key is not stored in clear."""
    chosen = {t.strip() for t in types if t.strip()}
    unknown = sorted(chosen - set(TYPES))
    if not chosen or unknown:
        raise ValueError(f"types must be among {sorted(TYPES)}; unknown: {unknown or 'none given'}")
    org_id = "o_" + secrets.token_hex(5)
    Org(org_id, name=name, types=chosen, created_at=_now(), created_by=by).save(
        condition=Org.org_id.does_not_exist()
    )
    _, key = issue_key(org_id)
    log("org_added", org_id=org_id, types=sorted(chosen), by=by)
    return org_id, key


def issue_key(org_id: str) -> tuple[str, str]:
    Org.get(org_id)  # DoesNotExist for an unknown organisation
    key = "ok_" + secrets.token_urlsafe(24)
    key_id = "k_" + secrets.token_hex(4)
    OrgKey(
        hashlib.sha256(key.encode()).hexdigest(), key_id=key_id, org_id=org_id, created_at=_now()
    ).save(condition=OrgKey.key_hash.does_not_exist())
    return key_id, key


def authenticate(header: str | None) -> Org:
    if not header or not header.startswith("Bearer "):
        raise Unauthorized()
    try:
        key = OrgKey.get(hashlib.sha256(header[7:].strip().encode()).hexdigest())
    except OrgKey.DoesNotExist:
        raise Unauthorized() from None
    if key.revoked_at:
        raise Unauthorized("This key was revoked.", zh="该密钥已被吊销。")
    return Org.get(key.org_id)


def get_org(org_id: str) -> Org | None:
    try:
        return Org.get(org_id)
    except Org.DoesNotExist:
        return None


def register_project(
    org: Org,
    project_id: str,
    project_type: str,
    owner_link_code: str | None = None,
    capacity: str | None = None,
    location: str | None = None,
) -> dict:
    if project_type not in TYPES:
        raise Unprocessable(
            f"The type must be one of {sorted(TYPES)}.", zh=f"项目类型须为 {sorted(TYPES)} 之一。"
        )
    if project_type not in org.types:
        raise TypeNotAllowed()
    now = _now()
    project = Project(
        org.org_id,
        project_id,
        type=project_type,
        capacity=capacity,
        location=location,
        created_at=now,
        readings_seq=0,
    )
    if owner_link_code:
        project.owner_linked = now
    try:
        project.save(
            condition=Project.project_id.does_not_exist()
        )  # a project id is registered once
    except PutError:
        raise ProjectExists() from None
    owned = False
    if owner_link_code:
        try:
            links.exchange(
                org.org_id, owner_link_code, project_id
            )  # the code names the project's owner
            owned = True
        except links.LinkCodeInvalid:
            project.delete()  # nothing half-written: the org retries with a valid code
            raise
    log(
        "project_registered",
        org_id=org.org_id,
        project_id=project_id,
        type=project_type,
        owned=owned,
    )
    return project_out(project, owned)


def registered_answer(org_id: str, project_id: str) -> dict:
    """What registering the project answered (an Idempotency-Key's retry), read from it."""
    p = Project.get(org_id, project_id, consistent_read=True)
    return project_out(p, p.owner_linked is not None)


def project_out(p: Project, owned: bool) -> dict:
    return {
        "project_id": p.project_id,
        "type": p.type,
        "owned_by_citizen": owned,
        "capacity": p.capacity,
        "location": p.location,
        "created_at": links._local(p.created_at),
    }


def get_project(org_id: str, project_id: str) -> Project | None:
    try:
        return Project.get(org_id, project_id, consistent_read=True)
    except Project.DoesNotExist:
        return None


def owner_of(org_id: str, project_id: str) -> str | None:
    """The citizen who owns a project now (None: nobody linked, or they removed the link)."""
    return links.resolve(org_id, project_id)
