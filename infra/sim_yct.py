"""Yangchengtong gateway simulator: checks the channel signature like the real gateway;
every 10-digit card is known except those beginning with 9."""

from flask import Flask, jsonify, request

from gateways.yct import sign

SIMULATOR = ("yct", "yct_port", "yct_api_base")


def create(settings) -> Flask:
    app = Flask("yct_sim")

    @app.post("/gateway/card/verify")
    def verify():
        body = request.get_data()
        if request.headers.get("X-Channel") != settings.yct_channel or request.headers.get(
            "X-Signature"
        ) != sign(settings.yct_key, body):
            return jsonify(code="SIGN_ERROR", message="signature check failed"), 401
        card = (request.get_json(silent=True) or {}).get("card_no", "")
        printed = card[6:] if card.startswith("510000") else ""
        exists = len(printed) == 10 and printed.isdigit() and not printed.startswith("9")
        return jsonify(code="OK", exists=exists)

    return app
