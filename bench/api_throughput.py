"""Requests/s of the real app's GET /api/v1/coins against a bare Flask route doing one
GetItem on the same serialised endpoint, measured in one run, as a ratio (bare / app:
how many times more a do-nothing-else route serves). Both run in this process on
werkzeug's threaded server, so the ratio isolates what the app adds per request.

The two are driven in alternating half-second slices (ROUNDS pairs), not one after the other:
on a shared machine the load drifts over seconds, and a drift between two long runs moved
the ratio by ±0.15; alternating spreads it over both routes alike."""

from __future__ import annotations

import sys
from datetime import UTC

from bench.harness import drive, local_endpoint

PATH = "/api/v1/coins"


def _bare_app(settings):
    from flask import Flask, jsonify

    from gateways import aws_client

    app = Flask("bare")
    ddb = aws_client("dynamodb", settings)
    table = settings.table_name("accounts")

    @app.get("/bare/<user_id>")
    def bare(user_id):
        item = ddb.get_item(TableName=table, Key={"user_id": {"S": user_id}}).get("Item", {})
        return jsonify(balance=int(item.get("balance", {}).get("N", "0")))

    return app


SLICE = 0.5  # seconds of one route before the other gets its turn


def measure(seconds: float = 5.0, clients: int = 4) -> dict:
    from core.books import ledger
    from infra.servers import ThreadedServer
    from miniprogram_api import create_app
    from tests.support.stack import free_port

    with local_endpoint("bench-api") as (settings, endpoint):
        import time

        from core.citizens import tokens

        ledger.post(ledger.Movement("u_bench", "adj#1", 100, "adjustment", ref="bench"))
        from datetime import datetime

        from models import User

        User("u_bench", openid="o-bench", created_at=datetime.now(UTC)).save()
        token = tokens.issue(settings.token_secret, "u_bench", int(time.time()), 3600)
        app = ThreadedServer(create_app(settings), port=free_port()).start()
        bare = ThreadedServer(_bare_app(settings), port=free_port()).start()
        path = PATH if _exists(app.port, PATH, token) else "/api/v1/me"
        try:
            h = {"Authorization": f"Bearer {token}"}
            drive(app.port, path, h, clients, 0.5)  # warm both
            drive(bare.port, "/bare/u_bench", {}, clients, 0.5)
            pairs = [
                (
                    drive(app.port, path, h, clients, SLICE),
                    drive(bare.port, "/bare/u_bench", {}, clients, SLICE),
                )
                for _ in range(max(1, round(seconds / SLICE)))
            ]
        finally:
            app.stop()
            bare.stop()
    app_rps, bare_rps = (sum(p[i] for p in pairs) / len(pairs) for i in (0, 1))
    return {
        "path": path,
        "app_rps": round(app_rps, 1),
        "bare_rps": round(bare_rps, 1),
        "ratio": round(bare_rps / app_rps, 2),
        "slices": len(pairs),
    }


def _exists(port, path, token) -> bool:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    return conn.getresponse().status == 200


if __name__ == "__main__":
    r = measure(float(sys.argv[1]) if len(sys.argv) > 1 else 5.0)
    print(
        f"api throughput: GET {r['path']} {r['app_rps']} req/s; bare Flask + one GetItem {r['bare_rps']} req/s; "
        f"ratio bare/app {r['ratio']} (app = {round(1 / r['ratio'], 2)} x bare; {r['slices']} alternating pairs)"
    )


def rows(r: dict) -> list[tuple[str, str, str]]:
    return [
        (
            f"GET {r['path']} req/s vs bare Flask GetItem (bare/app)",
            f"{r['ratio']} ({r['app_rps']} vs {r['bare_rps']} req/s, {r['slices']} alternating pairs)",
            "app >= 0.9 x bare (bare/app <= 1.11)",
        )
    ]
