"""The city's merchants and the partners a citizen can link (商户与合作方目录)."""

from flask import Blueprint, jsonify

from miniprogram_api.openapi import Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("directory", __name__, url_prefix="/api/v1")


class MerchantQuery(Model):
    category: str | None = Field(
        None,
        pattern="^(retail|services|tourism)?$",
        description="retail（零售）| services（服务）| tourism（文旅）；不传或为空：全部类别",
    )
    district: str | None = Field(
        None, max_length=8, description="广州市的区，如 天河区；不传或为空：全部区"
    )
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, max_length=2048)


class MerchantOut(Model):
    id: str
    name: str
    category: str
    district: str
    address: str
    products: int = Field(description="在售商品数")


class MerchantPage(Model):
    items: list[MerchantOut]
    next_cursor: str | None


class PartnerOut(Model):
    id: str
    name: str
    scenarios: list[str]


class PartnerQuery(Model):
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, max_length=2048)


class PartnerList(Model):
    items: list[PartnerOut]
    next_cursor: str | None


@bp.get("/merchants")
@spec.validate(
    query=MerchantQuery, resp=Response(HTTP_200=MerchantPage, HTTP_422=Error), tags=["mall"]
)
def list_merchants(query: MerchantQuery):
    """商户目录：按类别、行政区浏览参与碳普惠的商户

    列出广州参与碳普惠的零售、服务、文旅商户（名称、类别、行政区、地址、在售商品数），可按
    `category`（retail、services、tourism）和 `district`（广州 11 个区之一，中文，如“天河区”）筛选，
    分页（`limit`、`cursor`）。未知的区返回 422。无需登录。"""
    from core.errors import Unprocessable
    from core.mall import directory
    from core.mall.merchant_rules import DISTRICTS

    # API.md spells the path `?category=&district=`: a filter left empty filters nothing.
    category, district = query.category or None, query.district or None
    if district is not None and district not in DISTRICTS:
        raise Unprocessable(
            "district must be one of Guangzhou's 11 districts.",
            zh="区名无效，应为广州市 11 个区之一（如“天河区”）。",
        )
    return jsonify(directory.merchants(category, district, query.limit, query.cursor))


@bp.get("/partners")
@spec.validate(
    query=PartnerQuery,
    resp=Response(HTTP_200=PartnerList, HTTP_422=Error),
    tags=["partners"],
)
def list_partners(query: PartnerQuery):
    """可关联的合作方：每个合作方及其上报的场景

    列出市民可以关联账号的数据合作方（如共享单车、回收平台）及每个合作方上报的低碳场景代码，
    关联页据此展示，无需手工输入合作方编号。按 id 排序分页（`limit` 默认 20、至多 100，`cursor`）。无需登录。"""
    from core.carbon import partner_directory

    return jsonify(partner_directory.partners(query.limit, query.cursor))
