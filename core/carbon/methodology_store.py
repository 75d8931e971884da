"""Published methodology versions, coin rates and shared parameter versions in DynamoDB on top
of the shipped defaults (one table: a parameter's versions under the code `_param:<name>`).

Invariants: a (code, version) is published once (attribute_not_exists) and never changed, so
a settled day can always be re-explained by the version named in its ledger entry; a version
is refused unless its factor is > 0, it names a source and it takes effect after today
(core.carbon.methodologies.check_publication, core.carbon.parameters.check_parameter for a
parameter): a settled day is never re-priced. Who published it is recorded with it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.exceptions import PutError

from core.carbon.defaults import DEFAULTS, PARAMETERS
from core.carbon.methodologies import CoinRate, Methodology, Registry, check_publication
from core.carbon.parameters import Parameter, check_parameter
from core.errors import Conflict, Unprocessable
from models.methodologies import PublishedMethodology

RATE = "_coin_rate"  # the code coin-rate versions are stored under
PARAM = "_param:"  # + the parameter's name: the code its versions are stored under


class VersionExists(Conflict):
    code = "version_exists"
    message = "That methodology version is published already."
    message_zh = "该方法学版本已发布。"


class PublicationRefused(Unprocessable):
    code = "publication_refused"
    message = "This methodology version cannot be published."
    message_zh = "该方法学版本不能发布。"


def load_registry() -> Registry:
    items = list(PublishedMethodology.scan())
    published = [
        Methodology.from_dict(p.data)
        for p in items
        if p.code != RATE and not p.code.startswith(PARAM)
    ]
    rates = [CoinRate(**p.data) for p in items if p.code == RATE]
    parameters = [Parameter.from_dict(p.data) for p in items if p.code.startswith(PARAM)]
    return Registry(DEFAULTS + tuple(published), rates, parameters=PARAMETERS + tuple(parameters))


def _store(code: str, version: str, data: dict, by: str) -> None:
    try:
        # Published versions are immutable: re-publishing a version is refused, not overwritten.
        PublishedMethodology(
            code, version, data=data, published_at=datetime.now(UTC).isoformat(), published_by=by
        ).save(condition=PublishedMethodology.code.does_not_exist())
    except PutError as e:
        raise VersionExists() from e


def _refuse_unless_valid(m, today: str, by: str) -> None:
    problems = check_publication(m, today)
    if not (by or "").strip():
        problems.append("who publishes it (--by) is required")
    if problems:
        raise PublicationRefused("; ".join(problems), zh="该版本不能发布：" + "；".join(problems))


def publish(m: Methodology, today: str, by: str) -> Methodology:
    _refuse_unless_valid(m, today, by)
    try:
        load_registry().publish(m)  # known scenario, new version
    except ValueError as e:
        raise (
            VersionExists() if "exists" in str(e) else PublicationRefused(str(e), zh="未知的场景。")
        ) from e
    _store(m.code, m.version, m.to_dict(), by)
    return m


def publish_rate(rate: CoinRate, today: str, by: str) -> CoinRate:
    _refuse_unless_valid(rate, today, by)
    _store(
        RATE,
        rate.version,
        {
            "version": rate.version,
            "effective_from": rate.effective_from,
            "grams_per_coin": int(rate.grams_per_coin),
            "source": rate.source,
        },
        by,
    )
    return rate


class ParameterRefused(Unprocessable):
    code = "publication_refused"
    message = "This parameter version cannot be published."
    message_zh = "该参数版本不能发布。"


def publish_parameter(p: Parameter, today: str, by: str) -> Parameter:
    """Guarded like a methodology: a value > 0, a source, an effective date after today, a known
    parameter, a new version; every scenario that refers to it changes from that date only."""
    problems = check_parameter(p, today, load_registry().parameters)
    if not (by or "").strip():
        problems.append("who publishes it (--by) is required")
    if problems:
        if any("exists already" in x for x in problems) and len(problems) == 1:
            raise VersionExists(
                "That parameter version is published already.", zh="该参数版本已发布。"
            )
        raise ParameterRefused("; ".join(problems), zh="该参数版本不能发布：" + "；".join(problems))
    _store(PARAM + p.name, p.version, p.to_dict(), by)
    return p
