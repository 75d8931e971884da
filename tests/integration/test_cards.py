import pytest

pytestmark = pytest.mark.usefixtures(
    "yct_sim"
)  # binding a card asks Yangchengtong whether it exists


def h(citizen):
    return {"Authorization": citizen["Authorization"]}


def test_bind__valid_card__201_masked_and_counted(client, citizen):
    r = client.post("/api/v1/cards", json={"card_no": "1234563456"}, headers=h(citizen))
    assert (
        r.status_code == 201
        and r.json["masked_no"] == "12****3456"
        and r.json["id"].startswith("c_")
    )
    assert r.json["bound_at"].endswith("+08:00")
    assert client.get("/api/v1/me", headers=h(citizen)).json["cards"] == 1
    listed = client.get("/api/v1/cards", headers=h(citizen)).json["items"]
    assert [(c["id"], c["masked_no"], c["bound_at"]) for c in listed] == [
        (r.json["id"], "12****3456", r.json["bound_at"])
    ]


def test_bind__mask__the_cards_own_first_two_and_last_four_digits(client, login):
    for number in ("5100123456", "8812340007", "0000000001"):
        who = {"Authorization": f"Bearer {login()[0]}"}
        r = client.post("/api/v1/cards", json={"card_no": number}, headers=who)
        assert r.status_code == 201 and r.json["masked_no"] == number[:2] + "****" + number[-4:], (
            r.json
        )


def test_bind__number_never_stored(client, citizen, aws):
    from models.cards import Card, CardHistory

    client.post("/api/v1/cards", json={"card_no": "1234567890"}, headers=h(citizen))
    dump = str(
        [c.attribute_values for c in Card.scan()] + [b.attribute_values for b in CardHistory.scan()]
    )
    assert "1234567890" not in dump


def test_bind__bad_format__422_card_invalid(client, citizen):
    for bad in ["12345", "abcdefghij", "12345678901"]:
        r = client.post("/api/v1/cards", json={"card_no": bad}, headers=h(citizen))
        assert r.status_code == 422 and r.json["error"]["code"] == "card_invalid"


def test_bind__unknown_to_yct__422_card_invalid(client, citizen):
    r = client.post("/api/v1/cards", json={"card_no": "9000000001"}, headers=h(citizen))
    assert r.status_code == 422 and r.json["error"]["code"] == "card_invalid"


def test_bind__card_of_another_user__409_card_taken(client, login):
    a, _ = login()
    b, _ = login()
    assert (
        client.post(
            "/api/v1/cards",
            json={"card_no": "1111111111"},
            headers={"Authorization": f"Bearer {a}"},
        ).status_code
        == 201
    )
    r = client.post(
        "/api/v1/cards", json={"card_no": "1111111111"}, headers={"Authorization": f"Bearer {b}"}
    )
    assert r.status_code == 409 and r.json["error"]["code"] == "card_taken"


def test_bind__fourth_card__409_card_limit(client, citizen):
    for n in ("2000000001", "2000000002", "2000000003"):
        assert (
            client.post("/api/v1/cards", json={"card_no": n}, headers=h(citizen)).status_code == 201
        )
    r = client.post("/api/v1/cards", json={"card_no": "2000000004"}, headers=h(citizen))
    assert r.status_code == 409 and r.json["error"]["code"] == "card_limit"
    assert client.get("/api/v1/me", headers=h(citizen)).json["cards"] == 3


def test_unbind__204_then_card_free_for_others(client, login):
    a, _ = login()
    b, _ = login()
    card = client.post(
        "/api/v1/cards", json={"card_no": "3000000001"}, headers={"Authorization": f"Bearer {a}"}
    ).json
    assert (
        client.delete(
            f"/api/v1/cards/{card['id']}", headers={"Authorization": f"Bearer {a}"}
        ).status_code
        == 204
    )
    assert (
        client.post(
            "/api/v1/cards",
            json={"card_no": "3000000001"},
            headers={"Authorization": f"Bearer {b}"},
        ).status_code
        == 201
    )


def test_unbind__someone_elses_card__404(client, login):
    a, _ = login()
    b, _ = login()
    card = client.post(
        "/api/v1/cards", json={"card_no": "3000000002"}, headers={"Authorization": f"Bearer {a}"}
    ).json
    r = client.delete(f"/api/v1/cards/{card['id']}", headers={"Authorization": f"Bearer {b}"})
    assert r.status_code == 404
