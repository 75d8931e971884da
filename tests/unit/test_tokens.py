import pytest

from core.citizens import tokens

SECRET = "s3cret"


def test_token__round_trip__returns_user_id():
    t = tokens.issue(SECRET, "u_1", now=1000, ttl=60)
    assert tokens.verify(SECRET, t, now=1059) == ("u_1", 0)


def test_token__carries_the_generation_it_was_issued_under():
    t = tokens.issue(SECRET, "u_1", now=1000, ttl=60, gen=7)
    assert tokens.verify(SECRET, t, now=1001) == ("u_1", 7)


def test_token__expired__rejected():
    t = tokens.issue(SECRET, "u_1", now=1000, ttl=60)
    with pytest.raises(tokens.TokenInvalid, match="expired"):
        tokens.verify(SECRET, t, now=1060)


def test_token__tampered_payload__rejected():
    t = tokens.issue(SECRET, "u_1", now=1000, ttl=60)
    other = tokens.issue(SECRET, "u_2", now=1000, ttl=60)
    forged = ".".join([t.split(".")[0], other.split(".")[1], t.split(".")[2]])
    with pytest.raises(tokens.TokenInvalid, match="signature"):
        tokens.verify(SECRET, forged, now=1001)


def test_token__other_secret__rejected():
    t = tokens.issue(SECRET, "u_1", now=1000, ttl=60)
    with pytest.raises(tokens.TokenInvalid):
        tokens.verify("another", t, now=1001)


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "v1",
        "v1.a.b.c",
        "v2.x.y",
        "v1.!!.??",
        "v1.é.ü",
        "v1.eyJzdWIiOiAxfQ.\u00e9",
        "v1.\x00.\x00",
    ],
)
def test_token__malformed__rejected(junk):
    with pytest.raises(tokens.TokenInvalid):
        tokens.verify(SECRET, junk, now=0)


@pytest.mark.parametrize(
    "claims",
    [
        '{"sub":1,"exp":2000}',
        '{"sub":"u","exp":"2000"}',
        "[1]",
        '{"sub":"u","exp":2000,"gen":"0"}',
        '"x"',
    ],
)
def test_token__signed_but_odd_claims__rejected(claims):
    payload = tokens._b64(claims.encode())
    token = f"v1.{payload}.{tokens._sign(SECRET, 'v1.' + payload)}"
    with pytest.raises(tokens.TokenInvalid):
        tokens.verify(SECRET, token, now=1000)
