"""A merchant id is never scrubbed out of a log line (seen in CI: m_4544679774 logged as m_45***)."""
import secrets

from core.logs import scrub
from core.mall import merchants


def test_merchant_ids__never_all_digits__so_logs_keep_them(monkeypatch):
    draws = iter(["4544679774", "45446797a4"])
    monkeypatch.setattr(secrets, "token_hex", lambda n: next(draws))
    assert merchants.new_id() == "m_45446797a4" and scrub("m_45446797a4") == "m_45446797a4"
    assert scrub("m_4544679774") == "m_45***"  # why: ten digits read as a phone or card number
