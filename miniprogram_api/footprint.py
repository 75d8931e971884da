"""The citizen's carbon footprint for a year (个人碳足迹)."""
from flask import Blueprint, g, jsonify

from core import localday
from miniprogram_api.deps import citizen_required
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("footprint", __name__, url_prefix="/api/v1")


class FootprintQuery(Model):
    year: str | None = Field(None, max_length=8, description="YYYY; this year (Asia/Shanghai) when absent")


class Month(Model):
    month: str
    grams: int
    by_scenario: dict[str, int]


class TreesFactor(Model):
    grams_per_tree_year: int
    source: str


class FootprintOut(Model):
    year: int
    total_grams: int
    coins_earned: int
    trees_equivalent: float
    trees_factor: TreesFactor
    months: list[Month]
    percentile: int | None = Field(description="share (0-100) of the city's active citizens this year with fewer grams")


@bp.get("/footprint")
@citizen_required
@spec.validate(query=FootprintQuery, resp=Response(HTTP_200=FootprintOut, HTTP_401=Error, HTTP_422=Error),
               tags=["coins"], security=CITIZEN)
def get_footprint(query: FootprintQuery):
    """The caller's carbon footprint for a year (个人碳足迹): grams per month and scenario, coins
    earned, trees equivalent (with the factor's source) and the percentile among the city's active
    citizens this year. Read from roll-ups settlement maintains: no Scan."""
    from core.carbon.scenario_text import source_text
    from miniprogram_api.errors import language

    from core.carbon import footprint

    today = localday.today()
    out = footprint.footprint(g.user_id, footprint.valid_year(query.year, today), today)
    out["trees_factor"]["source"] = source_text(out["trees_factor"]["source"], language())  # Chinese by default
    return jsonify(out)
