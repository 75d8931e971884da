"""core.retry: full-jitter exponential backoff, capped, with an attempt limit; no real waiting."""

from core.retry import Backoff


def _recorded(random=lambda: 1.0):
    slept = []
    return Backoff(base=0.01, cap=0.05, attempts=5, sleep=slept.append, random=random), slept


def test_tries__pause_before_each_retry_doubling_up_to_the_cap():
    policy, slept = _recorded()
    assert list(policy.tries()) == [0, 1, 2, 3, 4]
    assert slept == [0.01, 0.02, 0.04, 0.05]  # none before the first try; capped at 0.05


def test_delay__full_jitter_scales_the_ceiling_by_the_random_draw():
    policy, _ = _recorded(random=lambda: 0.5)
    assert [policy.delay(n) for n in (1, 2, 3, 9)] == [0.005, 0.01, 0.02, 0.025]
    assert _recorded(random=lambda: 0.0)[0].delay(4) == 0.0


def test_tries__a_loop_that_succeeds_stops_pausing():
    policy, slept = _recorded()
    for attempt in policy.tries():
        if attempt == 2:
            break
    assert slept == [0.01, 0.02]
