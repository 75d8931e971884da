"""What the hostile-input properties share: how many examples each runs (HOSTILE_EXAMPLES; `make
fuzz` runs more), the settings they run under, and the text an outside party may send for a moment."""

import os
from datetime import datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "40"))

# Repeatable (derandomized) and patient: each example is a request through the app and moto.
RUN = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# A moment as text, as WeChat Pay's success_time or a partner's uploaded_at may come: any aware
# date-time of the calendar at any offset, naive ones, any short text, and the calendar's edges.
MOMENT_TEXT = st.one_of(
    st.datetimes(
        min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.timezones()
    ).map(lambda m: m.isoformat()),
    st.datetimes().map(lambda m: m.isoformat()),  # naive
    st.text(max_size=40),
    st.sampled_from(["NaN", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", ""]),
)
