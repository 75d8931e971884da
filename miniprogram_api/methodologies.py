"""The public methodology page, /methodologies (API.md): 公示 of every scenario, no login."""

from flask import Blueprint

from miniprogram_api.deps import registry, settings

bp = Blueprint("methodologies", __name__)

SECONDS = 300  # a page may be cached this long: a new version only takes effect after today


@bp.get("/methodologies")
def page():
    """方法学公示页（HTML）"""
    from core import localday
    from core.carbon.listing import parameters, scenarios
    from core.carbon.settlement import requires_evidence
    from miniprogram_api import methodology_page

    s, reg, today = settings(), registry(), localday.today()
    need = requires_evidence(s)
    response = methodology_page.render(
        scenarios(reg, today, need, s.stage, "zh"),
        scenarios(reg, today, need, s.stage, "zh", scope="project"),
        parameters(reg, today, "zh"),
        today,
        s.stage,
    )
    response.headers["Cache-Control"] = f"public, max-age={SECONDS}"
    return response
