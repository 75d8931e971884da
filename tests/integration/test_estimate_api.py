"""POST/GET /api/v1/footprint/estimate over the app: sources per part, saved only when asked,
and any JSON value in any field is a 4xx or a 200, never a 5xx."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.estimates import SavedEstimate

FIELDS = [
    "household_kwh_month",
    "household_size",
    "gas_m3_month",
    "car_km_week",
    "car_fuel",
    "flights",
    "diet",
    "clothes_items_year",
    "electronics_items_year",
    "save",
]
ANSWERS = {
    "household_kwh_month": 300,
    "household_size": 3,
    "gas_m3_month": 15,
    "car_km_week": 100,
    "car_fuel": "petrol",
    "flights": {"short": 2},
    "diet": "average",
    "clothes_items_year": 10,
    "electronics_items_year": 1,
}
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _auth(citizen):
    return {"Authorization": citizen["Authorization"]}


def test_estimate__parts_sum_with_sources__unsaved_not_stored(client, citizen):
    r = client.post("/api/v1/footprint/estimate", json=ANSWERS, headers=_auth(citizen))
    assert r.status_code == 200, r.json
    body = r.json
    assert body["total_kg"] == sum(p["kg"] for p in body["parts"]) == 3444
    assert all(p["source"] and p["unit"] and p["evidence"] for p in body["parts"])
    assert body["city_per_capita_kg"] > 0 and body["city_source"] and body["saved_at"] is None
    assert body["suggestions"] and all(s["coins_year"] >= 0 for s in body["suggestions"])
    assert list(SavedEstimate.scan()) == []
    assert client.get("/api/v1/footprint/estimate", headers=_auth(citizen)).status_code == 404


def test_estimate__save__kept_and_read_back(client, citizen):
    saved = client.post(
        "/api/v1/footprint/estimate", json={**ANSWERS, "save": True}, headers=_auth(citizen)
    ).json
    assert saved["saved_at"]
    back = client.get("/api/v1/footprint/estimate", headers=_auth(citizen)).json
    assert back["total_kg"] == saved["total_kg"] and back["answers"]["household_size"] == 3


def test_estimate__bounds__422(client, citizen):
    for bad in (
        {"household_size": 0},
        {"car_km_week": -1},
        {"diet": "carnivore"},
        {"flights": {"long": 10**6}},
        {"household_kwh_month": 10**400},
        {"car_fuel": 5},
    ):
        r = client.post("/api/v1/footprint/estimate", json=bad, headers=_auth(citizen))
        assert r.status_code == 422 and r.json["error"]["code"] == "invalid_request", (bad, r.json)


def test_estimate__any_json_in_any_field__never_5xx(client, citizen):
    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(field=st.sampled_from(FIELDS), value=JSON)
    def each(field, value):
        r = client.post(
            "/api/v1/footprint/estimate", json={**ANSWERS, field: value}, headers=_auth(citizen)
        )
        assert r.status_code in (200, 422), (
            field,
            value,
            r.status_code,
            r.get_data(as_text=True)[:200],
        )
        if r.status_code == 200:
            assert r.json["total_kg"] == sum(p["kg"] for p in r.json["parts"])

    each()


def test_english_on_request__saved_in_chinese(client, citizen):
    h = {"Authorization": citizen["Authorization"], "Accept-Language": "en"}
    en = client.post("/api/v1/footprint/estimate", json={**ANSWERS, "save": True}, headers=h)
    zh = client.post("/api/v1/footprint/estimate", json=ANSWERS, headers=citizen)
    assert en.status_code == zh.status_code == 200
    assert en.json["total_kg"] == zh.json["total_kg"] and en.json["suggestions"]
    assert "China" in en.json["city_source"] and "Petrol" in en.json["parts"][2]["source"]
    assert en.json["suggestions"][0]["how"] != zh.json["suggestions"][0]["how"]
    saved = client.get("/api/v1/footprint/estimate", headers=citizen).json
    assert saved["city_source"] == zh.json["city_source"]  # kept as the default language
