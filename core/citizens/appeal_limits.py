"""What an appeal may carry, with no I/O: the API's request shape reads it at import (a cold start
must not load the tables' models) and core.citizens.appeal_filing checks it again."""

NOTE_MAX = 500  # characters of the citizen's note
WINDOW_DAYS = 30  # an appeal names a date of the last 30 days (Asia/Shanghai)
