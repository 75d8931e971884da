"""Green product feedback: a merchant's month per product as counts only, no citizen, cells of fewer
than 5 citizens suppressed."""

import csv
import io

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from core.mall import product_usage as pu
from models.orders import Merchant, Order
from tests.support.cli import run_cli_streams


def _order(
    i: int,
    user: str,
    product: str,
    status: str,
    created: str,
    redeemed: str | None = None,
    merchant: str = "m_green",
    coins: int = 100,
    cash_fen: int = 0,
) -> None:
    Order(
        f"o{i}",
        user_id=user,
        product_id=product,
        product_name=f"产品{product}",
        merchant_id=merchant,
        quantity=1,
        coins=coins,
        cash_fen=cash_fen,
        status=status,
        created_at=created,
        expires_at="2027-01-01T00:00:00+00:00",
        redeemed_at=redeemed,
    ).save()


def test_export_product_usage__counts_by_product_small_cells_suppressed(aws, capsys):
    Merchant("m_green", name="绿色家电", created_at="2026-01-01T00:00:00+00:00").save()
    # 2026-11 in Asia/Shanghai is 2026-10-31T16:00Z .. 2026-11-30T16:00Z
    for i in range(6):  # six citizens bought the heat pump in November, five redeemed it
        _order(
            i,
            f"u{i}",
            "heatpump",
            "redeemed" if i < 5 else "issued",
            f"2026-11-0{i + 1}T02:00:00+00:00",
            f"2026-11-1{i}T02:00:00+00:00" if i < 5 else None,
            coins=300,
            cash_fen=1050,
        )
    _order(
        10, "u0", "heatpump", "cancelled", "2026-11-03T02:00:00+00:00"
    )  # cancelled: not an order
    _order(11, "u1", "heatpump", "pending_payment", "2026-11-03T02:00:00+00:00")  # never paid
    _order(
        12, "u9", "heatpump", "issued", "2026-10-31T15:59:59+00:00"
    )  # Oct 31 23:59:59 in Shanghai
    _order(
        13, "u8", "heatpump", "issued", "2026-10-31T16:00:00+00:00"
    )  # Nov 1 00:00 in Shanghai: counted
    for i in range(3):  # three citizens, three orders of the kettle: too few to show
        _order(20 + i, f"u{i}", "kettle", "issued", "2026-11-20T02:00:00+00:00")
    _order(30, "u0", "lamp", "redeemed", "2026-10-20T02:00:00+00:00", "2026-11-02T02:00:00+00:00")
    _order(40, "u0", "heatpump", "issued", "2026-11-05T02:00:00+00:00", merchant="m_other")
    code, out, err = run_cli_streams(
        capsys, "export", "product-usage", "--merchant", "m_green", "--month", "2026-11"
    )
    assert code == 0, err
    table = list(csv.reader(io.StringIO(out)))
    assert table == [
        pu.HEADER,
        [
            "heatpump",
            "产品heatpump",
            "",
            "7",
            "1900",
            "63.00",
            "5",
        ],  # 6 x 300 + 100 coins; 6 x 10.50 yuan
        ["kettle", "产品kettle", "", "<5", "<5", "<5", "<5"],
        ["lamp", "产品lamp", "", "<5", "<5", "<5", "<5"],
    ]
    assert not any(
        u in out for u in ("u0", "u1", "u8", "o1", "2026-11-0")
    )  # no citizen, order or time
    again = run_cli_streams(
        capsys, "export", "product-usage", "--merchant", "m_green", "--month", "2026-11"
    )[1]
    assert again == out
    assert (
        run_cli_streams(
            capsys, "export", "product-usage", "--merchant", "m_green", "--month", "2026-13"
        )[0]
        == 1
    )
    assert (
        run_cli_streams(
            capsys, "export", "product-usage", "--merchant", "nope", "--month", "2026-11"
        )[0]
        == 1
    )


uses = st.builds(
    pu.Use,
    user_id=st.sampled_from([f"user-{i}" for i in range(9)]),
    product_id=st.sampled_from(["a", "b", "c"]),
    product_name=st.sampled_from(["甲", "乙"]),
    district=st.sampled_from(["", "天河区", "越秀区"]),
    status=st.sampled_from(["issued", "redeemed", "expired", "cancelled", "pending_payment"]),
    coins=st.integers(0, 10_000),
    cash_fen=st.integers(0, 100_000),
    placed_in_month=st.booleans(),
    redeemed_in_month=st.booleans(),
)


@hsettings(max_examples=200, deadline=None)
@given(st.lists(uses, max_size=60))
def test_rows__never_a_citizen_and_every_shown_cell_has_five(orders):
    for product_id, _name, district, n_orders, coins, cash, redemptions in pu.rows(orders):
        cell = [u for u in orders if (u.product_id, u.district) == (product_id, district)]
        buyers = {u.user_id for u in cell if u.placed_in_month and u.status in pu.COUNTED}
        redeemers = {u.user_id for u in cell if u.redeemed_in_month}
        assert (n_orders == "<5") == (len(buyers) < 5) and (coins == "<5") == (len(buyers) < 5)
        assert (redemptions == "<5") == (len(redeemers) < 5)
        if n_orders != "<5":
            assert int(n_orders) == sum(
                1 for u in cell if u.placed_in_month and u.status in pu.COUNTED
            )
            assert int(coins) == sum(
                u.coins for u in cell if u.placed_in_month and u.status in pu.COUNTED
            )
        assert not any(
            "user-" in v for v in (product_id, district, n_orders, coins, cash, redemptions)
        )
