"""Published methodology versions in DynamoDB on top of the shipped defaults.

Invariant: a (code, version) is published once (attribute_not_exists) and never changed,
so a settled day can always be re-explained by the version named in its ledger entry.
"""
from __future__ import annotations

from datetime import datetime, timezone

from pynamodb.exceptions import PutError

from core.errors import Conflict
from core.carbon.methodologies import DEFAULTS, Methodology, Registry
from models.methodologies import PublishedMethodology


class VersionExists(Conflict):
    code = "version_exists"
    message = "That methodology version is published already."
    message_zh = "该方法学版本已发布。"


def load_registry() -> Registry:
    published = [Methodology.from_dict(p.data) for p in PublishedMethodology.scan()]
    return Registry(DEFAULTS + tuple(published))


def publish(m: Methodology) -> Methodology:
    load_registry().publish(m)  # validates: known scenario, new version
    try:
        # Published versions are immutable: re-publishing a version is refused, not overwritten.
        PublishedMethodology(m.code, m.version, data=m.to_dict(),
                             published_at=datetime.now(timezone.utc).isoformat()).save(
            condition=PublishedMethodology.code.does_not_exist())
    except PutError as e:
        raise VersionExists() from e
    return m
