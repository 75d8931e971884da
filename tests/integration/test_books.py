"""Double entry: after a mixed day (settle, orders, cancels, refunds, expiry, adjustments) the
citizens' balances plus the platform accounts sum to zero, per account as expected."""

from datetime import UTC, datetime, timedelta, timezone

from core.books import legs
from core.books.platform import trial_balance
from core.carbon import settlement_runs
from core.mall import orders
from models import Account
from tests.integration.test_cli_money import user
from tests.support.behaviours import add_behaviour
from tests.support.cli import run_cli
from tests.support.mall import make_shop

D = "2026-11-23"


def test_books__mixed_day__balance_to_zero_with_every_platform_account(
    client, citizen, aws, capsys
):
    uid = citizen["user"]["id"]
    auth = {"Authorization": citizen["Authorization"]}
    add_behaviour(aws, uid, D, "metro", 1, "t1")
    add_behaviour(aws, uid, D, "bus", 1, "t2", at="09:00")
    settlement_runs.run_date(aws, D, workers=1)  # 727 g -> 72 coins, split 51 metro / 21 bus
    assert run_cli(capsys, "adjust", uid, "30", "--reason", "补发", "--by", "ops-li")[0] == 0
    shop = make_shop(price=10)
    placed = [
        client.post(
            "/api/v1/orders", json={"product_id": shop["product_id"], "quantity": 1}, headers=auth
        ).json
        for _ in range(3)
    ]
    assert client.post(f"/api/v1/orders/{placed[0]['id']}/cancel", headers=auth).status_code == 200
    assert orders.expire_due(now=datetime.now(UTC) + timedelta(days=8))["expired"] == 2
    user("u_other")
    assert run_cli(capsys, "adjust", "u_other", "5", "--reason", "x", "--by", "ops-li")[0] == 0
    assert (
        run_cli(capsys, "adjust", "--reason", "reversal", "--by", "ops-li", "--", "u_other", "-2")[
            0
        ]
        == 0
    )

    tb = trial_balance()
    assert tb["total"] == 0 and tb["citizens"] == int(Account.get(uid).balance) + 3 == 72 + 30 + 3
    assert tb["platform"] == {
        "issuance:bus": -21,
        "issuance:metro": -51,
        "adjustments": -33,
        f"spending:{shop['merchant_id']}": 30,
        "refunds": -30,
    }
    code, out = run_cli(capsys, "books")
    assert code == 0 and "total=0" in out
    today = datetime.now(timezone(timedelta(hours=8))).date().isoformat()
    code, out = run_cli(capsys, "books", "--from", today, "--to", today)
    assert code == 0 and "total=0" in out
    assert run_cli(capsys, "ledger", "check")[0] == 0


def test_books__a_platform_leg_lost__exit_1_and_ledger_check_fails(aws, capsys):
    from models.platform import PlatformBook

    user("u1")
    run_cli(capsys, "adjust", "u1", "10", "--reason", "x", "--by", "ops-li")
    for item in PlatformBook.scan():
        item.delete()
    code, out = run_cli(capsys, "books")
    assert code == 1 and "total=10" in out
    assert run_cli(capsys, "ledger", "check")[0] == 1


def test_legs__split_by_grams_largest_remainder_sums_exactly():
    assert legs.allocate(72, {"metro": 515, "bus": 212}) == {"metro": 51, "bus": 21}
    assert sum(legs.allocate(7, {"a": 1, "b": 1, "c": 1}).values()) == 7
    assert legs.legs_for("order", -10, {"spending:m1": 10}) == {"spending:m1": 10}
    assert legs.legs_for("forfeit", -4) == {"forfeits": 4}


def test_platform_book__a_days_credits_spread_over_slots__slots_sum_to_the_days_ledger(
    aws, monkeypatch
):
    from core import localday, settings
    from core.books import platform
    from models import LedgerEntry
    from models.platform import PlatformBook

    users = [f"u{i}" for i in range(12)]
    for uid in users:
        add_behaviour(aws, uid, D, "metro", 1, f"t-{uid}")
    assert settlement_runs.run_date(aws, D, workers=1)["credited"] == 12
    today = localday.today()
    slots = {item.day_slot for item in PlatformBook.scan()}
    assert len(slots) > 1 and all(s.startswith(f"{today}#") for s in slots)
    assert slots == {
        platform.slot_key(today, platform.slot_of(u, aws.platform_book_slots)) for u in users
    }

    entries = [e for e in LedgerEntry.scan() if platform.local_day(e.created_at) == today]
    ledger_legs: dict[str, int] = {}
    for e in entries:
        for account, coins in e.legs.items():
            ledger_legs[account] = ledger_legs.get(account, 0) + int(coins)
    calls = []
    conn = PlatformBook._get_connection()
    real = conn.batch_get_item
    monkeypatch.setattr(conn, "batch_get_item", lambda *a, **k: calls.append(1) or real(*a, **k))
    book = platform.platform_accounts(today, today)
    assert calls == [1]  # one request reads the day's slots
    assert (
        book
        == ledger_legs
        == {"issuance:metro": -sum(int(e.amount) for e in entries)}
        == {"issuance:metro": -12 * 51}
    )
    assert (
        platform.trial_balance(today, today)["total"] == 0
        and platform.trial_balance()["total"] == 0
    )

    settings.use(
        aws.with_(platform_book_slots=3)
    )  # fewer slots now: the slots written before still count
    assert platform.platform_accounts(today, today) == book
