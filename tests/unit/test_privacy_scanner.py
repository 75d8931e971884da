import json

import pytest

from tests.support.privacy import find_leaks


def line(**fields):
    return json.dumps({"ts": 1795559836.374, "event": "x", **fields})


@pytest.mark.parametrize(
    "leak",
    [
        "oAbCdEfGhIjKlMnOpQrStUvWxYz1",
        "13800001234",
        "5100001234567890",
        "0123456789",
        "q83vEjLwDpRWw9zFpqrx1A==",
        "v1.eyJzdWIiOiJ1XzEifQ.P6bl5pQwNTrTddcIxqGUn9lUOpr0xz",
        "Bearer abc",
        "mk_demo_m_demo_13_local",
        "mk_3q2-7Xb_HQ9pLwK1vZt0aRcYdEfGhIjK",
    ],
)
def test_scanner__secret_in_a_value__found(leak):
    assert find_leaks([line(note=f"x {leak} y")])


def test_scanner__ordinary_line__clean():
    ok = line(
        request_id="3414998332a347ce9b9af8c8fe47fc48",
        user="ed31bca706f1",
        latency_ms=12.5,
        route="/api/v1/cards/<card_id>",
        date="2026-11-23",
        expires_at=1795559836,
        masked="51****3456",
        note="demo merchant keys mk_demo_<merchant id>_local",
    )
    assert find_leaks([ok]) == []


def test_scanner__not_json__reported():
    assert find_leaks(["127.0.0.1 - - GET /healthz"]) == [
        "line 1 is not JSON: '127.0.0.1 - - GET /healthz'"
    ]
