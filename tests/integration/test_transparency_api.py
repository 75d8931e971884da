"""The public log endpoints, a citizen's proof and the /transparency page, through the app."""

from urllib.parse import quote

from core.books import ledger
from core.books.ledger import Movement
from core.transparency import append
from infra import verify_proof
from tests.support.requests_count import count_requests


def _now():
    from core import localday

    return localday.now()


def test_public_log__key_heads_consistency_totals(client, aws):
    none = client.get("/public/v1/log/heads/latest")
    assert none.status_code == 404 and none.json["error"]["code"] == "no_log_head"
    assert "该日" not in none.json["error"]["message"]  # no day was asked for
    for i in range(5):
        ledger.post(Movement("ua", f"adj#{i}", 2, "adjustment"))
    first = append.append(_now(), 0)
    ledger.post(Movement("ub", "adj#x", 7, "adjustment"))
    second = append.append(_now(), 0)
    key = client.get("/public/v1/log/key")
    assert key.status_code == 200 and key.json["algorithm"] == "ed25519"
    assert key.headers["Cache-Control"].startswith("public")
    latest = client.get("/public/v1/log/heads/latest").json
    assert latest["tree_size"] == 6 and latest["root_hash"] == second.root_hash
    verify_proof.verify_head(latest, key.json)
    assert client.get(f"/public/v1/log/heads/{latest['date']}").json == latest
    assert client.get("/public/v1/log/heads/2001-01-01").json["error"]["code"] == "no_log_head"
    assert client.get("/public/v1/log/heads/not-a-day").status_code == 422
    c = client.get("/public/v1/log/consistency?first=5&second=6").json
    verify_proof.verify_consistency(
        5,
        6,
        [bytes.fromhex(h) for h in c["proof"]],
        bytes.fromhex(first.root_hash),
        bytes.fromhex(second.root_hash),
    )
    for bad in ("first=0&second=6", "first=6&second=7", "first=5&second=4", "first=x&second=1", ""):
        r = client.get(f"/public/v1/log/consistency?{bad}")
        assert r.status_code in (400, 422) and "error" in r.json, bad
    t = client.get(f"/public/v1/log/totals/{latest['date']}").json
    assert (t["entries"], t["citizens"], t["coins"], t["platform"]) == (
        6,
        17,
        {"adjustment": 17},
        {"adjustments": -17},
    )


def test_proof__owner_only__verifies__costs_a_constant_number_of_requests(client, aws, citizen):
    user = citizen["user"]["id"]
    for i in range(300):  # two level-0 tiles
        ledger.post(Movement(user if i % 3 == 0 else f"o{i}", f"adj#{i}", 1, "adjustment"))
    path = f"/api/v1/coins/ledger/{quote('adj#150', safe='')}/proof"
    r = client.get(path, headers={"Authorization": citizen["Authorization"]})
    assert r.status_code == 404 and r.json["error"]["code"] == "not_logged_yet"
    append.append(_now(), 0)
    with count_requests() as seen:
        r = client.get(path, headers={"Authorization": citizen["Authorization"]})
    assert r.status_code == 200, r.json
    assert sum(seen.values()) <= 8, seen  # auth, entry, head, salt, tile lookup, tile, proof tiles
    key = client.get("/public/v1/log/key").json
    verify_proof.verify_proof(r.json, key)
    assert r.json["leaf"]["account"] != user and user not in str(r.json["leaf"])
    other = client.get(
        f"/api/v1/coins/ledger/{quote('adj#151', safe='')}/proof",
        headers={"Authorization": citizen["Authorization"]},
    )
    assert other.status_code == 404  # o151's entry: not the caller's
    assert client.get(path).status_code == 401


def test_transparency_page__chinese_no_outside_requests(client, aws):
    ledger.post(Movement("ua", "settle#x", 5, "settlement", legs={"issuance:metro": -5}))
    append.append(_now(), 0)
    r = client.get("/transparency")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "公开透明账本" in html and "<svg" in html and "地铁" in html
    assert (
        "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
        and "https://" not in html
    )
    assert "script-src 'self'" in r.headers["Content-Security-Policy"] and "<script" not in html
    head = client.get("/public/v1/log/heads/latest").json
    assert head["timestamp"].endswith("+08:00")  # API.md: never +00:00
    assert f"{head['timestamp'][:19].replace('T', ' ')} 北京时间" in html and " UTC" not in html
