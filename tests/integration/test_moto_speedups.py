"""The endpoint's Query shortcut (infra/moto_speedups.py) answers exactly as moto does:
one partition, sorted by range key, range conditions, reverse order, pages, and GSIs untouched."""
from models import LedgerEntry


def _entries(user, n):
    for i in range(n):
        LedgerEntry(user, f"e#{i:03d}", seq=f"2026-11-24T00:00:{i:02d}#{i}", kind="adjustment", amount=1,
                    balance_after=i + 1, created_at="2026-11-24T00:00:00+00:00").save()


def test_query_on_endpoint__one_partition_sorted_with_conditions_and_pages(endpoint_aws):
    _entries("u_a", 12)
    _entries("u_b", 5)
    ids = [e.entry_id for e in LedgerEntry.query("u_a")]
    assert ids == [f"e#{i:03d}" for i in range(12)]
    assert [e.entry_id for e in LedgerEntry.query("u_b", scan_index_forward=False)] == [f"e#{i:03d}" for i in
                                                                                        range(4, -1, -1)]
    assert [e.entry_id for e in LedgerEntry.query("u_a", LedgerEntry.entry_id > "e#009")] == ["e#010", "e#011"]
    page = LedgerEntry.query("u_a", limit=5)
    first = [e.entry_id for e in page]
    assert len(first) == 5 and page.last_evaluated_key is not None
    assert [e.entry_id for e in LedgerEntry.query("u_nobody")] == []
    # A local secondary index still goes through moto's own path.
    assert [e.entry_id for e in LedgerEntry.by_time.query("u_b")] == [f"e#{i:03d}" for i in range(5)]
