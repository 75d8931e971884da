"""Every kept inbox item is reachable: pages by `limit` and `cursor` show each exactly once,
newest first; `unread` counts them all; a cursor is the caller's own; the export holds them all."""

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.inbox import InboxItem


def _put(uid: str, n: int, read_every: int) -> list[str]:
    ats = []
    for i in range(n):
        at = f"2026-11-{1 + i // 24:02d}T{i % 24:02d}:00:00.000000+08:00#n{i}"
        InboxItem(
            uid,
            at,
            kind="settlement_credit",
            title="碳币到账",
            body=f"第 {i} 条",
            created_at=at.split("#")[0],
            read=i % read_every == 0,
            expires_at=datetime.now(UTC) + timedelta(days=1),
        ).save()
        ats.append(at)
    return sorted(ats, reverse=True)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(n=st.integers(0, 130), limit=st.integers(1, 100), read_every=st.integers(1, 5))
def test_pages_show_every_item_once_newest_first(client, login, aws, n, limit, read_every):
    token, user = login()
    h = {"Authorization": f"Bearer {token}"}
    expected = _put(user["id"], n, read_every)
    seen, cursor, pages = [], None, 0
    while True:
        q = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        r = client.get("/api/v1/inbox", query_string=q, headers=h)
        assert r.status_code == 200, r.json
        assert len(r.json["items"]) <= limit
        assert r.json["unread"] == sum(i % read_every != 0 for i in range(n))
        seen += [i["id"] for i in r.json["items"]]
        cursor, pages = r.json["next_cursor"], pages + 1
        if cursor is None:
            break
    assert seen == expected and pages == max(1, -(-n // limit))
    export = client.get("/api/v1/me/export", headers=h).json
    assert [i["id"] for i in export["inbox"]] == expected


def test_default_page_is_20__a_cursor_is_its_owners(client, login, aws):
    (ta, ua), (tb, _) = login(), login()
    a, b = {"Authorization": f"Bearer {ta}"}, {"Authorization": f"Bearer {tb}"}
    _put(ua["id"], 25, 2)
    first = client.get("/api/v1/inbox", headers=a).json
    assert len(first["items"]) == 20 and first["next_cursor"]
    r = client.get("/api/v1/inbox", query_string={"cursor": first["next_cursor"]}, headers=b)
    assert r.status_code == 422 and r.json["error"]["code"] == "invalid_request"
    for bad in ({"limit": 0}, {"limit": 101}, {"cursor": "x"}, {"limit": "many"}):
        r = client.get("/api/v1/inbox", query_string=bad, headers=a)
        assert r.status_code == 422 and r.json["error"]["code"] == "invalid_request", bad
