"""Pure parsers at the edges: Yangchengtong trip rows, redemption codes, partner records."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.carbon.methodologies import Registry
from core.carbon.partners import reject_reason, signature
from core.carbon.trips import parse_row
from core.mall import codes

ROW = [
    "T1",
    "5100001234567890",
    "Subway",
    "2026-11-23T08:01:00+08:00",
    "3",
    "体育西路",
    "珠江新城",
    "2.5",
]


def test_trip_row__sixteen_digit_card_and_mode_alias():
    r = parse_row(ROW)
    assert (r["card"], r["scenario"], r["distance"]) == ("1234567890", "metro", 2.5)
    assert r["boarded"] == datetime(2026, 11, 23, 0, 1, tzinfo=UTC)


def test_trip_row__ten_digit_card_no_distance():
    r = parse_row(["T2", "1234567890", "bus", "2026-11-23T08:01:00+08:00", "", "", "", ""])
    assert (r["card"], r["scenario"], r["distance"]) == ("1234567890", "bus", None)


@pytest.mark.parametrize(
    "change, why",
    [
        ({0: ""}, "trip_id"),
        ({0: "x" * 65}, "trip_id"),
        ({1: "12345"}, "card_no"),
        ({1: "12345678ab"}, "card_no"),
        ({2: "rocket"}, "mode"),
        ({3: "2026-11-23T08:01:00"}, "offset"),
        ({3: "yesterday"}, "Invalid isoformat"),
        ({7: "600"}, "distance_km"),
        ({7: "-1"}, "distance_km"),
        ({7: "far"}, "could not convert"),
    ],
)
def test_trip_row__malformed__value_error_naming_the_field(change, why):
    row = [change.get(i, v) for i, v in enumerate(ROW)]
    with pytest.raises(ValueError, match=why):
        parse_row(row)


def test_trip_row__wrong_column_count():
    with pytest.raises(ValueError, match="columns"):
        parse_row(ROW[:-1])


def test_code__new_codes_are_normal_and_distinct():
    made = {codes.new_code() for _ in range(50)}
    assert len(made) == 50 and all(codes.normalize(c) == c and len(c) == 19 for c in made)


@pytest.mark.parametrize(
    "typed, code",
    [
        ("abcd-efgh-jkmn-pqrs", "ABCD-EFGH-JKMN-PQRS"),
        ("ABCDEFGHJKMNPQRS", "ABCD-EFGH-JKMN-PQRS"),
        (" 0o1i L2U3 4567 89ab ", "0011-12V3-4567-89AB"),  # typed O/I/L/U read as 0/1/1/V
    ],
)
def test_code__what_a_cashier_types__canonical(typed, code):
    assert codes.normalize(typed) == code


@pytest.mark.parametrize(
    "typed", ["", "ABCD", "ABCD-EFGH-JKMN-PQR", "ABCD-EFGH-JKMN-PQRS-T", "ABCD-EFGH-JKMN-PQR*"]
)
def test_code__cannot_be_a_code__none(typed):
    assert codes.normalize(typed) is None


def test_code__hash_is_sha256_hex_and_stable():
    assert codes.code_hash("ABCD-EFGH-JKMN-PQRS") == codes.code_hash("ABCD-EFGH-JKMN-PQRS")
    assert len(codes.code_hash("x")) == 64


NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


def rec(**kw):
    return {
        "record_id": "r1",
        "user_ref": "u1",
        "scenario": "e_ticket",
        "quantity": 1.0,
        "occurred_at": NOW - timedelta(hours=1),
        **kw,
    }


@pytest.mark.parametrize(
    "record, reason",
    [
        (rec(), None),
        (rec(scenario="teleport"), "unknown_scenario"),
        (rec(quantity=0), "invalid_facts"),
        (rec(quantity=100_001), "quantity_out_of_range"),
        (rec(quantity="1"), "invalid_facts"),
        (rec(occurred_at=NOW + timedelta(minutes=6)), "in_future"),
        (rec(occurred_at=NOW - timedelta(days=8)), "too_old"),
        (rec(occurred_at=datetime(2026, 11, 23, 8, 0)), "invalid_facts"),  # no offset
    ],
)
def test_partner_record__reason_it_is_refused(record, reason):
    assert reject_reason(record, {"e_ticket", "teleport"}, Registry(), NOW) == reason


def test_partner_signature__covers_method_path_time_nonce_and_body():
    base = ("s3cret", "POST", "/partner/v1/behaviours", "1700000000", "nonce-123", b"{}")
    sig = signature(*base)
    assert len(sig) == 64 and signature(*base) == sig
    for i, other in enumerate(["other", "PUT", "/x", "1700000001", "nonce-124", b"{ }"]):
        assert signature(*(base[:i] + (other,) + base[i + 1 :])) != sig


def test_partner_record__scenario_not_onboarded__rejected_before_anything_else():
    assert reject_reason(rec(quantity=0), {"bike_share"}, Registry(), NOW) == "scenario_not_allowed"


# Any aware moment of the calendar (as jsonbounds admits them), at any offset.
MOMENTS = st.datetimes(
    min_value=datetime(1, 1, 3), max_value=datetime(9999, 12, 29), timezones=st.timezones()
)


@given(at=MOMENTS, scenario=st.sampled_from(["e_ticket", "teleport"]))
def test_partner_record__a_time_outside_the_window__says_so_whatever_the_scenario(at, scenario):
    """A time past the late-data window is too_old and one after today in_future, before any
    question of the methodology in force on its day (a record of 1970 was unknown_scenario)."""
    from core import localday
    from core.carbon import validation

    expected = validation.check_time(at, NOW, localday.SHANGHAI)
    reason = reject_reason(
        rec(occurred_at=at, scenario=scenario), {"e_ticket", "teleport"}, Registry(), NOW
    )
    if expected:
        assert reason == expected
    else:
        assert reason in (None, "unknown_scenario")
        assert (reason == "unknown_scenario") == (scenario == "teleport")


@pytest.mark.parametrize("at", [datetime(1970, 1, 1, tzinfo=UTC), datetime(2000, 1, 1, tzinfo=UTC)])
def test_partner_record__before_any_methodology__too_old(at):
    assert reject_reason(rec(occurred_at=at), {"e_ticket"}, Registry(), NOW) == "too_old"
