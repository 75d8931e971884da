"""What a product may be, checked where ops hand it in (`tanpuhui product upsert FILE`). Pure.

A product file is a JSON list of products with the fields of GET /api/v1/products/{id} plus
`stock`; `merchant` (the name) is taken from the merchant record, never from the file.
Every problem of every product is reported at once, and a file with any problem writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

FULFILMENTS = ("voucher", "activation_code")
ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,47}$")
CATEGORY = re.compile(r"^[a-z][a-z_]{1,29}$")
MAX_COINS, MAX_FEN, MAX_STOCK = 1_000_000, 1_000_000, 10_000_000  # 10,000 yuan: a coupon, not a car

# What a citizen reads before buying (the product's `refund_note`), by fulfilment.
REFUND_NOTES = {
    "voucher": (
        "未核销的券可随时取消，碳币和现金原路退回；已核销的券不可退。",
        "An unredeemed voucher can be cancelled at any time: coins and cash are refunded. "
        "A redeemed voucher cannot.",
    ),
    "activation_code": (
        "激活码一经查看即视为已交付，不可取消退款；查看前可取消，碳币和现金原路退回。",
        "Once you have viewed the activation code it counts as delivered and cannot be "
        "refunded; before that the order can be cancelled and coins and cash are refunded.",
    ),
}


@dataclass(frozen=True)
class ProductSpec:
    id: str
    name: str
    category: str
    merchant_id: str
    price_coins: int
    price_fen: int
    per_user_limit: int
    valid_days: int
    fulfilment: str
    description: str
    image_url: str | None
    stock: (
        int | None
    )  # None: leave stock as it is (and always for activation_code: the pool decides)

    def fields(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k not in ("id", "stock")}


class InvalidProducts(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _int(p: dict, name: str, span: tuple[int, int], problems: list, where: str, default=None):
    low, high = span
    v = p.get(name, default)
    if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
        problems.append(f"{where}: {name} must be an integer from {low} to {high}")
        return low
    return v


def _text(
    p: dict, name: str, high: int, problems: list, where: str, required: bool = True
) -> str | None:
    v = p.get(name)
    if v is None and not required:
        return None
    if (
        not isinstance(v, str)
        or not v.strip()
        or len(v) > high
        or any(ord(c) < 32 for c in v if c != "\n")
    ):
        problems.append(f"{where}: {name} must be text of 1 to {high} characters")
        return ""
    return v.strip()


KNOWN = {
    "id",
    "name",
    "category",
    "merchant_id",
    "merchant",
    "price_coins",
    "price_fen",
    "per_user_limit",
    "valid_days",
    "fulfilment",
    "description",
    "image_url",
    "stock",
}


def parse_products(data) -> list[ProductSpec]:
    """The file's JSON -> specs, or InvalidProducts naming every problem."""
    if not isinstance(data, list) or not data:
        raise InvalidProducts(["the file must hold a non-empty JSON list of products"])
    problems, specs, seen = [], [], set()
    for i, p in enumerate(data):
        where = f"product {i + 1}"
        if not isinstance(p, dict):
            problems.append(f"{where}: must be an object")
            continue
        pid = p.get("id")
        if not isinstance(pid, str) or not ID.match(pid):
            problems.append(f"{where}: id must be 2-48 characters of a-z, 0-9, _ and -")
        else:
            where = f"product {pid}"
            if pid in seen:
                problems.append(f"{where}: listed twice")
            seen.add(pid)
        unknown = sorted(set(p) - KNOWN)
        if unknown:
            problems.append(f"{where}: unknown field(s) {', '.join(unknown)}")
        fulfilment = p.get("fulfilment", "voucher")
        if fulfilment not in FULFILMENTS:
            problems.append(f"{where}: fulfilment must be one of {', '.join(FULFILMENTS)}")
        category = p.get("category")
        if not isinstance(category, str) or not CATEGORY.match(category):
            problems.append(f"{where}: category must be 2-30 characters of a-z and _")
        image = _text(p, "image_url", 500, problems, where, required=False)
        if image is not None and not image.startswith("https://"):
            problems.append(f"{where}: image_url must be an https:// URL")
        coins = _int(p, "price_coins", (0, MAX_COINS), problems, where)
        fen = _int(p, "price_fen", (0, MAX_FEN), problems, where, default=0)
        if coins == 0 and fen == 0:
            problems.append(f"{where}: a product costs coins, cash or both")
        stock = None
        if p.get("stock") is not None:
            stock = _int(p, "stock", (0, MAX_STOCK), problems, where)
            if fulfilment == "activation_code":
                problems.append(
                    f"{where}: an activation_code product's stock is its code pool: "
                    "load codes with `tanpuhui product codes` instead of setting stock"
                )
        specs.append(
            ProductSpec(
                id=pid if isinstance(pid, str) else "",
                name=_text(p, "name", 60, problems, where) or "",
                category=category if isinstance(category, str) else "",
                merchant_id=_text(p, "merchant_id", 48, problems, where) or "",
                price_coins=coins,
                price_fen=fen,
                per_user_limit=_int(p, "per_user_limit", (1, 100), problems, where),
                valid_days=_int(p, "valid_days", (1, 3660), problems, where),
                fulfilment=fulfilment,
                description=_text(p, "description", 1000, problems, where) or "",
                image_url=image,
                stock=stock,
            )
        )
    if problems:
        raise InvalidProducts(problems)
    return specs


def changed_fields(current: dict | None, spec: ProductSpec) -> dict:
    """Field -> (old, new) for what the spec would change (every field for a new product)."""
    new = spec.fields()
    if current is None:
        return {k: (None, v) for k, v in new.items()}
    return {k: (current.get(k), v) for k, v in new.items() if current.get(k) != v}
