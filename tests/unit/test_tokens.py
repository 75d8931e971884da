import pytest

from core.citizens import tokens

SECRET = "s3cret"


def test_token__round_trip__returns_user_id():
    t = tokens.issue(SECRET, "u_1", now=1000, ttl=60)
    assert tokens.verify(SECRET, t, now=1059) == "u_1"


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


@pytest.mark.parametrize("junk", ["", "v1", "v1.a.b.c", "v2.x.y", "v1.!!.??"])
def test_token__malformed__rejected(junk):
    with pytest.raises(tokens.TokenInvalid):
        tokens.verify(SECRET, junk, now=0)
