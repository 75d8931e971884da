"""A signed tree head's timestamp is at +08:00 (API.md: every time in a response), the same
instant it was signed at, on the day its `date` names, and the signature covers it as shown."""

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from core.transparency import heads
from infra import verify_proof

SIGNER = heads.signer_from_pem(
    (Path(heads.__file__).parents[1] / "log_local_signing_key.pem").read_text()
)
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-12))])


@given(
    st.datetimes(datetime(2000, 1, 2), datetime(2999, 12, 30), timezones=ZONES),
    st.integers(0, 2**40),
)
def test_head_timestamp_is_shanghai_time_and_signed_as_shown(moment, size):
    head = heads.sign(SIGNER, size, bytes(32), moment)
    shown = datetime.fromisoformat(head["timestamp"])
    assert head["timestamp"].endswith("+08:00") and shown == moment
    assert head["date"] == head["timestamp"][:10]
    verify_proof.verify_head(head, SIGNER.key())
