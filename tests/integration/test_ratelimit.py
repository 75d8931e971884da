import pytest

from core import ratelimit
from core.errors import RateLimited


def test_ratelimit__over_limit_in_window__rate_limited(aws):
    for _ in range(3):
        ratelimit.hit("t", "subject", 3, 60, now=1000)
    with pytest.raises(RateLimited):
        ratelimit.hit("t", "subject", 3, 60, now=1001)


def test_ratelimit__next_window__counts_from_zero(aws):
    for _ in range(3):
        ratelimit.hit("t", "s", 3, 60, now=1000)
    assert ratelimit.hit("t", "s", 3, 60, now=1081) == 1


def test_ratelimit__subjects_are_separate_and_hashed(aws):
    from models.rate_limits import RateWindow

    ratelimit.hit("t", "10.0.0.1", 1, 60, now=1000)
    ratelimit.hit("t", "10.0.0.2", 1, 60, now=1000)
    keys = [w.key for w in RateWindow.scan()]
    assert len(keys) == 2 and not any("10.0.0" in k for k in keys)


@pytest.mark.usefixtures("wechat_sim")  # the two allowed logins reach WeChat
def test_login__burst_from_one_address__429_with_retry_after(aws):
    from miniprogram_api import create_app

    client = create_app(aws.with_(login_limit_per_minute=2)).test_client()
    codes = [client.post("/api/v1/auth/login", json={"code": f"test-burst.{i}"}) for i in range(3)]
    assert [r.status_code for r in codes] == [200, 200, 429]
    assert (
        codes[2].json["error"]["code"] == "rate_limited"
        and int(codes[2].headers["Retry-After"]) >= 1
    )


def test_count__counts_without_enforcing_and_hit_sees_its_counts(aws):
    assert [ratelimit.count("t", "c", 60, now=1000) for _ in range(5)] == [1, 2, 3, 4, 5]
    with pytest.raises(RateLimited):
        ratelimit.hit("t", "c", 5, 60, now=1001)  # the sixth hit of the same window
