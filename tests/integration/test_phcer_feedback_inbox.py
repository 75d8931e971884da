"""PHCER feedback in the citizen's inbox: one item per citizen per batch, written with the share's
credit, whatever the re-runs or a run that crashed half-way (issue 28)."""

import pytest

from core.enterprise import feedback
from models import Account
from models.inbox import InboxItem
from tests.integration.test_phcer_batches import sold_batch
from tests.support.faults import clear_faults, fail_write

CITIZENS = 5


def _feedback_items(user_id: str) -> list[InboxItem]:
    return [i for i in InboxItem.query(user_id) if i.kind == "phcer_feedback"]


def _assert_one_item_each(bid: str, shares: dict[str, int]) -> None:
    for p in range(CITIZENS):
        items = _feedback_items(f"u{p}")
        assert len(items) == 1, (p, [i.at for i in items])
        assert items[0].at.endswith(f"#phcer#{bid}") and not items[0].read
        assert bid in items[0].body and f"返还 {shares[f'u{p}']} 枚碳币" in items[0].body
        assert str(shares[f"u{p}"]) in items[0].body_en


def test_feedback__each_citizen_one_inbox_item__a_rerun_adds_none(aws):
    bid = sold_batch("回馈消息", CITIZENS)
    first = feedback.feedback(bid, by="ops-a")
    again = feedback.feedback(bid, by="ops-a")
    assert first["coins_now"] == 345 and again["coins_now"] == 0
    _assert_one_item_each(bid, first["shares"])
    assert _feedback_items("nobody") == []


@pytest.mark.parametrize("k, answer_lost", [(2, False), (3, False), (4, True), (5, False)])
def test_feedback_crashed_half_way__rerun__one_item_and_one_credit_each(
    endpoint_aws, k, answer_lost
):
    """The k-th write of the run fails (the amount fixed, some shares posted, not the others),
    or is applied and its answer lost: the re-run posts the rest, each citizen once."""
    bid = sold_batch(f"回馈崩溃{k}", CITIZENS)
    fail_write(endpoint_aws, k, after_applying=answer_lost)
    crashed = False
    try:
        feedback.feedback(bid, by="ops-crash")
    except Exception:  # the run stopped half-way, as a Lambda whose write keeps failing
        crashed = True
    assert crashed or answer_lost
    before = sum(len(_feedback_items(f"u{p}")) for p in range(CITIZENS))
    assert answer_lost or before < CITIZENS  # stopped before every share was posted
    clear_faults(endpoint_aws)
    done = feedback.feedback(bid, by="ops-crash")
    assert sum(done["shares"].values()) == 345
    assert [int(Account.get(f"u{p}").balance) for p in range(CITIZENS)] == [
        done["shares"][f"u{p}"] for p in range(CITIZENS)
    ]
    _assert_one_item_each(bid, done["shares"])
