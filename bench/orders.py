"""DynamoDB requests per order (POST /api/v1/orders) and per redemption
(POST /merchant/v1/redemptions) in a warm container: the first call of each warms the
clients and the merchant key cache and is not counted; the next REPEAT are averaged.
Counted with botocore before-call hooks (bench.requests_per_endpoint). Goal <= 2 each:
an order is one TransactGetItems + one TransactWriteItems; a redemption is the code's
GetItem + one TransactWriteItems (which also checks the key's failure window)."""

from __future__ import annotations

from bench.requests_per_endpoint import CallCounter, count_requests, session

REPEAT = 5
CALLS = [
    ("order", "POST", "/api/v1/orders", lambda s: {"product_id": s.shop["product_id"]}),
    ("redemption", "POST", "/merchant/v1/redemptions", lambda s: {"code": s.order()["code"]}),
]


def measure() -> dict:
    out = {}
    with session() as sess:
        counter = CallCounter()
        for name, method, path, body in CALLS:
            calls = count_requests(sess, counter, method, path, body, repeat=REPEAT)
            out[name] = {"calls": sum(calls.values()), "ops": dict(calls)}
    return out


def rows(r: dict) -> list[tuple[str, str, str]]:
    return [
        (
            f"DynamoDB requests per {name} (warm, mean of {REPEAT})",
            f"{v['calls']:g} ({', '.join(f'{k} {n:g}' for k, n in v['ops'].items())})",
            "<= 2",
        )
        for name, v in r.items()
    ]


if __name__ == "__main__":
    for row in rows(measure()):
        print(" | ".join(row))
