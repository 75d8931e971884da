"""Hostile Idempotency-Key values on mutations (miniprogram_api/idempotent.py): any text a
header could be handed, surrogates included, of 0 to 200 characters, is a key (1-64 characters
that text can be stored as), or 400 `invalid_request`; never a 5xx."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.mall import make_shop

pytestmark = pytest.mark.usefixtures("yct_sim")

# Any code point, lone surrogates included (the test client hands them to the app as they are); a
# header line cannot hold a line break (the test client refuses one, as HTTP does).
KEYS = st.text(
    alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=()),
    max_size=200,
)


def test_any_key_on_citizen_and_merchant_mutations__never_5xx(client, citizen):
    shop = make_shop()
    who = {"Authorization": citizen["Authorization"]}
    routes = [
        ("/api/v1/appeals", "POST", {"date": "2020-01-01", "note": "x"}, who, {400, 409, 422}),
        ("/api/v1/cards/c_none", "DELETE", None, who, {400, 404, 409}),
        ("/api/v1/partner-links", "POST", {"partner_id": "p_none"}, who, {400, 404, 409}),
        ("/merchant/v1/redemptions", "POST", {"code": "ZZZZ"}, shop["auth"], {400, 404, 409, 429}),
    ]

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(key=KEYS, route=st.sampled_from(routes))
    def each(key, route):
        path, method, body, headers, allowed = route
        r = client.open(path, method=method, json=body, headers={**headers, "Idempotency-Key": key})
        assert r.status_code in allowed, (key, path, r.status_code, r.get_data()[:200])
        if key and not 1 <= len(key) <= 64:
            assert r.status_code == 400 and r.json["error"]["code"] == "invalid_request"

    each()
