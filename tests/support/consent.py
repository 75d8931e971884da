"""A citizen accepts the privacy policy in force, through the app (Flask's test client): what a
partner's records and a link need first (core.citizens.consent)."""


def accept_policy(client, headers: dict) -> None:
    version = client.get("/api/v1/me/consents", headers=headers).json["current_version"]
    r = client.post("/api/v1/me/consents", json={"policy_version": version}, headers=headers)
    assert r.status_code == 201
