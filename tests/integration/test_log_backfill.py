"""`tanpuhui log backfill`: a ledger older than the log gets into it whole, once, and only while empty."""

import pytest

from core import localday
from core.books import ledger, platform, written
from core.books.ledger import Movement
from core.transparency import append, backfill, leaves, proofs, rfc6962, store
from core.transparency.salts import salt_of
from functions import log_append
from models import LedgerEntry
from models.ledger_written import LedgerWritten
from tests.support.cli import run_cli_streams


def _older_ledger(n: int) -> None:
    """n entries as a ledger written before the log existed has them: no written items."""
    for i in range(n):
        ledger.post(
            Movement(f"u{i % 5}", f"adj#{i}", 2 + i % 3, "adjustment", detail={"reason": "x"})
        )
    with LedgerWritten.batch_write() as batch:
        for w in LedgerWritten.scan():
            batch.delete(w)


def _written_count() -> int:
    return sum(1 for _ in LedgerWritten.scan())


def _root_of_the_ledger() -> tuple[int, str]:
    """The RFC's MTH of every ledger entry's leaf, in written order, computed from the ledger rows."""
    rows = sorted(
        LedgerEntry.scan(), key=lambda e: written.key_of(e.created_at, e.user_id, e.entry_id)
    )
    hashes = [
        rfc6962.hash_leaf(
            leaves.canonical(leaves.leaf_of(e, leaves.commitment(salt_of(e.user_id), e.user_id)))
        )
        for e in rows
    ]
    return len(hashes), rfc6962.mth(hashes).hex()


def test_backfill__an_older_ledger_enters_the_log_whole__totals_equal_the_books(aws, capsys):
    _older_ledger(30)
    assert append.append(localday.now(), 0).tree_size == 0  # without it the log leaves them out
    code, out, err = run_cli_streams(capsys, "log", "backfill")
    assert code == 0 and "entries=30" in out, err
    again = run_cli_streams(capsys, "log", "backfill")  # a re-run: same items, same count
    assert again[0] == 0 and "entries=30" in again[1] and _written_count() == 30
    done = append.append(localday.now(), 0)
    assert (done.tree_size, done.root_hash) == _root_of_the_ledger()
    day = done.head["date"]
    books = platform.trial_balance(day, day)
    assert proofs.totals(day)["citizens"] == books["citizens"] == sum(2 + i % 3 for i in range(30))
    code, out, err = run_cli_streams(capsys, "log", "verify")
    assert code == 0 and "problems=0" in out, err


def test_backfill__refused_once_the_log_has_leaves__nothing_written(aws, capsys):
    ledger.post(Movement("u1", "adj#first", 5, "adjustment"))
    append.append(localday.now(), 0)
    _older_ledger(4)  # deletes every written item, the logged one's too
    code, out, err = run_cli_streams(capsys, "log", "backfill")
    assert code == 1 and "entries=" not in out and "日志已有叶子" in err
    assert _written_count() == 0 and not store.backfilling()


def test_append__waits_while_a_backfill_runs__then_logs_everything(aws):
    _older_ledger(6)
    backfill.begin(localday.stamp())  # a backfill under way (killed here: its marker stays)
    with pytest.raises(store.Backfilling):
        append.append(localday.now(), 0)
    line = log_append.handler({}, None)
    assert "tree_size" not in line and "backfill" in line["status_detail"]
    assert store.checkpoint().tree_size == 0 and not store.checkpoint().target
    assert backfill.backfill(localday.stamp()) == 6  # the re-run finishes and lifts the marker
    assert append.append(localday.now(), 0).tree_size == 6


def test_backfill__an_append_that_raced_past_the_marker__reported_not_claimed_complete(aws):
    _older_ledger(3)
    backfill.begin(localday.stamp())
    store.advance(store.checkpoint(), target=localday.stamp())  # an append that read no marker
    with pytest.raises(backfill.LogNotEmpty):
        backfill.finish()
