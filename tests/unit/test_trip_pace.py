"""Ingestion's pace: a range goes no faster than settings.ingest_rows_per_second."""

from core.carbon.trips import Pace


class Clock:
    def __init__(self):
        self.now, self.slept = 100.0, []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_pace__waits_for_what_is_ahead_of_the_rate():
    c = Clock()
    pace = Pace(400, clock=c, sleep=c.sleep)
    pace.rows(1000)  # 2.5 s of rows done at once
    c.now += 1.0  # working took 1 s of that
    pace.rows(200)  # 3.0 s worth of rows by now, 3.5 s after the start: no wait
    assert c.slept == [2.5]
    pace.rows(400)  # 4.0 s worth at 3.5 s
    assert c.slept == [2.5, 0.5]


def test_pace__zero_is_unpaced():
    c = Clock()
    pace = Pace(0, clock=c, sleep=c.sleep)
    pace.rows(10**6)
    assert c.slept == []
