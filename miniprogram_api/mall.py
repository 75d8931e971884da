"""The mall and the signed-in citizen's orders."""

from flask import Blueprint, g, jsonify, request

from core.errors import InvalidRequest
from miniprogram_api.deps import citizen_required, gateways, settings
from miniprogram_api.idempotent import idempotent
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.qr import with_qr
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("mall", __name__, url_prefix="/api/v1")


class ProductQuery(Model):
    category: str | None = Field(None, max_length=40)
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, max_length=2048)


class ProductOut(Model):
    id: str
    name: str
    category: str
    price_coins: int
    price_fen: int
    stock: int
    merchant: str
    merchant_id: str
    per_user_limit: int
    valid_days: int
    fulfilment: str
    description: str | None
    image_url: str | None
    refund_note: str = Field(description="取消和退款的规则（中文；Accept-Language: en 时为英文）")
    on_sale: bool


class ProductPage(Model):
    items: list[ProductOut]
    next_cursor: str | None


class OrderIn(Model):
    product_id: str = Field(min_length=1, max_length=64)
    quantity: int = Field(1, ge=1, le=10)


class Payment(Model):
    """The parameters of wx.requestPayment, as WeChat Pay's JSAPI wants them."""

    timeStamp: str
    nonceStr: str
    package: str
    signType: str
    paySign: str


class OrderOut(Model):
    id: str
    status: str
    product_id: str
    product_name: str
    quantity: int
    coins: int
    cash_fen: int = 0
    fulfilment: str = "voucher"
    code: str | None = None
    qr_svg: str | None = None
    activation_code: str | None = None
    code_shown: bool = False
    payment: Payment | None = None
    paid_at: str | None = None
    refund_status: str | None = None
    created_at: str
    expires_at: str
    redeemed_at: str | None


class OrderQuery(Model):
    status: str | None = Field(
        None, pattern="^(pending_payment|issued|redeemed|cancelled|expired)$"
    )
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, max_length=2048)


class OrderPage(Model):
    items: list[OrderOut]
    next_cursor: str | None


@bp.get("/products")
@spec.validate(
    query=ProductQuery, resp=Response(HTTP_200=ProductPage, HTTP_422=Error), tags=["mall"]
)
def list_products(query: ProductQuery):
    from core.mall import catalogue
    from miniprogram_api.errors import language

    return jsonify(catalogue.list_products(query.category, query.limit, query.cursor, language()))


@bp.get("/products/<string:product_id>")
@spec.validate(resp=Response(HTTP_200=ProductOut, HTTP_404=Error), tags=["mall"])
def get_product(product_id: str):
    from core.mall import catalogue
    from miniprogram_api.errors import language

    return jsonify(catalogue.get_product(product_id, language()))


@bp.post("/orders")
@citizen_required
@spec.validate(
    json=OrderIn,
    resp=Response(
        HTTP_200=OrderOut,
        HTTP_201=OrderOut,
        HTTP_401=Error,
        HTTP_404=Error,
        HTTP_409=Error,
        HTTP_422=Error,
        HTTP_502=Error,
    ),
    tags=["mall"],
    security=CITIZEN,
)
def place_order(json: OrderIn):
    from core.mall import placing

    key = request.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= 64:
        raise InvalidRequest(
            "Idempotency-Key must be 1 to 64 characters.",
            zh="幂等键（Idempotency-Key）长度应为 1 到 64 个字符。",
        )
    view, created = placing.place_order(
        settings(), g.user_id, json.product_id, json.quantity, key, pay=gateways().wechatpay
    )
    return jsonify(with_qr(view)), 201 if created else 200


@bp.get("/orders")
@citizen_required
@spec.validate(
    query=OrderQuery,
    resp=Response(HTTP_200=OrderPage, HTTP_401=Error, HTTP_422=Error),
    tags=["mall"],
    security=CITIZEN,
)
def list_orders(query: OrderQuery):
    from core.mall import orders

    page = orders.list_orders(settings(), g.user_id, query.status, query.limit, query.cursor)
    return jsonify(items=[with_qr(v) for v in page["items"]], next_cursor=page["next_cursor"])


@bp.get("/orders/<string:order_id>")
@citizen_required
@spec.validate(
    resp=Response(HTTP_200=OrderOut, HTTP_401=Error, HTTP_404=Error),
    tags=["mall"],
    security=CITIZEN,
)
def get_order(order_id: str):
    from core.mall import orders
    from core.mall.order_views import order_view

    # Reading one's own order is what reveals an activation code (and makes it delivered).
    return jsonify(
        with_qr(
            order_view(
                settings(),
                orders.own_order(g.user_id, order_id),
                reveal=True,
                pay=gateways().wechatpay,
            )
        )
    )


@bp.post("/orders/<string:order_id>/cancel")
@citizen_required
@idempotent("orders/cancel")  # cancelling a cancelled order changes nothing, answers the order
@spec.validate(
    resp=Response(
        HTTP_200=OrderOut, HTTP_401=Error, HTTP_404=Error, HTTP_409=Error, HTTP_502=Error
    ),
    tags=["mall"],
    security=CITIZEN,
)
def cancel_order(order_id: str):
    from core.mall import orders

    return jsonify(
        with_qr(orders.cancel(settings(), g.user_id, order_id, pay=gateways().wechatpay))
    )
